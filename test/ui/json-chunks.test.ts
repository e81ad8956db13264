import { expect, test } from 'vitest';
import { jsonChunks, writeJson } from '../../src/ui/json-chunks.js';
import { makeDynamicGlibcBinary, makeReport } from '../helpers/report-fixture.js';

test('the pieces concatenate to exactly JSON.stringify(value, null, 2)', () => {
  const values: unknown[] = [
    makeReport({ binaries: [makeDynamicGlibcBinary(), makeDynamicGlibcBinary({ path: '/x' })] }),
    { a: [], b: {}, c: [1, [2, [3, [4, { d: 'e\nf' }]]]], u: undefined, n: null, s: 'x"y' },
    [undefined, () => 1, { toJSON: () => 'json' }, new Date(0)],
    'text',
    42,
    null,
  ];
  for (const value of values) expect([...jsonChunks(value)].join('')).toBe(JSON.stringify(value, null, 2));
});

test('writeJson ends with a newline and splits large output into pieces', () => {
  const big = { items: Array.from({ length: 5000 }, (_, i) => ({ path: `/usr/lib/file-${i}`, size: i })) };
  const pieces: string[] = [];
  writeJson(big, (text) => pieces.push(text));
  expect(pieces.length).toBeGreaterThan(2);
  expect(pieces.join('')).toBe(`${JSON.stringify(big, null, 2)}\n`);
});

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

test('values of every shape at every depth come out as JSON.stringify writes them', () => {
  let seed = 7;
  const random = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
  const make = (depth: number): unknown => {
    const kind = Math.floor(random() * (depth > 5 ? 5 : 8));
    if (kind === 0) return null;
    if (kind === 1) return random() * 1e6;
    if (kind === 2) return `s"\n\u2028${random()}`;
    if (kind === 3) return random() < 0.5;
    if (kind === 4) return random() < 0.5 ? [] : {};
    if (kind === 5) return Array.from({ length: Math.floor(random() * 4) }, () => (random() < 0.1 ? undefined : make(depth + 1)));
    if (kind === 6) {
      const json = make(depth + 1);
      return { toJSON: () => json };
    }
    return Object.fromEntries(Array.from({ length: Math.floor(random() * 4) }, (_, i) => [`k${i}`, random() < 0.1 ? undefined : make(depth + 1)]));
  };
  for (let i = 0; i < 300; i++) {
    const value = { top: make(0), list: [make(0), [make(0), [make(0)]]] };
    expect([...jsonChunks(value)].join('')).toBe(JSON.stringify(value, null, 2));
  }
});

test('a long list at any depth is split into its elements, objects below depth 2 are whole', () => {
  const entries = Array.from({ length: 5000 }, (_, i) => ({ path: `/usr/lib/file-${i}`, size: i, tags: ['a', 'b'] }));
  const value = { filesystem: { entries }, binaries: [{ path: '/bin/sh', resolved: entries.slice(0, 50) }] };
  const pieces = [...jsonChunks(value)];
  expect(pieces.join('')).toBe(JSON.stringify(value, null, 2));
  const largest = Math.max(...pieces.map((piece) => piece.length));
  // The biggest piece is the binary (an object at depth 2, whole), not the 5000 entries.
  expect(largest).toBe(JSON.stringify([[value.binaries[0]]], null, 2).length - 10 - 6);
});

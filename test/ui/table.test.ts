import { describe, expect, test } from 'vitest';
import { lineText } from '../../src/ui/format/palette.js';
import { layoutTable, type Table } from '../../src/ui/format/table.js';
import { displayWidth } from '../../src/ui/format/text-width.js';

const table: Table = {
  columns: [
    { header: 'STATUS', priority: 0 },
    { header: 'PATH', priority: 0, flex: 'path', min: 12 },
    { header: 'SIZE', priority: 3, align: 'right' },
    { header: 'NOTE', priority: 1, flex: 'end', min: 8 },
  ],
  rows: [
    [{ text: 'ok' }, { text: '/usr/lib/x86_64-linux-gnu/libcrypto.so.3' }, { text: '4.5 MiB' }, { text: 'needed by /app/server' }],
    [{ text: 'FAIL', tone: 'error' }, { text: '/app/server' }, { text: '9.4 MiB' }, { text: 'libpq.so.5: not found' }],
  ],
};

const texts = (width: number) => {
  const layout = layoutTable(table, width);
  return [layout.header, ...layout.rows].map(lineText);
};

describe('layoutTable', () => {
  test('wide enough: every column at its natural width, right-aligned numbers, no trailing padding', () => {
    const [header, first, second] = texts(200);
    expect(header).toBe('STATUS  PATH                                         SIZE  NOTE');
    expect(first).toBe('ok      /usr/lib/x86_64-linux-gnu/libcrypto.so.3  4.5 MiB  needed by /app/server');
    expect(second).toBe('FAIL    /app/server                               9.4 MiB  libpq.so.5: not found');
  });

  test('narrower: free text is cut at the end before paths are shortened', () => {
    const lines = texts(70);
    for (const line of lines) expect(displayWidth(line)).toBeLessThanOrEqual(70);
    expect(lines[1]).toContain('/usr/lib/x86_64-linux-gnu/libcrypto.so.3');
    expect(lines[1]).toMatch(/…$/);
  });

  test('narrow: the lowest-priority column goes first, then paths shrink', () => {
    const layout = layoutTable(table, 36);
    expect(layout.visible).toEqual([0, 1, 3]);
    const lines = [layout.header, ...layout.rows].map(lineText);
    for (const line of lines) expect(displayWidth(line)).toBeLessThanOrEqual(36);
    expect(lines[1]).toMatch(/^ok {6}…[\w-]*\/libcrypto\.so\.3 /);
  });

  test('an infinite width (off a terminal) cuts and hides nothing', () => {
    const layout = layoutTable(table, Infinity);
    expect(layout.visible).toEqual([0, 1, 2, 3]);
    expect(lineText(layout.rows[0]!)).toBe('ok      /usr/lib/x86_64-linux-gnu/libcrypto.so.3  4.5 MiB  needed by /app/server');
  });

  test('columns stay aligned: each column starts at the same offset on every row', () => {
    const lines = texts(80);
    const start = lines[0]!.indexOf('SIZE') + 'SIZE'.length;
    for (const line of lines.slice(1)) expect(line.slice(start - 7, start)).toMatch(/^\d+\.\d MiB$/);
  });

  test('cells keep their tone; headers are muted and bold', () => {
    const layout = layoutTable(table, 200);
    expect(layout.rows[1]!.find((s) => s.text.startsWith('FAIL'))?.tone).toBe('error');
    expect(layout.header.every((s) => s.text.trim() === '' || (s.bold && s.tone === 'muted'))).toBe(true);
  });

  test('an optional path column is hidden rather than shown cut when the main path is cut', () => {
    const withInterp: Table = {
      columns: [
        { header: 'PATH', priority: 0, flex: 'path', min: 10 },
        { header: 'INTERPRETER', priority: 5, flex: 'path', min: 10 },
      ],
      rows: [[{ text: '/usr/lib/x86_64-linux-gnu/libLLVM-15.so.1' }, { text: '/lib64/ld-linux-x86-64.so.2' }]],
    };
    expect(layoutTable(withInterp, 60).visible).toEqual([0]);
    expect(layoutTable(withInterp, 100).visible).toEqual([0, 1]);
  });

  test('an optional column with nothing in it is not shown; an essential one always is', () => {
    const sparse: Table = {
      columns: [
        { header: 'PATH', priority: 0 },
        { header: 'WHY', priority: 1, flex: 'end' },
        { header: 'NOTE', priority: 0 },
      ],
      rows: [[{ text: '/a' }, { text: '' }, { text: '' }]],
    };
    expect(layoutTable(sparse, 100).visible).toEqual([0, 2]);
    expect(lineText(layoutTable(sparse, 100).header)).toBe('PATH  NOTE');
  });
});

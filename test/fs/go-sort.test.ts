// Golden permutations produced by Go's own pdqsort source (src/sort/zsortinterface.go) with the
// xorshift shifts of Go ≥ 1.22 (13, 7, 17), the toolchain dive 0.13 is built with (go.mod: go 1.24).
// Go 1.19's sort.Sort (shifts 13, 17, 5) orders the `saw` ties differently, which is why dive's
// tie order needs this exact algorithm and not any sort. See docs/decisions/fs.md.
import { expect, test } from 'vitest';
import { goSort } from '../../src/fs/_go-sort.js';

function order(keys: number[]): number[] {
  const items = keys.map((key, id) => ({ key, id }));
  goSort(items, (a, b) => a.key < b.key);
  return items.map((item) => item.id);
}

test('up to 12 elements: insertion sort (stable)', () => {
  expect(order([3, 1, 2, 1, 3, 0])).toEqual([5, 1, 3, 2, 0, 4]);
  expect(order([])).toEqual([]);
  expect(order([7])).toEqual([0]);
});

test('ties in a 14-element slice (choosePivot, partition)', () => {
  expect(order([0, 2, 1, 0, 2, 1, 0, 2, 1, 0, 2, 1, 0, 2])).toEqual([6, 9, 3, 0, 12, 2, 5, 8, 11, 4, 10, 1, 7, 13]);
});

test('a 64-element saw with breakPatterns (the xorshift sequence decides the ties)', () => {
  const keys = Array.from({ length: 64 }, (_, i) => (i % 5 === 0 ? 1 : 0));
  expect(order(keys)).toEqual([
    32, 33, 2, 3, 4, 63, 6, 7, 8, 9, 62, 11, 12, 13, 14, 61, 16, 17, 18, 19, 59, 21, 22, 23, 24, 58, 26, 27, 28, 29, 1, 57, 56, 31, 34, 54,
    36, 37, 38, 39, 53, 41, 42, 43, 44, 52, 46, 47, 48, 49, 51, 10, 45, 0, 35, 55, 25, 40, 50, 20, 60, 15, 30, 5,
  ]);
});

test('a decreasing run is reversed first (decreasingHint)', () => {
  const keys = Array.from({ length: 64 }, (_, i) => Math.floor((64 - i) / 2));
  expect(order(keys)).toEqual([
    63, 62, 61, 59, 60, 58, 57, 56, 55, 54, 53, 51, 52, 50, 49, 48, 47, 46, 45, 43, 44, 42, 41, 40, 39, 38, 37, 36, 35, 33, 34, 31, 32, 30, 29,
    27, 28, 26, 25, 24, 23, 22, 21, 20, 19, 17, 18, 16, 15, 14, 13, 12, 11, 9, 10, 8, 7, 6, 5, 4, 3, 2, 1, 0,
  ]);
});

test('sorts correctly at scale', () => {
  let seed = 42;
  const keys = Array.from({ length: 50_000 }, () => (seed = (seed * 1103515245 + 12345) % 2147483648) % 1000);
  const sorted = order(keys).map((id) => keys[id]!);
  expect(sorted.every((key, i) => i === 0 || sorted[i - 1]! <= key)).toBe(true);
});

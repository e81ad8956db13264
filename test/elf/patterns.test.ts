/** The chunk-agnostic needle scanner and range search. */
import { describe, expect, test } from 'vitest';
import { bufferByteSource } from '../../src/elf/index.js';
import { CANARY_NEEDLES, GO_NEEDLES, PatternScanner, VDSO_NEEDLES, findInRanges, needle, vdsoNeedles } from '../../src/elf/patterns.js';

const text = (s: string) => Buffer.from(s, 'latin1');

function scan(data: Buffer, chunkSizes: number[], needles = [...VDSO_NEEDLES, ...GO_NEEDLES, ...CANARY_NEEDLES]) {
  const scanner = new PatternScanner(needles);
  for (let at = 0, i = 0; at < data.length; i++) {
    const size = chunkSizes[i % chunkSizes.length] as number;
    scanner.push(data.subarray(at, at + size));
    at += size;
  }
  return scanner
    .finish()
    .sort((a, b) => a.offset - b.offset)
    .map((h) => `${h.offset}:${h.id}`);
}

describe('PatternScanner', () => {
  const data = text('xx__vdso_clock_gettime__vdso_time\0\0__stack_chk_fail\0..\xff Go buildinf:\x08\x02zz__kernel_getcpu');
  const expected = ['2:__vdso_clock_gettime', '22:__vdso_time', '34:__stack_chk_fail', '54:go-magic', '72:__kernel_getcpu'];

  test('finds every needle in one chunk', () => {
    expect(scan(data, [data.length])).toEqual(expected);
  });

  test('finds the same hits whatever the chunking (every split point, 1-byte chunks, mixed sizes)', () => {
    for (let split = 1; split < data.length; split++) expect(scan(data, [split, data.length])).toEqual(expected);
    expect(scan(data, [1])).toEqual(expected);
    expect(scan(data, [3, 1, 7, 2])).toEqual(expected);
  });

  test('a needle cut off by the end of the stream does not match', () => {
    expect(scan(text('aa__vdso_clock_gettim'), [4])).toEqual([]);
    expect(scan(text('aa\0__stack_chk_fail'), [4])).toEqual([]); // no closing NUL
  });

  test('hits are counted from the scanner start offset', () => {
    const scanner = new PatternScanner(GO_NEEDLES, 4096);
    scanner.push(text('\xff Go buildinf:'));
    expect(scanner.finish()).toEqual([{ offset: 4096, id: 'go-magic' }]);
  });

  test('a key in the middle of the needle must not find a match that starts before the data', () => {
    const n = needle('x', 'ABCDEF', 'DEF');
    expect(scan(text('CDEF..ABCDEF'), [2], [n])).toEqual(['6:x']);
  });

  test('vDSO needles follow the machine', () => {
    expect(vdsoNeedles(62).every((n) => n.id.startsWith('__vdso_'))).toBe(true);
    expect(vdsoNeedles(183).every((n) => n.id.startsWith('__kernel_'))).toBe(true);
    expect(vdsoNeedles(3).map((n) => n.id)).toContain('__kernel_vsyscall');
    expect(vdsoNeedles(9999)).toHaveLength(VDSO_NEEDLES.length);
  });
});

describe('findInRanges', () => {
  const data = text('....__vdso_time....__vdso_getcpu....');
  test('only needles entirely inside a range count', () => {
    const source = bufferByteSource(data);
    expect(findInRanges(source, [{ offset: 0, length: data.length }], VDSO_NEEDLES).map((h) => h.id)).toEqual(['__vdso_time', '__vdso_getcpu']);
    expect(findInRanges(source, [{ offset: 0, length: 14 }], VDSO_NEEDLES)).toEqual([]);
    expect(findInRanges(source, [{ offset: 10, length: data.length - 10 }], VDSO_NEEDLES).map((h) => h.id)).toEqual(['__vdso_getcpu']);
  });

  test('unreadable ranges are skipped', () => {
    expect(findInRanges(bufferByteSource(data), [{ offset: 1000, length: 10 }], VDSO_NEEDLES)).toEqual([]);
  });
});

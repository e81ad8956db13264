/** vDSO evidence: vDSO symbol names in loaded, non-executable data. */
import { existsSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { buildElf, concat } from './_builder.js';
import { parseBytes, read } from './_support.js';

const R = 4;
const W = 2;
const X = 1;
const LOAD = 1;
const NOTE = 4;

function withData(segments: Array<[type: number, flags: number, data: string]>) {
  return parseBytes(
    buildElf({
      class: 64,
      endian: 'little',
      type: 2,
      machine: 62,
      segments: segments.map(([type, flags, data], i) => ({ type, flags, vaddr: BigInt(0x10000 * (i + 1)), data: concat(data) })),
    }).bytes,
  ).vdsoEvidence;
}

describe('vDSO evidence', () => {
  test.skipIf(!existsSync('/usr/lib/x86_64-linux-gnu/libc.so.6'))("glibc's ld.so and libc.so.6 look vDSO symbols up", () => {
    expect(parseBytes(read('/usr/lib/x86_64-linux-gnu', 'ld-linux-x86-64.so.2')).vdsoEvidence).toBe('looks up __vdso_clock_gettime');
    expect(parseBytes(read('/usr/lib/x86_64-linux-gnu', 'libc.so.6')).vdsoEvidence).toMatch(/^looks up __vdso_(gettimeofday|time|clock_gettime)$/);
    expect(parseBytes(read('/bin', 'ls')).vdsoEvidence).toBeNull();
  });

  test('read-only data counts; the most telling name is reported', () => {
    expect(withData([[LOAD, R, 'x__vdso_time\0__vdso_clock_gettime\0']])).toBe('looks up __vdso_clock_gettime');
    expect(withData([[LOAD, R | W, '__vdso_getcpu']])).toBe('looks up __vdso_getcpu');
  });

  test('bytes no PT_LOAD maps do not count', () => {
    expect(withData([[LOAD, R, 'nothing here'], [NOTE, R, '__vdso_clock_gettime']])).toBeNull();
  });

  test('executable segments count only when there is no read-only data segment (old layouts)', () => {
    expect(withData([[LOAD, R | X, '__vdso_clock_gettime'], [LOAD, R, 'rodata']])).toBeNull();
    expect(withData([[LOAD, R | X, '__vdso_clock_gettime'], [LOAD, R | W, 'data']])).toBe('looks up __vdso_clock_gettime');
  });

  test('names are matched for the machine: x86-64 ignores __kernel_*', () => {
    expect(withData([[LOAD, R, '__kernel_clock_gettime']])).toBeNull();
  });
});

/** NixOS/patchelf test files: 16 architectures, musl + RUNPATH, zero-filled PT_INTERP, invalid headers. */
import { describe, expect, test } from 'vitest';
import { glibcFloor, hardening, libcOf, linkage, role } from '../../src/elf/index.js';
import { gunzip, parseBytes, peerCorpus, read } from './_support.js';

const dir = peerCorpus('patchelf');

type Row = [string, number, 'little' | 'big', string, string, string, string, string, string];

const prebuilt: Row[] = [
  ['no-rpath-amd64', 64, 'little', 'EXEC', 'x86-64', '/lib64/ld-linux-x86-64.so.2', 'libc.so.6', 'GLIBC_2.2.5', 'glibc'],
  ['no-rpath-i386', 32, 'little', 'EXEC', 'i386', '/lib/ld-linux.so.2', 'libc.so.6', 'GLIBC_2.0', 'glibc'],
  ['no-rpath-armel', 32, 'little', 'EXEC', 'ARM', '/lib/ld-linux.so.3', 'libc.so.6', 'GLIBC_2.4', 'glibc'],
  ['no-rpath-armhf', 32, 'little', 'EXEC', 'ARM', '/lib/ld-linux-armhf.so.3', 'libc.so.6', 'GLIBC_2.4', 'glibc'],
  ['no-rpath-mips', 32, 'big', 'EXEC', 'MIPS', '/lib/ld.so.1', 'libc.so.6', 'GLIBC_2.0', 'glibc'],
  ['no-rpath-mipsel', 32, 'little', 'EXEC', 'MIPS', '/lib/ld.so.1', 'libc.so.6', 'GLIBC_2.0', 'glibc'],
  ['no-rpath-powerpc', 32, 'big', 'EXEC', 'PowerPC', '/lib/ld.so.1', 'libc.so.6', 'GLIBC_2.0', 'glibc'],
  ['no-rpath-pie-powerpc', 32, 'big', 'DYN', 'PowerPC', '/lib/ld-uClibc.so.0', 'libc.so.0', '', 'other'],
  ['no-rpath-s390', 32, 'big', 'EXEC', 's390', '/lib/ld.so.1', 'libc.so.6', 'GLIBC_2.0', 'glibc'],
  ['no-rpath-sparc', 32, 'big', 'EXEC', 'SPARC32PLUS', '/lib/ld-linux.so.2', 'libc.so.6', 'GLIBC_2.0', 'glibc'],
  ['no-rpath-sh4', 32, 'little', 'EXEC', 'SuperH', '/lib/ld-linux.so.2', 'libc.so.6', 'GLIBC_2.2', 'glibc'],
  ['no-rpath-alpha', 64, 'little', 'EXEC', 'Alpha', '/lib/ld-linux.so.2', 'libc.so.6.1', 'GLIBC_2.0, GLIBC_2.34', 'glibc'],
  ['no-rpath-ia64', 64, 'little', 'EXEC', 'IA-64', '/lib/ld-linux-ia64.so.2', 'libc.so.6.1', 'GLIBC_2.2', 'glibc'],
  ['no-rpath-hurd-i386', 32, 'little', 'EXEC', 'i386', '/lib/ld.so', 'libc.so.0.3', 'GLIBC_2.2.6', 'glibc'],
  ['no-rpath-kfreebsd-amd64', 64, 'little', 'EXEC', 'x86-64', '/lib/ld-kfreebsd-x86-64.so.1', 'libc.so.0.1', 'GLIBC_2.3', 'glibc'],
  ['no-rpath-kfreebsd-i386', 32, 'little', 'EXEC', 'i386', '/lib/ld.so.1', 'libc.so.0.1', 'GLIBC_2.3', 'glibc'],
];

describe.skipIf(!dir)('patchelf', () => {
  const parse = (name: string) => parseBytes(read(dir!, name));

  test.each(prebuilt)('no-rpath-prebuild/%s', (name, elfClass, endian, type, machine, interp, needed, versions, libc) => {
    const info = parse(`no-rpath-prebuild/${name}`);
    expect([info.class, info.endian, info.type, info.machineName, info.interpreter]).toEqual([elfClass, endian, type, machine, interp]);
    expect(info.dynamic?.needed).toEqual([needed]);
    expect((info.dynamic?.verneed ?? []).flatMap((n) => n.versions.map((v) => v.name)).join(', ')).toBe(versions);
    expect([info.dynamic?.rpath, info.dynamic?.runpath]).toEqual([[], []]); // --print-rpath prints nothing
    expect(libcOf(info)).toBe(libc);
    expect(info.diagnostics).toEqual([]);
  });

  test('the kFreeBSD builds declare OS/ABI FreeBSD; IA-64 keeps its 64-bit entry point', () => {
    expect(parse('no-rpath-prebuild/no-rpath-kfreebsd-amd64').osabiName).toBe('FreeBSD');
    expect(parse('no-rpath-prebuild/no-rpath-ia64').entryHex).toBe('0x40000000000004e0');
  });

  test('glibc floors compare numerically (GLIBC_2.34 > GLIBC_2.0)', () => {
    expect(glibcFloor(parse('no-rpath-prebuild/no-rpath-alpha'))).toBe('GLIBC_2.34');
    expect(glibcFloor(parse('no-rpath-prebuild/no-rpath-pie-powerpc'))).toBeNull();
  });

  test.each(['ppc64', 'ppc64le'])('endianness/%s: musl PIE with RUNPATH, and its RUNPATH library', (arch) => {
    const main = parse(`endianness/${arch}/main`);
    const lib = parse(`endianness/${arch}/libtest.so`);
    expect([main.class, main.endian, main.type, main.machineName]).toEqual([64, arch === 'ppc64' ? 'big' : 'little', 'DYN', 'PowerPC64']);
    expect(main.interpreter).toMatch(new RegExp(`/lib/ld-musl-${arch === 'ppc64' ? 'powerpc64' : 'powerpc64le'}\\.so\\.1$`));
    expect(main.dynamic?.needed).toEqual(['libtest.so']);
    expect(main.dynamic?.runpath).toHaveLength(2);
    expect(main.dynamic?.runpath[0]).toMatch(/^\/nix\/store\/.*-hello-powerpc64(le)?-unknown-linux-musl-2\.10\/lib64$/);
    expect(main.dynamic?.verneed).toEqual([]);
    expect([libcOf(main), linkage(main), role(main)]).toEqual(['musl', 'dynamic', 'executable']);
    expect(hardening(main, 'musl')).toMatchObject({ pie: true, runpath: true, rpath: false, fortify: 'n/a' });
    expect([lib.dynamic?.needed, lib.dynamic?.runpath]).toEqual([[], main.dynamic?.runpath]);
  });

  test('ppc64 main has FLAGS_1 NOW|PIE (full RELRO needs PT_GNU_RELRO too)', () => {
    const main = parse('endianness/ppc64/main');
    expect(main.dynamic?.flags1).toBe(0x1 | 0x08000000);
    expect(main.dynamic?.bindNow).toBe(true);
  });

  test('empty-note: a 4-byte PT_NOTE and an empty PT_DYNAMIC are accepted', () => {
    const info = parse('empty-note');
    expect([info.type, info.interpreter, info.dynamic]).toEqual(['DYN', '/lib64/ld-linux-x86-64.so.2', null]);
    expect(info.diagnostics).toEqual(['PT_DYNAMIC is empty']);
  });

  test('overlapping-segments-after-rounding: zero-filled PT_INTERP is no interpreter; RPATH with $ORIGIN', () => {
    const info = parse('overlapping-segments-after-rounding');
    expect(info.interpreter).toBeNull();
    expect(info.diagnostics).toContain('PT_INTERP is zero-filled: the interpreter path is empty');
    expect(info.dynamic?.needed).toEqual([
      'libnvhpcatm.so',
      'libstdc++.so.6',
      'libnvomp.so',
      'libdl.so.2',
      'libpthread.so.0',
      'libnvcpumath-avx2.so',
      'libnvc.so',
      'libc.so.6',
      'libgcc_s.so.1',
      'libm.so.6',
    ]);
    expect(info.dynamic?.rpath).toEqual([
      '$ORIGIN/../lib',
      '/opt/nvidia/hpc_sdk/Linux_x86_64/22.11/compilers/lib',
      '/opt/rh/devtoolset-11/root/usr/lib/gcc/x86_64-redhat-linux/11/../../../../lib64',
    ]);
    expect(info.dynamic?.runpath).toEqual([]);
    expect(linkage(info)).toBe('dynamic');
  });

  test('short-first-segment (gunzipped): 84 zero bytes of PT_INTERP, 41 NEEDED, a 2133-character RUNPATH', () => {
    const info = parseBytes(gunzip(dir!, 'short-first-segment.gz'));
    expect(info.interpreter).toBeNull();
    expect(info.diagnostics).toContain('PT_INTERP is zero-filled: the interpreter path is empty');
    expect(info.dynamic?.needed).toHaveLength(41);
    expect(info.dynamic?.needed.slice(0, 3)).toEqual(['libtiff.so.6', 'libjpeg.so.62', 'libpng16.so.16']);
    expect(info.dynamic?.needed.at(-1)).toBe('libc.so.6');
    expect(info.dynamic?.runpath).toHaveLength(34);
    expect(info.dynamic?.runpath.join(':')).toHaveLength(2133);
  });

  test.each(['invalid-elf/invalid-phdr-offset', 'invalid-elf/invalid-phdr-issue-64'])('%s: program header table out of bounds', (name) => {
    const info = parse(name);
    expect(info.segments).toEqual([]);
    expect(info.diagnostics.join('\n')).toContain('program header table out of bounds');
  });
});

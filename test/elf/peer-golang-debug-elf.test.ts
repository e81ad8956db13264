/** golang/go src/debug/elf/testdata: the facts its EXPECTED.md records. */
import { describe, expect, test } from 'vitest';
import { role } from '../../src/elf/index.js';
import { PT, gunzip, parseBytesWithImports, peerCorpus, read } from './_support.js';

const dir = peerCorpus('golang-debug-elf');
const R = 4;
const W = 2;
const X = 1;

describe.skipIf(!dir)('golang-debug-elf', () => {
  const parse = (name: string) => parseBytesWithImports(read(dir!, name));

  test.each([
    ['gcc-386-freebsd-exec', 32, 'little', 9, 'FreeBSD', 'EXEC', 'i386', 0x80483cc, 30],
    ['gcc-amd64-linux-exec', 64, 'little', 0, 'System V', 'EXEC', 'x86-64', 0x4003e0, 37],
    ['gcc-riscv64-linux-exec', 64, 'little', 0, 'System V', 'EXEC', 'RISC-V', 0x10460, 26],
    ['compressed-32.obj', 32, 'little', 0, 'System V', 'REL', 'i386', 0, 21],
    ['compressed-64.obj', 64, 'little', 0, 'System V', 'REL', 'x86-64', 0, 21],
    ['go-relocation-test-gcc620-sparc64.obj', 64, 'big', 0, 'System V', 'REL', 'SPARC V9', 0, 21],
  ] as const)('%s header', (name, elfClass, endian, osabi, osabiName, type, machine, entry, shnum) => {
    const info = parse(name);
    expect({ class: info.class, endian: info.endian, osabi: info.osabi, osabiName: info.osabiName, type: info.type }).toEqual({
      class: elfClass,
      endian,
      osabi,
      osabiName,
      type,
    });
    expect([info.machineName, info.entry, info.shnum]).toEqual([machine, entry, shnum]);
    expect(info.diagnostics).toEqual([]);
  });

  test.each([
    ['go-relocation-test-gcc492-mips64.obj', 64, 'big', 'MIPS', 26],
    ['go-relocation-test-gcc540-mips.obj', 32, 'big', 'MIPS', 27],
    ['go-relocation-test-gcc5-ppc.obj', 32, 'big', 'PowerPC', 21],
    ['go-relocation-test-gcc531-s390x.obj', 64, 'big', 's390x', 21],
    ['go-relocation-test-gcc482-aarch64.obj', 64, 'little', 'AArch64', 20],
    ['go-relocation-test-gcc482-ppc64le.obj', 64, 'little', 'PowerPC64', 21],
    ['go-relocation-test-gcc492-arm.obj', 32, 'little', 'ARM', 22],
    ['go-relocation-test-clang-arm.obj', 32, 'little', 'ARM', 27],
    ['go-relocation-test-gcc492-mipsle.obj', 32, 'little', 'MIPS', 26],
    ['go-relocation-test-gcc493-mips64le.obj', 64, 'little', 'MIPS', 26],
    ['go-relocation-test-gcc720-riscv64.obj', 64, 'little', 'RISC-V', 22],
    ['go-relocation-test-gcc424-x86-64.obj', 64, 'little', 'x86-64', 23],
    ['go-relocation-test-gcc441-x86.obj', 32, 'little', 'i386', 22],
    ['go-relocation-test-clang-x86.obj', 32, 'little', 'i386', 20],
    ['gcc-amd64-openbsd-debug-with-rela.obj', 64, 'little', 'x86-64', 14],
    ['zdebug-test-gcc484-x86-64.obj', 64, 'little', 'x86-64', 21],
  ] as const)('%s: class × endianness × machine of a relocatable object', (name, elfClass, endian, machine, shnum) => {
    const info = parse(name);
    expect([info.class, info.endian, info.machineName, info.type, info.shnum, info.phnum]).toEqual([elfClass, endian, machine, 'REL', shnum, 0]);
    expect(role(info)).toBe('object');
  });

  test('the clang objects declare OS/ABI GNU/Linux (3)', () => {
    expect(parse('go-relocation-test-clang-x86.obj').osabiName).toBe('GNU/Linux');
  });

  const table = (name: string) => parse(name).segments.map((s) => [s.type, s.flags, s.offset, s.vaddr, s.filesz, s.memsz, s.align]);

  test('exact program headers: gcc-386-freebsd-exec', () => {
    expect(table('gcc-386-freebsd-exec')).toEqual([
      [PT.PHDR, R | X, 0x34, 0x8048034, 0xa0, 0xa0, 4],
      [PT.INTERP, R, 0xd4, 0x80480d4, 0x15, 0x15, 1],
      [PT.LOAD, R | X, 0, 0x8048000, 0x5fb, 0x5fb, 0x1000],
      [PT.LOAD, R | W, 0x5fc, 0x80495fc, 0xd8, 0xf8, 0x1000],
      [PT.DYNAMIC, R | W, 0x60c, 0x804960c, 0x98, 0x98, 4],
    ]);
  });

  test('exact program headers: gcc-amd64-linux-exec', () => {
    expect(table('gcc-amd64-linux-exec')).toEqual([
      [PT.PHDR, R | X, 0x40, 0x400040, 0x1c0, 0x1c0, 8],
      [PT.INTERP, R, 0x200, 0x400200, 0x1c, 0x1c, 1],
      [PT.LOAD, R | X, 0, 0x400000, 0x684, 0x684, 0x200000],
      [PT.LOAD, R | W, 0x688, 0x600688, 0x210, 0x218, 0x200000],
      [PT.DYNAMIC, R | W, 0x6b0, 0x6006b0, 0x1a0, 0x1a0, 8],
      [PT.NOTE, R, 0x21c, 0x40021c, 0x20, 0x20, 4],
      [PT.GNU_EH_FRAME, R, 0x5b8, 0x4005b8, 0x24, 0x24, 4],
      [PT.GNU_STACK, R | W, 0, 0, 0, 0, 8],
    ]);
  });

  test('exact program headers: gcc-riscv64-linux-exec', () => {
    expect(table('gcc-riscv64-linux-exec')).toEqual([
      [PT.PHDR, R, 0x40, 0x10040, 0x230, 0x230, 8],
      [PT.INTERP, R, 0x270, 0x10270, 0x21, 0x21, 1],
      [0x70000003, R, 0x103e, 0, 0x66, 0, 1],
      [PT.LOAD, R | X, 0, 0x10000, 0x5e4, 0x5e4, 0x1000],
      [PT.LOAD, R | W, 0xe00, 0x11e00, 0x218, 0x220, 0x1000],
      [PT.DYNAMIC, R | W, 0xe18, 0x11e18, 0x1d0, 0x1d0, 8],
      [PT.NOTE, R, 0x294, 0x10294, 0x44, 0x44, 4],
      [PT.GNU_EH_FRAME, R, 0x550, 0x10550, 0x24, 0x24, 4],
      [PT.GNU_STACK, R | W, 0, 0, 0, 0, 0x10],
      [PT.GNU_RELRO, R, 0xe00, 0x11e00, 0x200, 0x200, 1],
    ]);
  });

  test.each([
    ['gcc-386-freebsd-exec', '/libexec/ld-elf.so.1'],
    ['gcc-amd64-linux-exec', '/lib64/ld-linux-x86-64.so.2'],
    ['gcc-riscv64-linux-exec', '/lib/ld-linux-riscv64-lp64d.so.1'],
  ])('%s: PT_INTERP %s, DT_NEEDED [libc.so.6]', (name, interp) => {
    const info = parse(name);
    expect(info.interpreter).toBe(interp);
    expect(info.dynamic?.needed).toEqual(['libc.so.6']);
  });

  test('DT_VERNEEDNUM of gcc-amd64-linux-exec is 1; its versioned imports name libc.so.6 GLIBC_2.2.5', () => {
    const info = parse('gcc-amd64-linux-exec');
    expect(info.dynamic?.verneed.map((n) => [n.file, n.versions.map((v) => v.name)])).toEqual([['libc.so.6', ['GLIBC_2.2.5']]]);
    expect(info.importDetails).toEqual([
      { name: '__gmon_start__', weak: true, version: null, library: null },
      { name: 'puts', weak: false, version: 'GLIBC_2.2.5', library: 'libc.so.6' },
      { name: '__libc_start_main', weak: false, version: 'GLIBC_2.2.5', library: 'libc.so.6' },
    ]);
    expect(info.hasSymtab).toBe(true);
  });

  test('gcc-386-freebsd-exec has no .gnu.version_r', () => {
    expect(parse('gcc-386-freebsd-exec').dynamic?.verneed).toEqual([]);
  });

  test('gcc-riscv64-linux-exec is stripped and needs GLIBC_2.27, GLIBC_2.34', () => {
    const info = parse('gcc-riscv64-linux-exec');
    expect(info.hasSymtab).toBe(false);
    expect(info.dynamic?.verneed[0]?.versions.map((v) => v.name)).toEqual(['GLIBC_2.27', 'GLIBC_2.34']);
  });

  test('libtiffxx.so_: needed, soname, version needs/definitions and imports per version', () => {
    const info = parse('libtiffxx.so_');
    expect(info.dynamic?.needed).toEqual(['libtiff.so.6', 'libstdc++.so.6', 'libc.so.6']);
    expect(info.dynamic?.soname).toBe('libtiffxx.so.6');
    expect(info.dynamic?.verneed.map((n) => [n.file, n.versions.map((v) => v.name)])).toEqual([
      ['libtiff.so.6', ['LIBTIFF_4.0']],
      ['libc.so.6', ['GLIBC_2.4', 'GLIBC_2.2.5']],
      ['libstdc++.so.6', ['GLIBCXX_3.4.32', 'GLIBCXX_3.4.9', 'CXXABI_1.3.9', 'GLIBCXX_3.4']],
    ]);
    expect(info.dynamic?.verdef).toEqual(['libtiffxx.so.6', 'LIBTIFFXX_4.0']);
    const perVersion = new Map<string, number>();
    for (const i of info.importDetails ?? []) {
      const key = i.version ? `${i.library} ${i.version}` : 'unversioned';
      perVersion.set(key, (perVersion.get(key) ?? 0) + 1);
    }
    expect(Object.fromEntries(perVersion)).toEqual({
      unversioned: 3,
      'libstdc++.so.6 GLIBCXX_3.4': 11,
      'libc.so.6 GLIBC_2.2.5': 2,
      'libstdc++.so.6 CXXABI_1.3.9': 1,
      'libc.so.6 GLIBC_2.4': 1,
      'libstdc++.so.6 GLIBCXX_3.4.9': 1,
      'libstdc++.so.6 GLIBCXX_3.4.32': 1,
      'libtiff.so.6 LIBTIFF_4.0': 1,
    });
    // 24 dynamic symbols: the null entry, 21 imports and the version symbol plus two exports.
    expect(info.exportCount).toBe(3);
  });

  test('hello-world-core (gunzipped in memory): ET_CORE, no sections, 1 NOTE then 16 LOAD', () => {
    const info = parseBytesWithImports(gunzip(dir!, 'hello-world-core.gz'));
    expect([info.type, info.class, info.machineName, info.entry, info.shnum, info.phnum]).toEqual(['CORE', 64, 'x86-64', 0, 0, 17]);
    expect(info.segments.map((s) => s.type)).toEqual([PT.NOTE, ...Array<number>(16).fill(PT.LOAD)]);
    expect(info.segments.some((s) => s.type === PT.LOAD && s.filesz === 0 && s.memsz > 0)).toBe(true);
    expect(info.segments.some((s) => BigInt(s.vaddr) === 0xffffffffff600000n)).toBe(true);
    expect(info.dynamic).toBeNull();
    expect(info.imports).toEqual([]);
    expect(role(info)).toBe('core');
  });

  test.each(['go-relocation-test-gcc930-ranges-no-rela-x86-64', 'go-relocation-test-gcc930-ranges-with-rela-x86-64'])(
    '%s: separate debug file, no interpreter and no DT_NEEDED',
    (name) => {
      const info = parse(name);
      expect([info.type, info.phnum, info.interpreter, info.dynamic]).toEqual(['DYN', 15, null, null]);
      expect(info.debugOnly).toBe(true);
      expect(role(info)).toBe('debug');
      expect(info.diagnostics.join('\n')).toMatch(/PT_INTERP is empty/);
    },
  );

  test('go-relocation-test-clang-x86.obj and the core file have no dynamic symbols', () => {
    expect(parse('go-relocation-test-clang-x86.obj').imports).toEqual([]);
    expect(parseBytesWithImports(gunzip(dir!, 'hello-world-core.gz')).exportCount).toBe(0);
  });
});

/** eliben/pyelftools test files: no section headers, two .dynstr, versions, flags, odd tags, corrupt headers. */
import { describe, expect, test } from 'vitest';
import { libcOf, linkage, role } from '../../src/elf/index.js';
import { parseBytesWithImports, peerCorpus, read } from './_support.js';

const dir = peerCorpus('pyelftools');

type Row = [string, number, 'little' | 'big', string, string, number, number, string | null, string[], string | null, string[], string];

// Observed with GNU readelf 2.40 (EXPECTED.md), verneed as `file: v1, v2`.
const observed: Row[] = [
  ['aarch64_super_stripped.elf', 64, 'little', 'EXEC', 'AArch64', 8, 0, '/lib/ld-linux-aarch64.so.1', ['libc.so.6'], null, [], 'libc.so.6: GLIBC_2.17'],
  ['android_dyntags.so.elf', 32, 'little', 'DYN', 'i386', 9, 29, '/system/bin/linker', ['libcutils.so', 'libutils.so', 'liblog.so', 'libbinder.so', 'libhardware.so', 'libc++.so', 'libdl.so', 'libc.so', 'libm.so'], 'libsoundtrigger.so', [], 'libc.so: LIBC'],
  ['lib_versioned64.so.elf', 64, 'little', 'DYN', 'x86-64', 7, 29, null, ['libz.so.1', 'libc.so.6'], 'lib_versioned.so.1', [], 'libz.so.1: ZLIB_1.2.3.5; libc.so.6: GLIBC_2.4, GLIBC_2.2.5'],
  ['lib_with_two_dynstr_sections.so.elf', 64, 'little', 'DYN', 'x86-64', 7, 30, null, ['libz.so.1', 'libc.so.6'], 'lib_versioned.so.1', [], 'libz.so.1: ZLIB_1.2.3.5; libc.so.6: GLIBC_2.4, GLIBC_2.2.5'],
  ['dt_flags.so.elf', 32, 'little', 'DYN', 'i386', 7, 27, null, ['libc.so.6'], null, ['$ORIGIN/lib'], 'libc.so.6: GLIBC_2.1.3, GLIBC_2.0'],
  ['aarch64-pac-bti.so.elf', 64, 'little', 'DYN', 'AArch64', 11, 28, '/usr/lib/ld-linux-aarch64.so.1', ['libc.so.6'], null, [], 'libc.so.6: GLIBC_2.17, GLIBC_2.34'],
  ['aarch64_be_gnu_hash.so.elf', 64, 'big', 'DYN', 'AArch64', 6, 32, null, ['libc.so.6'], null, [], 'libc.so.6: GLIBC_2.17'],
  ['x64_bad_sections.elf', 64, 'little', 'EXEC', 'x86-64', 9, 1, '/lib64/ld-linux-x86-64.so.2', ['libc.so.6'], null, [], 'libc.so.6: GLIBC_2.2.5'],
  ['sample_exe64.elf', 64, 'little', 'EXEC', 'x86-64', 9, 42, '/lib64/ld-linux-x86-64.so.2', ['libc.so.6'], null, [], 'libc.so.6: GLIBC_2.2.5'],
  ['exe_stripped64.elf', 64, 'little', 'EXEC', 'x86-64', 9, 31, '/lib64/ld-linux-x86-64.so.2', ['libc.so.6'], null, [], 'libc.so.6: GLIBC_2.2.5'],
  ['exe_simple32.elf', 32, 'little', 'EXEC', 'i386', 8, 28, '/lib/ld-linux.so.2', ['libc.so.6'], null, [], 'libc.so.6: GLIBC_2.0'],
  ['issue103.elf', 64, 'little', 'EXEC', 'x86-64', 8, 30, '/lib64/ld-linux-x86-64.so.2', ['libc.so.6'], null, [], 'libc.so.6: GLIBC_2.2.5'],
  ['tls.so.elf', 32, 'little', 'DYN', 'i386', 10, 30, '/lib/ld-linux.so.2', ['libc.so.6'], null, [], 'libc.so.6: GLIBC_2.0, GLIBC_2.1.3'],
  ['tls64.so.elf', 64, 'little', 'DYN', 'x86-64', 10, 29, '/lib64/ld-linux-x86-64.so.2', ['libc.so.6'], null, [], 'libc.so.6: GLIBC_2.2.5'],
  ['libelf0_8_13_32bit.so.elf', 32, 'little', 'DYN', 'i386', 6, 38, null, ['libc.so.6'], 'libelf.so.0', [], 'libc.so.6: GLIBC_2.1.3, GLIBC_2.4, GLIBC_2.3.4, GLIBC_2.0'],
  ['lib_relro.so.elf', 64, 'little', 'DYN', 'x86-64', 8, 14, null, [], null, [], ''],
  ['exe_solaris32_cc.elf', 32, 'little', 'EXEC', 'i386', 6, 30, '/usr/lib/ld.so.1', ['libc.so.1'], null, [], 'libc.so.1: SYSVABI_1.3'],
  ['exe_solaris64_cc.elf', 64, 'little', 'EXEC', 'x86-64', 7, 32, '/usr/lib/amd64/ld.so.1', ['libc.so.1'], null, [], 'libc.so.1: SUNW_0.7'],
  ['exe_solaris32_cc.sparc.elf', 32, 'big', 'EXEC', 'SPARC32PLUS', 5, 25, '/usr/lib/ld.so.1', ['libc.so.1'], null, [], 'libc.so.1: SYSVABI_1.3'],
  ['exe_solaris64_cc.sparc.elf', 64, 'big', 'EXEC', 'SPARC V9', 5, 25, '/usr/lib/sparcv9/ld.so.1', ['libc.so.1'], null, [], 'libc.so.1: SUNW_0.7'],
  ['simple_mipsel.elf', 32, 'little', 'EXEC', 'MIPS', 11, 39, '/lib/ld.so.1', ['libc.so.6'], null, [], 'libc.so.6: GLIBC_2.0'],
  ['simple_gcc.elf.arm', 32, 'little', 'EXEC', 'ARM', 2, 14, null, [], null, [], ''],
  ['simple_gcc.elf.riscv', 64, 'little', 'EXEC', 'RISC-V', 3, 13, null, [], null, [], ''],
  ['simple_armeb_gcc.o.elf', 32, 'big', 'EXEC', 'ARM', 1, 6, null, [], null, [], ''],
  ['simple_gcc.elf.mips', 32, 'big', 'REL', 'MIPS', 0, 25, null, [], null, [], ''],
];

describe.skipIf(!dir)('pyelftools', () => {
  const parse = (name: string) => parseBytesWithImports(read(dir!, name));

  test.each(observed)('%s: observed facts', (name, elfClass, endian, type, machine, phnum, shnum, interp, needed, soname, runpath, verneed) => {
    const info = parse(name);
    const versions = (info.dynamic?.verneed ?? []).map((n) => `${n.file}: ${n.versions.map((v) => v.name).join(', ')}`).join('; ');
    expect([info.class, info.endian, info.type, info.machineName, info.phnum, info.shnum]).toEqual([elfClass, endian, type, machine, phnum, shnum]);
    expect([info.interpreter, info.dynamic?.needed ?? [], info.dynamic?.soname ?? null, info.dynamic?.runpath ?? []]).toEqual([interp, needed, soname, runpath]);
    expect(versions).toBe(verneed);
  });

  test('aarch64_super_stripped: no sections; DT_NEEDED and the DT_HASH-counted dynamic symbols via PT_DYNAMIC', () => {
    const info = parse('aarch64_super_stripped.elf');
    expect(info.shnum).toBe(0);
    expect(info.imports).toEqual(['__libc_start_main', '__gmon_start__', 'abort']);
    expect(info.diagnostics).toEqual([]);
  });

  test('android_dyntags: 212 GNU-hash symbols, imports in table order, Android tags skipped, bionic', () => {
    const info = parse('android_dyntags.so.elf');
    expect(info.imports.slice(0, 8)).toEqual([
      '__cxa_finalize',
      '__cxa_atexit',
      '__register_atfork',
      '__stack_chk_fail',
      '_ZNK7android7RefBase9decStrongEPKv',
      '_ZN7android7RefBaseD2Ev',
      '_ZdlPv',
      'pthread_mutex_lock',
    ]);
    expect(info.imports.length + info.exportCount).toBe(211);
    expect(info.diagnostics).toEqual([]);
    expect(libcOf(info)).toBe('other');
    expect(role(info)).toBe('library'); // a SONAME outranks PT_INTERP (elfclassify)
  });

  test('Solaris DT_SUNW_* tags are tolerated; Solaris libc is "other"', () => {
    const info = parse('exe_solaris32_cc.sparc.elf');
    expect([info.osabiName, info.diagnostics]).toEqual(['Solaris', []]);
    expect(libcOf(info)).toBe('other');
  });

  test('two .dynstr sections: DT_STRTAB and sh_link agree', () => {
    const info = parse('lib_with_two_dynstr_sections.so.elf');
    expect([...(info.dynamic?.needed ?? []), info.dynamic?.soname]).toEqual(['libz.so.1', 'libc.so.6', 'lib_versioned.so.1']);
    expect(info.diagnostics).toEqual([]);
  });

  test('reversed two .dynstr: DT_STRTAB bytes are zeroed, names come from .dynamic sh_link (stated policy)', () => {
    const info = parse('lib_with_two_dynstr_sections_reversed.so.elf');
    expect([...(info.dynamic?.needed ?? []), info.dynamic?.soname]).toEqual(['libz.so.1', 'libc.so.6', 'lib_versioned.so.1']);
    expect(info.diagnostics).toEqual([expect.stringMatching(/string table linked from \.dynamic/)]);
  });

  test('lib_versioned64: verneed with vna_other/flags, verdef base first, versioned imports', () => {
    const info = parse('lib_versioned64.so.elf');
    expect(info.dynamic?.verneed).toEqual([
      { file: 'libz.so.1', versions: [{ name: 'ZLIB_1.2.3.5', hash: expect.any(Number), flags: 0, other: 7 }] },
      {
        file: 'libc.so.6',
        versions: [
          { name: 'GLIBC_2.4', hash: expect.any(Number), flags: 0, other: 6 },
          { name: 'GLIBC_2.2.5', hash: expect.any(Number), flags: 0, other: 5 },
        ],
      },
    ]);
    expect(info.dynamic?.verdef).toEqual(['lib_versioned.so.1', 'VER_1.0', 'VER_1.1', 'VER_1.2']);
    const byName = new Map((info.importDetails ?? []).map((i) => [i.name, `${i.library} ${i.version}`]));
    expect([byName.get('puts'), byName.get('__stack_chk_fail'), byName.get('gzoffset'), byName.get('__cxa_finalize')]).toEqual([
      'libc.so.6 GLIBC_2.2.5',
      'libc.so.6 GLIBC_2.4',
      'libz.so.1 ZLIB_1.2.3.5',
      'libc.so.6 GLIBC_2.2.5',
    ]);
  });

  test('dt_flags: FLAGS = ORIGIN|BIND_NOW, FLAGS_1 = NOW|GLOBAL|NOOPEN|ORIGIN', () => {
    const dynamic = parse('dt_flags.so.elf').dynamic;
    expect([dynamic?.flags, dynamic?.flags1, dynamic?.bindNow]).toEqual([0x1 | 0x8, 0x1 | 0x2 | 0x40 | 0x80, true]);
  });

  test('aarch64-pac-bti: a PIE (FLAGS_1 PIE) is a dynamic executable', () => {
    const info = parse('aarch64-pac-bti.so.elf');
    expect(info.dynamic?.flags1).toBe(0x08000000);
    expect([linkage(info), role(info)]).toEqual(['dynamic', 'executable']);
  });

  test('tls64 has PT_TLS; lib_relro has PT_GNU_RELRO', () => {
    expect(parse('tls64.so.elf').hasTls).toBe(true);
    expect(parse('lib_relro.so.elf').relro).toBe(true);
  });

  test('x64_bad_sections: unusable section headers, everything from PT_DYNAMIC', () => {
    const info = parse('x64_bad_sections.elf');
    expect(info.dynamic?.needed).toEqual(['libc.so.6']);
    expect(info.diagnostics).toEqual([expect.stringMatching(/section name string table index 39/)]);
  });

  test('simple_gcc: entry points', () => {
    expect(parse('simple_gcc.elf.arm').entry).toBe(0x8018);
    expect(parse('simple_gcc.elf.mips').entry).toBe(0);
    expect(parse('simple_gcc.elf.riscv').entry).toBe(0x10116);
  });

  test.each([
    ['corrupt_sh.elf', /section header table out of bounds/],
    ['section_header_bogus_size.elf', /e_shentsize 0/],
    ['section_link_to_self.elf', /e_shentsize 0|section/],
  ])('%s: corrupt headers give diagnostics, not exceptions', (name, message) => {
    const info = parse(name);
    expect(info.diagnostics.join('\n')).toMatch(message);
  });
});

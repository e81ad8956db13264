/**
 * Classification and hardening of programs built here with gcc/musl-gcc under different
 * flags: each flag must flip exactly the property it controls.
 */
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, test } from 'vitest';
import { bufferByteSource, glibcFloor, hardening, isHardeningImport, libcOf, linkage, parseElf, role, toolchainHints, type ElfInfo } from '../../src/elf/index.js';
import { hasTool, parseBytes, read, scratch } from './_support.js';

const PROGRAM = `#include <stdio.h>
#include <string.h>
int main(int argc, char **argv) { char buf[64]; strcpy(buf, argc > 1 ? argv[1] : "x"); printf("%s\\n", buf); return 0; }
`;
const START = '.text\n.globl _start\n_start: mov $60, %eax\n xor %edi, %edi\n syscall\n.section .note.GNU-stack,"",@progbits\n';
const TEXTREL = '.text\n.globl f\nf: movabsq $g, %rax\n ret\n.data\n.globl g\ng: .quad 0\n.section .note.GNU-stack,"",@progbits\n';
const DLOPEN_NOTE = `__asm__(".pushsection .note.dlopen,\\"a\\",@note\\n.balign 4\\n.long 4\\n.long 2f-1f\\n.long 0x407c0c0a\\n.asciz \\"FDO\\"\\n"
  "1: .asciz \\"[{\\\\\\"feature\\\\\\":\\\\\\"idn\\\\\\",\\\\\\"soname\\\\\\":[\\\\\\"libidn2.so.0\\\\\\",\\\\\\"libidn.so.12\\\\\\"]},{\\\\\\"soname\\\\\\":[\\\\\\"libpcre2-8.so.0\\\\\\"]}]\\"\\n"
  "2: .balign 4\\n.popsection\\n");
int main(void) { return 0; }
`;
/** A plugin: no DT_NEEDED, no interpreter, only symbols its host program defines. */
const PLUGIN = 'extern int host_fn(void);\nint plugin(void) { return host_fn(); }\n';

const builds: Record<string, [compiler: string, source: string, flags: string[]]> = {
  hardened: ['gcc', 'prog.c', ['-O2', '-fstack-protector-strong', '-D_FORTIFY_SOURCE=2', '-fPIE', '-pie', '-Wl,-z,relro,-z,now']],
  weak: ['gcc', 'prog.c', ['-O0', '-fno-stack-protector', '-U_FORTIFY_SOURCE', '-no-pie', '-Wl,-z,norelro', '-z', 'execstack']],
  lazy: ['gcc', 'prog.c', ['-O2', '-fno-stack-protector', '-D_FORTIFY_SOURCE=2', '-fPIE', '-pie', '-Wl,-z,relro,-z,lazy']],
  stripped: ['gcc', 'prog.c', ['-O2', '-s']],
  rpath: ['gcc', 'prog.c', ['-Wl,-rpath,/opt/app/lib::$ORIGIN', '-Wl,--disable-new-dtags']],
  runpath: ['gcc', 'prog.c', ['-Wl,-rpath,/opt/app/lib', '-Wl,--enable-new-dtags']],
  musl: ['musl-gcc', 'prog.c', ['-O2', '-fstack-protector-strong', '-D_FORTIFY_SOURCE=2']],
  static: ['gcc', 'prog.c', ['-O2', '-static', '-fstack-protector-strong']],
  staticStripped: ['gcc', 'prog.c', ['-O2', '-static', '-s']],
  staticPie: ['gcc', 'prog.c', ['-O2', '-static-pie']],
  library: ['gcc', 'prog.c', ['-O2', '-fPIC', '-shared', '-Wl,-soname,libprog.so.1']],
  textrel: ['gcc', 'textrel.s', ['-shared', '-Wl,-z,notext']],
  wx: ['gcc', 'start.s', ['-nostdlib', '-static', '-Wl,-N']],
  dlopen: ['gcc', 'dlopen.c', []],
  plugin: ['gcc', 'plugin.c', ['-O2', '-fPIC', '-shared', '-nostdlib', '-fno-stack-protector']],
};

describe.skipIf(!hasTool('gcc') || !hasTool('musl-gcc'))('programs built here', () => {
  const dir = scratch('hardening');
  const info: Record<string, ElfInfo> = {};

  beforeAll(() => {
    writeFileSync(path.join(dir, 'prog.c'), PROGRAM);
    writeFileSync(path.join(dir, 'start.s'), START);
    writeFileSync(path.join(dir, 'textrel.s'), TEXTREL);
    writeFileSync(path.join(dir, 'dlopen.c'), DLOPEN_NOTE);
    writeFileSync(path.join(dir, 'plugin.c'), PLUGIN);
    for (const [name, [compiler, source, flags]] of Object.entries(builds)) {
      execFileSync(compiler, [...flags, '-o', name, source], { cwd: dir, stdio: 'pipe' });
      info[name] = parseBytes(read(dir, name));
    }
  }, 300_000);

  const review = (name: string) => {
    const elf = info[name] as ElfInfo;
    return hardening(elf, libcOf(elf));
  };

  test('fully hardened PIE', () => {
    expect(review('hardened')).toEqual({
      relro: 'full',
      canary: true,
      nx: true,
      pie: true,
      fortify: 'yes',
      textrel: false,
      wx: false,
      stripped: false,
      rpath: false,
      runpath: false,
    });
    const elf = info.hardened as ElfInfo;
    expect([linkage(elf), role(elf), libcOf(elf)]).toEqual(['dynamic', 'executable', 'glibc']);
    expect(elf.imports).toEqual(expect.arrayContaining(['__stack_chk_fail', '__strcpy_chk']));
  });

  test('reads no imported name but isHardeningImport ones, and the count (what a scan for the Report keeps)', () => {
    expect(info.plugin?.imports).toEqual(['host_fn']);
    expect([info.plugin?.importCount, info.plugin?.dynamic?.needed, info.plugin?.interpreter]).toEqual([1, [], null]);
    for (const [name, elf] of Object.entries(info)) {
      expect(elf.importCount, name).toBe(elf.imports.length);
      const trimmed = { ...elf, imports: elf.imports.filter(isHardeningImport) };
      expect(hardening(trimmed, libcOf(elf)), name).toEqual(hardening(elf, libcOf(elf)));
    }
    // A plugin imports from its host: not static, so FORTIFY is "no" for a glibc host, not "n/a".
    const plugin = info.plugin as ElfInfo;
    expect(hardening({ ...plugin, imports: [] }, 'glibc')).toMatchObject({ fortify: 'no', canary: false, pie: true });
    expect(hardening({ ...plugin, imports: [], importCount: 0 }, 'glibc')).toMatchObject({ fortify: 'n/a' });
  });

  test('importPrefixes decodes only the names with those prefixes, and counts them all', () => {
    const prefixes = ['dlopen', '__'];
    for (const [name, elf] of Object.entries(info)) {
      const narrowed = parseElf(bufferByteSource(read(dir, name)), { importPrefixes: prefixes });
      expect(narrowed.imports, name).toEqual(elf.imports.filter((i) => prefixes.some((prefix) => i.startsWith(prefix))));
      expect(narrowed.importCount, name).toBe(elf.importCount);
      expect({ ...narrowed, imports: [] }, name).toEqual({ ...elf, imports: [] });
    }
    expect(parseElf(bufferByteSource(read(dir, 'hardened')), { importPrefixes: ['__'] }).imports).toEqual(expect.arrayContaining(['__stack_chk_fail', '__strcpy_chk']));
    expect(parseElf(bufferByteSource(read(dir, 'plugin')), { importPrefixes: ['__'] })).toMatchObject({ imports: [], importCount: 1 });
  });

  test('nothing hardened: no RELRO, no canary, executable stack, not PIE, FORTIFY off', () => {
    expect(review('weak')).toMatchObject({ relro: 'none', canary: false, nx: false, pie: false, fortify: 'no' });
    expect(info.weak?.type).toBe('EXEC');
  });

  test('lazy binding keeps RELRO partial; no canary without -fstack-protector', () => {
    expect(review('lazy')).toMatchObject({ relro: 'partial', canary: false, fortify: 'yes' });
  });

  test('-s strips .symtab', () => {
    expect(review('stripped').stripped).toBe(true);
    expect(review('hardened').stripped).toBe(false);
  });

  test('DT_RPATH vs DT_RUNPATH, empty entries kept', () => {
    expect(info.rpath?.dynamic?.rpath).toEqual(['/opt/app/lib', '', '$ORIGIN']);
    expect(review('rpath')).toMatchObject({ rpath: true, runpath: false });
    expect(info.runpath?.dynamic?.runpath).toEqual(['/opt/app/lib']);
    expect(review('runpath')).toMatchObject({ rpath: false, runpath: true });
  });

  test('musl: libc musl, FORTIFY n/a, canary imported from musl', () => {
    const elf = info.musl as ElfInfo;
    expect(elf.interpreter).toMatch(/ld-musl-x86_64\.so\.1$/);
    expect([libcOf(elf), linkage(elf), glibcFloor(elf)]).toEqual(['musl', 'dynamic', null]);
    expect(review('musl')).toMatchObject({ fortify: 'n/a', canary: true });
  });

  test('static glibc: no libc to load, canary evidence from .symtab, FORTIFY n/a', () => {
    const elf = info.static as ElfInfo;
    expect([linkage(elf), libcOf(elf), elf.interpreter, role(elf)]).toEqual(['static', 'none', null, 'executable']);
    expect(elf.symtabMarkers).toEqual(expect.arrayContaining(['__stack_chk_fail']));
    expect(review('static')).toMatchObject({ canary: true, fortify: 'n/a', pie: false });
    expect(review('staticStripped')).toMatchObject({ canary: false, stripped: true });
  });

  test('static-pie is told apart from a shared library by DF_1_PIE', () => {
    const elf = info.staticPie as ElfInfo;
    expect([elf.type, elf.interpreter, elf.dynamic?.needed]).toEqual(['DYN', null, []]);
    expect([linkage(elf), role(elf), libcOf(elf)]).toEqual(['static-pie', 'executable', 'none']);
    expect(review('staticPie').pie).toBe(true);
  });

  test('a shared library: role library, dynamic, position-independent, SONAME', () => {
    const elf = info.library as ElfInfo;
    expect([role(elf), linkage(elf), elf.dynamic?.soname, libcOf(elf)]).toEqual(['library', 'dynamic', 'libprog.so.1', 'glibc']);
    expect(review('library').pie).toBe(true);
    expect(elf.exportCount).toBeGreaterThan(0);
  });

  test('TEXTREL and a writable+executable PT_LOAD', () => {
    expect(review('textrel').textrel).toBe(true);
    expect(info.textrel?.dynamic?.textrel).toBe(true);
    expect(review('wx').wx).toBe(true);
    expect(info.wx?.wx).toBe(true);
  });

  test('.note.dlopen: FDO dlopen metadata sonames, flattened', () => {
    expect(info.dlopen?.dlopenNotes).toEqual(['libidn2.so.0', 'libidn.so.12', 'libpcre2-8.so.0']);
  });

  test('GNU build-id and toolchain hints from .comment', () => {
    const elf = info.hardened as ElfInfo;
    expect(elf.buildId).toMatch(/^[0-9a-f]{40}$/);
    expect(toolchainHints(elf)[0]).toMatch(/^GCC: \(Debian [^)]+\) \d+\.\d+/);
    expect(glibcFloor(elf)).toMatch(/^GLIBC_2\.\d+$/);
  });
});

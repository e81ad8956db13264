/** elfutils test files (bzcat at test time): the 23-entry dynamic segment, PN_XNUM, noshdrs, elfclassify. */
import { describe, expect, test } from 'vitest';
import { bufferByteSource, linkage, role } from '../../src/elf/index.js';
import { readDynamicEntries } from '../../src/elf/dynamic.js';
import { readElfHeader, readerFor } from '../../src/elf/header.js';
import { readProgramHeaders } from '../../src/elf/segments.js';
import { PT, bunzip, hasTool, parseBytes, peerCorpus } from './_support.js';

const dir = peerCorpus('elfutils');

describe.skipIf(!dir || !hasTool('bzcat'))('elfutils', () => {
  const parse = (name: string) => parseBytes(bunzip(dir!, `${name}.bz2`));

  test('testlib_dynseg.so: the dynamic segment facts (NEEDED of the loader itself, versions, no SONAME)', () => {
    const info = parse('testlib_dynseg.so');
    expect(info.dynamic?.needed).toEqual(['libc.so.6', 'ld-linux-x86-64.so.2']);
    expect([info.dynamic?.soname, info.dynamic?.rpath, info.interpreter]).toEqual([null, [], null]);
    expect(info.dynamic?.verneed.map((n) => [n.file, n.versions.map((v) => v.name)])).toEqual([
      ['libc.so.6', ['GLIBC_2.2.5']],
      ['ld-linux-x86-64.so.2', ['GLIBC_2.3']],
    ]);
    expect(info.dynamic?.verdef).toHaveLength(1); // DT_VERDEFNUM 1
    const dynamic = info.segments.find((s) => s.type === PT.DYNAMIC);
    expect([dynamic?.vaddr, dynamic?.offset]).toEqual([0x17e0, 0x7e0]);
    expect(info.diagnostics).toEqual([]);
  });

  test('testlib_dynseg.so: exactly the 23 entries run-readelf-d.sh expects, in order', () => {
    const bytes = bunzip(dir!, 'testlib_dynseg.so.bz2');
    const source = bufferByteSource(bytes);
    const header = readElfHeader(bytes)!;
    const r = readerFor(header);
    const dynamic = readProgramHeaders(source, header, r, [], null).segments.find((s) => s.type === PT.DYNAMIC)!;
    const entries = readDynamicEntries(source, dynamic, r, [])!.map((e) => [e.tag, Number(e.value)]);
    // PLTGOT PLTRELSZ JMPREL PLTREL(RELA) RELA RELASZ RELAENT RELACOUNT SYMTAB SYMENT STRTAB STRSZ GNU_HASH
    // NEEDED NEEDED INIT FINI VERSYM VERDEF VERDEFNUM VERNEED VERNEEDNUM, then DT_NULL (not returned).
    expect(entries).toEqual([
      [3, 0x19c8],
      [2, 72],
      [23, 0x568],
      [20, 7],
      [7, 0x4d8],
      [8, 144],
      [9, 24],
      [0x6ffffff9, 1],
      [6, 0x228],
      [11, 24],
      [5, 0x360],
      [10, 190],
      [0x6ffffef5, 0x420],
      [1, expect.any(Number)],
      [1, expect.any(Number)],
      [12, 0x5b0],
      [13, 0x748],
      [0x6ffffff0, 0x460],
      [0x6ffffffc, 0x47c],
      [0x6ffffffd, 1],
      [0x6ffffffe, 0x498],
      [0x6fffffff, 2],
    ]);
    expect(entries).toHaveLength(22); // + DT_NULL = 23
  });

  test('testfile-phdrs.elf: PN_XNUM resolves to 66000 program headers; what is kept is capped', () => {
    const info = parse('testfile-phdrs.elf');
    expect([info.type, info.phnum, info.shnum]).toEqual(['CORE', 66000, 1]);
    expect(info.segments).toHaveLength(4096);
    expect(info.segments[0]).toEqual({ type: PT.LOAD, flags: 7, offset: expect.any(Number), vaddr: 0x1000, filesz: 0, memsz: 4096, align: expect.any(Number) });
    expect(info.diagnostics).toEqual(['66000 program headers: only the first 4096 were read']);
  });

  test.each([
    ['testfile52-32.so', 32, 25, 'libc.so.6: GLIBC_2.0, GLIBC_2.1.3'],
    ['testfile52-32.noshdrs.so', 32, 0, 'libc.so.6: GLIBC_2.0, GLIBC_2.1.3'],
    ['testfile54-64.so', 64, 15, 'libc.so.6: GLIBC_2.2.5'],
    ['testfile54-64.noshdrs.so', 64, 0, 'libc.so.6: GLIBC_2.2.5'],
    ['libtestfile_multi_shared.so', 64, 33, 'libc.so.6: GLIBC_2.2.5'],
  ])('%s: a shared library; DT_NEEDED/verneed from PT_DYNAMIC + PT_LOAD', (name, elfClass, shnum, verneed) => {
    const info = parse(name);
    expect([info.class, info.type, info.shnum, info.dynamic?.needed]).toEqual([elfClass, 'DYN', shnum, ['libc.so.6']]);
    expect(info.dynamic?.verneed.map((n) => `${n.file}: ${n.versions.map((v) => v.name).join(', ')}`).join('; ')).toBe(verneed);
    expect([role(info), info.debugOnly]).toEqual(['library', false]);
  });

  test('the noshdrs libraries give the same facts as their sectioned twins', () => {
    for (const [plain, stripped] of [
      ['testfile52-32.so', 'testfile52-32.noshdrs.so'],
      ['testfile54-64.so', 'testfile54-64.noshdrs.so'],
    ] as const) {
      const a = parse(plain);
      const b = parse(stripped);
      expect([b.dynamic, b.imports, b.exportCount, b.buildId]).toEqual([a.dynamic, a.imports, a.exportCount, a.buildId]);
    }
  });

  test('testlib_dynseg.so is a library (shared, loadable), not an executable', () => {
    expect(role(parse('testlib_dynseg.so'))).toBe('library');
  });

  test('testfile70.exec: an ET_DYN with PT_INTERP is a program, not a library', () => {
    const info = parse('testfile70.exec');
    expect([info.type, info.interpreter, role(info), linkage(info)]).toEqual(['DYN', '/lib64/ld-linux-x86-64.so.2', 'executable', 'dynamic']);
  });

  test('testfile53-64 is a normal executable', () => {
    const info = parse('testfile53-64');
    expect([info.type, info.interpreter, info.dynamic?.needed, role(info)]).toEqual(['EXEC', '/lib64/ld-linux-x86-64.so.2', ['libc.so.6'], 'executable']);
  });

  test('testfile53-64.debug: NOBITS-backed PT_INTERP/PT_DYNAMIC are not believed; debug-only', () => {
    const info = parse('testfile53-64.debug');
    expect([info.interpreter, info.dynamic, info.imports]).toEqual([null, null, []]);
    expect([info.debugOnly, info.hasSymtab, role(info)]).toEqual([true, true, 'debug']);
    expect(info.diagnostics).toEqual([
      expect.stringMatching(/^PT_INTERP is backed by SHT_NOBITS section \.interp/),
      expect.stringMatching(/^PT_DYNAMIC is backed by SHT_NOBITS section \.dynamic/),
    ]);
    expect(info.buildId).toBe(parse('testfile53-64').buildId);
  });
});

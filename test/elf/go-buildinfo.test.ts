/** Go build info: golang-debug-buildinfo and osv-scalibr-gobinary peer files, and synthetic layouts. */
import { chmodSync, copyFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, test } from 'vitest';
import { bufferByteSource, hardening, isElf, libcOf, linkage, tryParseElf } from '../../src/elf/index.js';
import { InputError } from '../../src/shared/errors.js';
import { buildElf, concat, uvarint } from './_builder.js';
import { base64, goFuzzBytes, goVersionM, hasTool, parseBytes, peerCorpus, read, scratch } from './_support.js';

const buildinfoDir = peerCorpus('golang-debug-buildinfo');
const scalibrDir = peerCorpus('osv-scalibr-gobinary');

describe.skipIf(!buildinfoDir)('golang-debug-buildinfo', () => {
  test('go117: the pre-1.18 pointer format', () => {
    const info = parseBytes(base64(buildinfoDir!, 'go117.base64'));
    expect(info.go).toEqual({ version: 'go1.17', path: 'example.com/go117', mainModule: 'example.com/go117@(devel)', settings: {}, deps: [] });
    expect([info.interpreter, info.dynamic, linkage(info), libcOf(info)]).toEqual([null, null, 'static', 'none']);
    expect(hardening(info, 'none').fortify).toBe('n/a');
  });

  test('notgo: a C program is not a Go executable; its ELF facts', () => {
    const info = parseBytes(base64(buildinfoDir!, 'notgo.base64'));
    expect(info.go).toBeNull();
    expect([info.interpreter, info.dynamic?.needed, info.phnum, info.shnum, info.type]).toEqual([
      '/lib64/ld-linux-x86-64.so.2',
      ['libc.so.6'],
      13,
      30,
      'DYN',
    ]);
    expect(info.dynamic?.verneed[0]?.versions.map((v) => v.name)).toEqual(['GLIBC_2.2.5', 'GLIBC_2.34']);
    expect(info.diagnostics).toEqual([]);
  });

  test('the FuzzRead crash seed parses without throwing and is not a Go executable', () => {
    const bytes = goFuzzBytes(buildinfoDir!, '36aeb674e3454016');
    expect(bytes.length).toBe(15832);
    const info = parseBytes(bytes);
    expect([info.type, info.machineName, info.phnum, info.shnum, info.dynamic?.needed, info.go]).toEqual(['DYN', 'x86-64', 13, 30, ['libc.so.6'], null]);
  });
});

describe.skipIf(!scalibrDir)('osv-scalibr-gobinary (Go 1.22)', () => {
  const common = {
    '-buildmode': 'exe',
    '-compiler': 'gc',
    DefaultGODEBUG: 'httplaxcontentlength=1,httpmuxgo121=1,panicnil=1,tls10server=1,tlsrsakex=1,tlsunsafeekm=1',
    GOOS: 'linux',
  };
  test.each([
    ['amd64', { CGO_ENABLED: '1', CGO_CFLAGS: '', CGO_CPPFLAGS: '', CGO_CXXFLAGS: '', CGO_LDFLAGS: '', GOARCH: 'amd64', GOAMD64: 'v1' }],
    ['386', { CGO_ENABLED: '0', GOARCH: '386', GO386: 'sse2' }],
    ['arm64', { CGO_ENABLED: '0', GOARCH: 'arm64' }],
  ])('linux-%s: version, main module, the => replacement, settings', (arch, settings) => {
    const info = parseBytes(read(scalibrDir!, `binary_with_module_replacement-linux-${arch}`));
    expect(info.go).toEqual({
      version: 'go1.22.0',
      path: 'binary_with_module_replacement',
      mainModule: 'binary_with_module_replacement@(devel)',
      settings: { ...common, ...settings },
      deps: [
        {
          path: 'golang.org/x/xerrors',
          version: 'v0.0.0-20220907171357-04be3eba64a2',
          sum: null,
          replace: {
            path: 'github.com/golang/xerrors',
            version: 'v0.0.0-20220907171357-04be3eba64a2',
            sum: 'h1:Wpqq3XyrlysiTYqXPoaibAPvTMmnbHE42soloZAxtZY=',
          },
        },
      ],
    });
    expect(linkage(info)).toBe('static'); // even the CGO_ENABLED=1 amd64 build
    expect(info.vdsoEvidence).toBe(arch === 'arm64' ? 'looks up __kernel_clock_gettime' : 'looks up __vdso_clock_gettime');
  });

  test.skipIf(!hasTool('go'))('equals `go version -m` for all three', () => {
    const dir = scratch('go-version-m');
    for (const arch of ['amd64', '386', 'arm64']) {
      const file = path.join(dir, arch);
      copyFileSync(path.join(scalibrDir!, `binary_with_module_replacement-linux-${arch}`), file);
      chmodSync(file, 0o755);
      expect(parseBytes(read(dir, arch)).go).toEqual(goVersionM(file));
    }
  });

  test('dummy is not ELF: isElf false, tryParseElf throws an InputError', () => {
    const bytes = read(scalibrDir!, 'dummy');
    expect(isElf(bytes)).toBe(false);
    expect(() => tryParseElf(bufferByteSource(bytes))).toThrow(InputError);
    expect(() => tryParseElf(bufferByteSource(bytes))).toThrow(/not an ELF file/);
  });
});

describe('synthetic build-info layouts', () => {
  const MAGIC = '\xff Go buildinf:';
  const start = Buffer.alloc(16, 0x30);
  const end = Buffer.alloc(16, 0x31);
  const modinfo = 'path\texample.com/m\nmod\texample.com/m\t(devel)\t\nbuild\t-compiler=gc\nbuild\t"-ldflags"="-s -w"\nbuild\tvcs.modified=true\n';
  const framed = concat(start, modinfo, end);
  const inline = (version: string, mod: Uint8Array) => concat(MAGIC, '\x08\x02', Buffer.alloc(16), uvarint(version.length), version, uvarint(mod.length), mod);
  const elfWith = (data: Uint8Array, vaddr = 0x10000n) =>
    buildElf({ class: 64, endian: 'little', type: 2, machine: 62, segments: [{ type: 1, flags: 6, vaddr, data }] }).bytes;

  test('inline (Go ≥ 1.18) header at a 16-byte-aligned address in the first writable PT_LOAD', () => {
    expect(parseBytes(elfWith(concat(Buffer.alloc(16), inline('go1.21.3', framed)))).go).toEqual({
      version: 'go1.21.3',
      path: 'example.com/m',
      mainModule: 'example.com/m@(devel)',
      settings: { '-compiler': 'gc', '-ldflags': '-s -w', 'vcs.modified': 'true' },
      deps: [],
    });
  });

  test('a misaligned header is ignored; an aligned one after it is found', () => {
    const misaligned = concat(Buffer.alloc(8), inline('go1.21.3', framed));
    expect(parseBytes(elfWith(misaligned)).go).toBeNull();
    const decoyThenReal = concat(Buffer.alloc(8), MAGIC, Buffer.alloc(10), inline('go1.22.1', framed));
    expect(parseBytes(elfWith(decoyThenReal)).go?.version).toBe('go1.22.1');
  });

  test('a string length past the end of the segment: not a Go executable, with a diagnostic', () => {
    const damaged = concat(MAGIC, '\x08\x02', Buffer.alloc(16), uvarint(5000), 'go1.2');
    const info = parseBytes(elfWith(damaged));
    expect(info.go).toBeNull();
    expect(info.diagnostics).toEqual([expect.stringMatching(/^Go build info header found but unreadable/)]);
  });

  test('modinfo without its sentinels yields no module information (as Go)', () => {
    expect(parseBytes(elfWith(inline('go1.20', Buffer.from(modinfo)))).go).toEqual({
      version: 'go1.20',
      path: null,
      mainModule: null,
      settings: {},
      deps: [],
    });
  });

  test('pointer format (Go < 1.18), 32-bit big-endian: pointers to string headers mapped through PT_LOAD', () => {
    const base = 0x20000;
    const version = Buffer.from('go1.16.15');
    // header(32) | version header(8) | modinfo header(8) | version bytes | modinfo bytes
    const versionHeader = base + 32;
    const modHeader = base + 40;
    const versionData = base + 48;
    const modData = versionData + version.length;
    const be32 = (n: number) => Buffer.from([n >>> 24, (n >>> 16) & 255, (n >>> 8) & 255, n & 255]);
    const blob = concat(
      MAGIC,
      '\x04\x01',
      be32(versionHeader),
      be32(modHeader),
      Buffer.alloc(8),
      be32(versionData),
      be32(version.length),
      be32(modData),
      be32(framed.length),
      version,
      framed,
    );
    const bytes = buildElf({ class: 32, endian: 'big', type: 2, machine: 8, segments: [{ type: 1, flags: 6, vaddr: BigInt(base), data: blob }] }).bytes;
    const info = parseBytes(bytes);
    expect([info.endian, info.machineName]).toEqual(['big', 'MIPS']);
    expect(info.go?.version).toBe('go1.16.15');
    expect(info.go?.mainModule).toBe('example.com/m@(devel)');
  });
});

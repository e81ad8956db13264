/**
 * Go's archive/tar testdata (../shared/peer-corpus/golang-archive-tar): every file, every fact of
 * its EXPECTED.md. Each file is parsed in one chunk and again one byte at a time.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { crc32 } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import type { TarHeader } from '../../src/archive/index.js';
import { peerCorpus } from '../helpers/peer-corpus.js';
import { parseTar, type ParsedEntry } from '../helpers/tar-builder.js';

const dir = peerCorpus('golang-archive-tar');
const read = (name: string): Uint8Array => readFileSync(path.join(dir!, name));

/** The logical content of a small sparse file: stored data placed at its map offsets, zeros elsewhere. */
function logicalContent(entry: ParsedEntry): Uint8Array {
  const { sparse, size } = entry.header;
  if (!sparse) return entry.body;
  const out = new Uint8Array(size);
  let at = 0;
  for (const { offset, length } of sparse) {
    out.set(entry.body.subarray(at, at + length), offset);
    at += length;
  }
  return out;
}

const crc = (entry: ParsedEntry): string => crc32(logicalContent(entry)).toString(16).padStart(8, '0');
const summary = (h: TarHeader) => [h.name, String.fromCharCode(h.typeflag), h.size, h.linkname];

function parseOk(name: string): ParsedEntry[] {
  const { entries, error } = parseTar(read(name), { label: name });
  expect(error).toBeUndefined();
  return entries;
}

function expectFailure(name: string, code: string, data = read(name)): void {
  const { entries, error } = parseTar(data, { label: name });
  expect(entries).toEqual([]);
  expect(error).toMatchObject({ name: 'InputError', code });
  expect((error as Error).message).toMatch(new RegExp(`^${name.replace(/\./g, '\\.')}: .* at byte \\d+`));
}

describe.skipIf(!dir)('golang-archive-tar', () => {
  const smallFiles = (entries: ParsedEntry[]) => {
    expect(entries.map((e) => [e.header.name, e.header.type, e.header.size, e.header.linkname])).toEqual([
      ['small.txt', 'file', 5, ''],
      ['small2.txt', 'file', 11, ''],
    ]);
    expect(entries.map(crc)).toEqual(['6cbd88fc', 'ddac04b3']);
  };

  it('gnu.tar: GNU format with uid/gid/uname/gname', () => {
    const entries = parseOk('gnu.tar');
    smallFiles(entries);
    for (const { header } of entries) {
      expect(header).toMatchObject({ uid: 73025, gid: 5000, uname: 'dsymonds', gname: 'eng', format: 'gnu' });
    }
  });

  it.each([
    ['star.tar', 'star'],
    ['v7.tar', 'v7'],
  ])('%s: the same two files', (name, format) => {
    const entries = parseOk(name);
    smallFiles(entries);
    expect(entries[0]!.header.format).toBe(format);
  });

  it('ustar.tar: prefix + name split', () => {
    const [entry, ...rest] = parseOk('ustar.tar');
    expect(rest).toEqual([]);
    expect(entry!.header.name).toBe('longname/'.repeat(15) + 'file.txt');
    expect(entry!.header.name).toHaveLength(143);
    expect(Buffer.from(entry!.body).toString()).toBe('hello\n');
  });

  it('pax.tar: PAX path, linkpath and sub-second mtimes', () => {
    const [file, link] = parseOk('pax.tar');
    expect(file!.header.name).toHaveLength(194);
    expect(file!.header.name.startsWith('a/123456789101112')).toBe(true);
    expect(file!.header).toMatchObject({ type: 'file', size: 7, format: 'pax' });
    expect(file!.header.mtime).toBeCloseTo(1350244992.02396, 5);
    expect(file!.header.pax.mtime).toBe('1350244992.023960108');
    expect(link!.header).toMatchObject({ name: 'a/b', type: 'symlink' });
    expect(link!.header.linkname).toHaveLength(192);
  });

  it('pax-records.tar: arbitrary PAX keys are kept', () => {
    const [entry] = parseOk('pax-records.tar');
    expect(summary(entry!.header)).toEqual(['file', '0', 0, '']);
    expect(entry!.header.pax).toEqual({ 'GOLANG.pkg': 'tar', comment: 'Hello, 世界', uname: 'longlonglonglonglonglonglonglonglonglong' });
    expect(entry!.header.uname).toBe('longlonglonglonglonglonglonglonglonglong');
  });

  it('pax-global-records.tar: global headers are entries and are not applied', () => {
    const entries = parseOk('pax-global-records.tar');
    expect(entries.map((e) => [e.header.name, e.header.type])).toEqual([
      ['global1', 'pax-global'],
      ['file1', 'file'],
      ['file2', 'file'],
      ['GlobalHead.0.0', 'pax-global'],
      ['file3', 'file'],
      ['file4', 'file'],
    ]);
    expect(entries[0]!.header.pax).toEqual({ mtime: '1500000000.0', path: 'global1' });
    expect(entries[1]!.header.mtime).toBe(0); // the global mtime record is not applied
    expect(entries[5]!.header.mtime).toBe(1400000000);
  });

  it('pax-multi-hdrs.tar: of several PAX headers in a row, the last one wins', () => {
    const entries = parseOk('pax-multi-hdrs.tar');
    expect(entries.map((e) => summary(e.header))).toEqual([['bar', '2', 0, 'PAX4/PAX4/long-linkpath-name']]);
  });

  it('pax-pos-size-file.tar: size from a PAX record', () => {
    const [entry] = parseOk('pax-pos-size-file.tar');
    expect(summary(entry!.header)).toEqual(['foo', '0', 999, '']);
    expect(crc(entry!)).toBe('5fd7e86a');
  });

  it.each([
    ['pax-nil-sparse-data.tar', 1000],
    ['pax-nil-sparse-hole.tar', 0],
  ])('%s: PAX sparse 1.0, logical size 1000', (name, stored) => {
    const [entry, ...rest] = parseOk(name);
    expect(rest).toEqual([]);
    expect(entry!.header).toMatchObject({ name: 'sparse.db', type: 'file', size: 1000, dataSize: stored });
    expect(entry!.body).toHaveLength(stored);
  });

  it.each([
    ['pax-sparse-big.tar', 'pax-sparse', '0'],
    ['gnu-sparse-big.tar', 'gnu-sparse', 'S'],
  ])('%s: a 60 GB logical file costs only its stored bytes', (name, entryName, typeflag) => {
    const [entry, ...rest] = parseOk(name);
    expect(rest).toEqual([]);
    expect(summary(entry!.header)).toEqual([entryName, typeflag, 60000000000, '']);
    expect(entry!.header.dataSize).toBe(6 * 512);
    expect(entry!.body).toHaveLength(6 * 512);
    expect(entry!.header.sparse).toHaveLength(6);
    expect(entry!.header.sparse![5]).toEqual({ offset: 60000000000 - 512, length: 512 });
  });

  it('sparse-formats.tar: all four sparse encodings, 5 entries', () => {
    const entries = parseOk('sparse-formats.tar');
    expect(entries.map((e) => summary(e.header))).toEqual([
      ['sparse-gnu', 'S', 200, ''],
      ['sparse-posix-0.0', '0', 200, ''],
      ['sparse-posix-0.1', '0', 200, ''],
      ['sparse-posix-1.0', '0', 200, ''],
      ['end', '0', 4, ''],
    ]);
    expect(entries.map(crc)).toEqual(['5375e1d2', '5375e1d2', '5375e1d2', '5375e1d2', '8eb179ba']);
    for (const entry of entries.slice(0, 4)) expect(entry.header.dataSize).toBe(95);
  });

  it.each(['gnu-nil-sparse-data.tar', 'gnu-nil-sparse-hole.tar'])('%s: GNU sparse, all data or all hole', (name) => {
    const entries = parseOk(name);
    expect(entries.map((e) => summary(e.header))).toEqual([['sparse.db', 'S', 1000, '']]);
  });

  it('gnu-incremental.tar: dumpdir with a body, then a 512 MiB sparse file', () => {
    const entries = parseOk('gnu-incremental.tar');
    expect(entries.map((e) => summary(e.header))).toEqual([
      ['test2/', 'D', 14, ''],
      ['test2/foo', '0', 64, ''],
      ['test2/sparse', 'S', 536870912, ''],
    ]);
    expect(entries[0]!.header.type).toBe('gnu-dumpdir');
    expect(entries[0]!.body).toHaveLength(14);
  });

  it('gnu-multi-hdrs.tar: repeated GNU long records, the last one wins', () => {
    const entries = parseOk('gnu-multi-hdrs.tar');
    expect(entries.map((e) => summary(e.header))).toEqual([['GNU2/GNU2/long-path-name', '2', 0, 'GNU4/GNU4/long-linkpath-name']]);
  });

  it('gnu-long-nul.tar: a long name is cut at its first NUL', () => {
    expect(parseOk('gnu-long-nul.tar').map((e) => summary(e.header))).toEqual([['0123456789', '0', 0, '']]);
  });

  it('gnu-utf8.tar: a UTF-8 long name', () => {
    const [entry] = parseOk('gnu-utf8.tar');
    expect(entry!.header.name).toBe('☺☻☹'.repeat(18));
    expect(Buffer.byteLength(entry!.header.name)).toBe(162);
    expect(entry!.header.rawName).toBeUndefined();
  });

  it('gnu-not-utf8.tar: a name that is not UTF-8 keeps its raw bytes', () => {
    const [entry] = parseOk('gnu-not-utf8.tar');
    const raw = Buffer.from('hi\x80\x81\x82\x83bye', 'latin1');
    expect(Buffer.from(entry!.header.rawName!).equals(raw)).toBe(true);
    expect(entry!.header.name).toBe(raw.toString('latin1'));
    expect(entry!.header.size).toBe(0);
  });

  it('nil-uid.tar: all-NUL uid/gid fields are 0', () => {
    const [entry] = parseOk('nil-uid.tar');
    expect(entry!.header).toMatchObject({ name: 'P1050238.JPG.log', size: 14, uid: 0, gid: 0 });
  });

  it('xattrs.tar: SCHILY.xattr records become raw-byte xattrs (trailing NUL kept)', () => {
    const [small, small2] = parseOk('xattrs.tar');
    smallFiles([small!, small2!]);
    const text = (x: Record<string, Uint8Array>) => Object.fromEntries(Object.entries(x).map(([k, v]) => [k, Buffer.from(v).toString('latin1')]));
    expect(text(small!.header.xattrs)).toEqual({
      'user.key': 'value',
      'user.key2': 'value2',
      'security.selinux': 'unconfined_u:object_r:default_t:s0\0',
    });
    expect(text(small2!.header.xattrs)).toEqual({ 'security.selinux': 'unconfined_u:object_r:default_t:s0\0' });
  });

  it('invalid-go17.tar: a prefix in a pre-Go-1.8 GNU header', () => {
    const [entry] = parseOk('invalid-go17.tar');
    expect(entry!.header.name).toBe('a'.repeat(97) + '/foo');
    expect(entry!.header).toMatchObject({ type: 'file', size: 0, uid: 0o10000000 });
  });

  it('ustar-file-devs.tar: device numbers on a regular file', () => {
    const [entry] = parseOk('ustar-file-devs.tar');
    expect(entry!.header).toMatchObject({ name: 'file', type: 'file', size: 0, devmajor: 1, devminor: 1 });
  });

  it('ustar-file-reg.tar, trailing-slash.tar, file-and-dir.tar, hardlink.tar, writer.tar', () => {
    expect(parseOk('ustar-file-reg.tar').map((e) => summary(e.header))).toEqual([['foo', '0', 684, '']]);
    const [slash] = parseOk('trailing-slash.tar');
    expect(slash!.header).toMatchObject({ name: '123456789/'.repeat(30), type: 'directory' });
    expect(parseOk('file-and-dir.tar').map((e) => [e.header.name, e.header.type, e.header.size])).toEqual([
      ['small.txt', 'file', 5],
      ['dir/', 'directory', 0],
    ]);
    const hardlink = parseOk('hardlink.tar');
    expect(hardlink.map((e) => summary(e.header))).toEqual([
      ['file.txt', '0', 15, ''],
      ['hard.txt', '1', 0, 'file.txt'],
    ]);
    expect(Buffer.from(hardlink[0]!.body).toString()).toBe('Slartibartfast\n');
    expect(parseOk('writer.tar').map((e) => summary(e.header))).toEqual([
      ['small.txt', '0', 5, ''],
      ['small2.txt', '0', 11, ''],
      ['link.txt', '2', 0, 'small.txt'],
    ]);
  });

  it('hdr-only.tar: header-only types get no body even when the size field says 5', () => {
    const entries = parseOk('hdr-only.tar');
    expect(entries).toHaveLength(16);
    const first = entries.slice(0, 8).map((e) => e.header);
    expect(first.map((h) => [h.name, h.type, h.linkname])).toEqual([
      ['dir/', 'directory', ''],
      ['fifo', 'fifo', ''],
      ['file', 'file', ''],
      ['hardlink', 'hardlink', 'file'],
      ['null', 'char', ''],
      ['sda', 'block', ''],
      ['symlink', 'symlink', 'file'],
      ['badlink', 'symlink', 'missing'],
    ]);
    expect(entries.slice(8).map((e) => e.header)).toEqual(first);
    for (const entry of entries) expect(entry.body).toHaveLength(entry.header.name === 'file' ? 46 : 0);
  });

  it.each([
    ['writer-big.tar', 'tmp/16gig.txt'],
    ['writer-big-long.tar', 'longname/'.repeat(15) + '16gig.txt'],
  ])('%s: a 16 GiB header, then unexpected EOF in the body', (name, entryName) => {
    const { entries, error } = parseTar(read(name), { label: name });
    expect(entries.map((e) => summary(e.header))).toEqual([[entryName, '0', 17179869184, '']]);
    expect(error).toMatchObject({ code: 'E_TAR_TRUNCATED' });
  });

  it('pax-path-hdr.tar: a PAX header without a file is an empty archive', () => {
    expect(parseOk('pax-path-hdr.tar')).toEqual([]);
  });

  it.each([
    'pax-bad-hdr-file.tar',
    'pax-bad-mtime-file.tar',
    'pax-nul-xattrs.tar',
    'pax-nul-path.tar',
    'neg-size.tar',
    'issue10968.tar',
    'issue11169.tar',
    'issue12435.tar',
  ])('%s: ErrHeader', (name) => expectFailure(name, 'E_TAR_HEADER'));

  const bzcat = ['/usr/bin/bzcat', '/bin/bzcat'].find((tool) => existsSync(tool));
  it.skipIf(!bzcat)('pax-bad-hdr-large.tar.bz2: ErrFieldTooLong without allocating the record', () => {
    const data = execFileSync(bzcat!, [path.join(dir!, 'pax-bad-hdr-large.tar.bz2')], { maxBuffer: 64 << 20 });
    expectFailure('pax-bad-hdr-large.tar', 'E_TAR_FIELD_TOO_LONG', data);
  });

  it('every file parses the same fed one byte at a time', () => {
    for (const name of readdirTars()) {
      const whole = parseTar(read(name), { label: name });
      const bytewise = parseTar(read(name), { label: name, chunkSize: 1 });
      expect(bytewise.entries, name).toEqual(whole.entries);
      expect(String(bytewise.error), name).toBe(String(whole.error));
    }
  });
});

function readdirTars(): string[] {
  return readFileSync(path.join(dir!, 'SHA256SUMS'), 'utf8')
    .split('\n')
    .map((line) => line.trim().split(/\s+\*?/)[1])
    .filter((name): name is string => !!name && name.endsWith('.tar'));
}

/**
 * node-tar's fixtures (../shared/peer-corpus/node-tar): our parse of every tars/*.tar against the
 * entries of node-tar's own parse/<name>.json, except where EXPECTED.md records that Go's reader
 * differs: there we assert Go's result, since Docker and containerd read layers with it.
 */
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { decompressStream, type TarHeader } from '../../src/archive/index.js';
import { peerCorpus } from '../helpers/peer-corpus.js';
import { concatBytes, parseTar } from '../helpers/tar-builder.js';

const dir = peerCorpus('node-tar');

const NODE_TYPES: Record<string, string> = { File: 'file', Directory: 'directory', Link: 'hardlink', SymbolicLink: 'symlink' };

interface NodeEntry {
  type: string;
  path: string;
  size: number;
  linkpath?: string;
  mode: number;
  uid: number;
  gid: number;
  mtime: string;
}

/** Go's reading where it differs from node-tar (golang 1.19 column of EXPECTED.md). */
const GO_DIFFERS = new Set(['links-invalid', 'bad-cksum', 'path-missing']);

function ours(header: TarHeader) {
  return {
    type: header.type,
    path: header.name,
    size: header.size,
    linkpath: header.linkname,
    mode: header.mode,
    uid: header.uid,
    gid: header.gid,
    mtimeMs: Math.floor(header.mtime * 1000),
  };
}

function theirs(entry: NodeEntry) {
  return {
    type: NODE_TYPES[entry.type] ?? entry.type,
    path: entry.path,
    size: entry.size,
    linkpath: entry.linkpath ?? '',
    mode: entry.mode,
    uid: entry.uid,
    gid: entry.gid,
    mtimeMs: Date.parse(entry.mtime),
  };
}

describe.skipIf(!dir)('node-tar', () => {
  const tars = dir ? readdirSync(path.join(dir, 'tars')).map((file) => file.replace(/\.tar$/, '')) : [];
  const parseFixture = (name: string) => parseTar(readFileSync(path.join(dir!, 'tars', `${name}.tar`)), { label: name });

  it.each(tars.filter((name) => !GO_DIFFERS.has(name)))('%s.tar matches node-tar parse JSON', (name) => {
    const events = JSON.parse(readFileSync(path.join(dir!, 'parse', `${name}.json`), 'utf8')) as Array<[string, NodeEntry]>;
    const expected = events.filter(([kind]) => kind === 'entry').map(([, entry]) => theirs(entry));
    const { entries, error } = parseFixture(name);
    expect(error).toBeUndefined();
    const files = entries.filter((e) => e.header.type !== 'pax-global');
    expect(files.map((e) => ours(e.header))).toEqual(expected);
    for (const entry of files) expect(entry.body).toHaveLength(entry.header.size);
  });

  it('global-header.tar: a pax-global entry named ab, and the file keeps its own name', () => {
    const { entries } = parseFixture('global-header');
    expect(entries.map((e) => [e.header.type, e.header.name])).toEqual([
      ['pax-global', 'ab'],
      ['file', 'one-byte.txt'],
    ]);
  });

  it('null-byte.tar: the NUL-terminated GNU long name gives a 121-char name', () => {
    const { entries } = parseFixture('null-byte');
    expect(entries[1]!.header.name).toHaveLength(121);
    expect(entries[1]!.header.name.endsWith('this_is_a_really_long_tgz_file_with_a_lot_of_characters.tgz')).toBe(true);
  });

  it('links-invalid.tar (Go): a file with a linkname, a hard link with an empty target, a symlink', () => {
    const { entries, error } = parseFixture('links-invalid');
    expect(error).toBeUndefined();
    expect(entries.map((e) => [e.header.type, e.header.name, e.header.size, e.header.linkname])).toEqual([
      ['file', 'hardlink-1', 26, 'hardlink-2'],
      ['hardlink', 'hardlink-2', 0, ''],
      ['symlink', 'symlink', 0, 'hardlink-2'],
    ]);
  });

  it('bad-cksum.tar (Go): one-byte.txt, then an invalid header', () => {
    const { entries, error } = parseFixture('bad-cksum');
    expect(entries.map((e) => e.header.name)).toEqual(['one-byte.txt']);
    expect(error).toMatchObject({ code: 'E_TAR_HEADER' });
  });

  it('path-missing.tar (Go): one entry with an empty name', () => {
    const { entries, error } = parseFixture('path-missing');
    expect(error).toBeUndefined();
    expect(entries.map((e) => [e.header.name, String.fromCharCode(e.header.typeflag), e.header.size])).toEqual([['', '0', 1]]);
  });

  it('excessively-deep.tar: a 444749-char path of depth 222372 parses as one 3-byte file', () => {
    const { entries, error } = parseTar(readFileSync(path.join(dir!, 'excessively-deep.tar')));
    expect(error).toBeUndefined();
    expect(entries).toHaveLength(1);
    const { name, size } = entries[0]!.header;
    expect(name).toHaveLength(444749);
    expect(name.startsWith('./a/a/')).toBe(true);
    expect(name.endsWith('/foo.txt')).toBe(true);
    expect(name.split('/')).toHaveLength(222372); // node-tar's depth: '.', 222370 × 'a', 'foo.txt'
    expect(size).toBe(3);
  });

  it('long-linkname.tar: a symlink with a 144-char PAX linkpath', () => {
    const { entries } = parseTar(readFileSync(path.join(dir!, 'long-linkname.tar')));
    expect(entries.map((e) => [e.header.type, e.header.name])).toEqual([['symlink', 'test']]);
    expect(entries[0]!.header.linkname).toHaveLength(144);
    expect(entries[0]!.header.linkname.endsWith('averylongname')).toBe(true);
  });

  it('example.tzst: zstd is detected and the tar inside lists x/ and x/1 … x/10', async () => {
    const source = (async function* () {
      yield readFileSync(path.join(dir!, 'example.tzst'));
    })();
    const { compression, stream } = await decompressStream(source, 'example.tzst');
    expect(compression).toBe('zstd');
    const chunks: Uint8Array[] = [];
    for await (const chunk of stream) chunks.push(chunk);
    const tar = concatBytes(...chunks);
    expect(tar).toHaveLength(20480);
    const { entries, error } = parseTar(tar);
    expect(error).toBeUndefined();
    expect(entries.map((e) => e.header.name).sort()).toEqual(['x/', ...Array.from({ length: 10 }, (_, i) => `x/${i + 1}`)].sort());
    for (const entry of entries.slice(1)) expect(entry.body.length).toBeGreaterThanOrEqual(2);
  });
});

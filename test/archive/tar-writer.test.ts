/**
 * TarWriter and encodeTarHeaders: byte-identical to Go's writer on its golden files, round trips
 * through our parser and GNU tar, PAX only when needed, xattrs, backpressure and body checks.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, lstatSync, mkdirSync, readFileSync, readlinkSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { encodeTarHeaders, TAR_END, tarPadding, TarWriter, type TarWriteEntry } from '../../src/archive/index.js';
import { peerCorpus } from '../helpers/peer-corpus.js';
import { bytes, concatBytes, parseTar, utf8 } from '../helpers/tar-builder.js';

const scratch = '/tmp/archive/writer-test';

async function writeTar(entries: Array<[TarWriteEntry, (Uint8Array | AsyncIterable<Uint8Array>)?]>): Promise<Uint8Array> {
  const chunks: Uint8Array[] = [];
  const writer = new TarWriter((chunk) => {
    chunks.push(chunk);
  });
  for (const [entry, body] of entries) await writer.add(entry, body);
  await writer.finish();
  expect(writer.position).toBe(chunks.reduce((n, c) => n + c.length, 0));
  return concatBytes(...chunks);
}

const base = { mode: 0o644, uid: 0, gid: 0, mtime: 1700000000 } as const;

const corpus = peerCorpus('golang-archive-tar');
describe.skipIf(!corpus)("Go's writer golden files", () => {
  const golden = (name: string) => readFileSync(path.join(corpus!, name));

  it('writer.tar is reproduced byte for byte', async () => {
    const owner = { uid: 73025, gid: 5000, uname: 'dsymonds', gname: 'eng' };
    const tar = await writeTar([
      [{ name: 'small.txt', type: 'file', mode: 0o640, mtime: 1246508266, ...owner }, utf8('Kilts')],
      [{ name: 'small2.txt', type: 'file', mode: 0o640, mtime: 1245217492, ...owner }, utf8('Google.com\n')],
      [{ name: 'link.txt', type: 'symlink', linkname: 'small.txt', mode: 0o777, uid: 1000, gid: 1000, uname: 'strings', gname: 'strings', mtime: 1314603082 }],
    ]);
    expect(Buffer.from(tar).equals(golden('writer.tar'))).toBe(true);
  });

  it('ustar.tar (prefix split) is reproduced byte for byte', async () => {
    const entry: TarWriteEntry = { name: 'longname/'.repeat(15) + 'file.txt', type: 'file', mode: 0o644, uid: 501, gid: 20, uname: 'shane', gname: 'staff', mtime: 1360135598 };
    expect(Buffer.from(await writeTar([[entry, utf8('hello\n')]])).equals(golden('ustar.tar'))).toBe(true);
  });

  it('writer-big-long.tar (PAX path and size) headers are reproduced byte for byte', () => {
    const entry: TarWriteEntry = {
      name: 'longname/'.repeat(15) + '16gig.txt',
      type: 'file',
      size: 17179869184,
      mode: 0o644,
      uid: 1000,
      gid: 1000,
      uname: 'guillaume',
      gname: 'guillaume',
      mtime: 1399583047,
    };
    expect(Buffer.from(encodeTarHeaders(entry)).equals(golden('writer-big-long.tar'))).toBe(true);
  });
});

describe('round trips', () => {
  // vfs_cap_data revision 2, effective, permitted = CAP_NET_RAW (bit 13)
  const capability = new Uint8Array([1, 0, 0, 2, 0, 0x20, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
  const entries: Array<[TarWriteEntry, Uint8Array?]> = [
    [{ ...base, name: 'dir/', type: 'directory', mode: 0o755 }],
    [{ ...base, name: 'dir/plain.txt', type: 'file' }, utf8('plain')],
    [{ ...base, name: `${'p'.repeat(120)}/${'n'.repeat(90)}`, type: 'file' }, utf8('split')],
    [{ ...base, name: 'deep/'.repeat(60) + 'file', type: 'file' }, utf8('pax path')],
    [{ ...base, name: 'ünïcödé/☺.txt', type: 'file', uname: 'ßuser', gname: 'g'.repeat(40) }, utf8('utf8')],
    [{ ...base, name: 'raw', rawName: bytes('raw-\xff\xfe'), type: 'file' }, utf8('latin1')],
    [{ ...base, name: 'link', type: 'symlink', linkname: 'target/'.repeat(30) }],
    [{ ...base, name: 'hard', type: 'hardlink', linkname: 'dir/plain.txt' }],
    [{ ...base, name: 'big-ids', type: 'file', uid: 70000000, gid: 2097152, mtime: -86400 }, new Uint8Array(0)],
    [{ ...base, name: 'ping', type: 'file', mode: 0o4755, xattrs: { 'security.capability': capability, 'user.note': utf8('n\0te') } }, new Uint8Array(1500).fill(9)],
    [{ ...base, name: 'null', type: 'char', devmajor: 1, devminor: 3 }],
    [{ ...base, name: 'fifo', type: 'fifo' }],
  ];

  it('our parser reads back every field', async () => {
    const { entries: parsed, error } = parseTar(await writeTar(entries));
    expect(error).toBeUndefined();
    expect(parsed).toHaveLength(entries.length);
    parsed.forEach(({ header, body }, i) => {
      const [entry, data] = entries[i]!;
      expect(header).toMatchObject({ name: entry.rawName ? Buffer.from(entry.rawName).toString('latin1') : entry.name, type: entry.type, mode: entry.mode, uid: entry.uid, gid: entry.gid, mtime: entry.mtime });
      expect(header.linkname).toBe(entry.linkname ?? '');
      expect(header.uname).toBe(entry.uname ?? '');
      expect(header.gname).toBe(entry.gname ?? '');
      expect(Buffer.from(body).equals(Buffer.from(data ?? new Uint8Array(0)))).toBe(true);
      expect(header.xattrs).toEqual(entry.xattrs ?? {});
      if (entry.rawName) expect(header.rawName).toEqual(entry.rawName);
      if (entry.type === 'char') expect(header).toMatchObject({ devmajor: 1, devminor: 3 });
    });
  });

  it('uses PAX only when a field needs it, with sorted records, and is deterministic', async () => {
    const first = await writeTar(entries);
    expect(Buffer.from(await writeTar(entries)).equals(Buffer.from(first))).toBe(true);
    const paxNames = parseTar(first).entries.filter((e) => e.header.format === 'pax').map((e) => e.header.name);
    expect(paxNames).toEqual(['deep/'.repeat(60) + 'file', 'ünïcödé/☺.txt', Buffer.from(bytes('raw-\xff\xfe')).toString('latin1'), 'link', 'big-ids', 'ping']);
    const pax = Buffer.from(encodeTarHeaders(entries[9]![0])).toString('latin1');
    expect(pax.indexOf('SCHILY.xattr.security.capability')).toBeLessThan(pax.indexOf('SCHILY.xattr.user.note'));
    expect(encodeTarHeaders(entries[1]![0])).toHaveLength(512);
    expect(encodeTarHeaders(entries[2]![0])).toHaveLength(512);
  });

  const gnuTar = existsSync('/usr/bin/tar') || existsSync('/bin/tar');
  it.skipIf(!gnuTar)('GNU tar lists and extracts it, xattrs and file capabilities included', async () => {
    rmSync(scratch, { recursive: true, force: true });
    mkdirSync(path.join(scratch, 'out'), { recursive: true });
    const tarPath = path.join(scratch, 'round.tar');
    writeFileSync(tarPath, await writeTar(entries.filter(([e]) => e.type !== 'char' && !e.rawName)));
    const listing = execFileSync('tar', ['-tf', tarPath], { encoding: 'utf8' }).trim().split('\n');
    expect(listing).toContain('deep/'.repeat(60) + 'file');
    expect(listing).toContain('ünïcödé/☺.txt');
    expect(execFileSync('tar', ['-tvf', tarPath, 'big-ids'], { encoding: 'utf8' })).toMatch(/70000000\/2097152/);
    execFileSync('tar', ['-xf', tarPath, '-C', path.join(scratch, 'out')]);
    const out = (name: string) => path.join(scratch, 'out', name);
    expect(readFileSync(out('deep/'.repeat(60) + 'file'), 'utf8')).toBe('pax path');
    expect(readFileSync(out(`${'p'.repeat(120)}/${'n'.repeat(90)}`), 'utf8')).toBe('split');
    expect(readlinkSync(out('link'))).toBe('target/'.repeat(30));
    expect(lstatSync(out('hard')).ino).toBe(lstatSync(out('dir/plain.txt')).ino);
    expect(lstatSync(out('ping')).mode & 0o7777).toBe(0o4755);
    const xattrs = execFileSync('tar', ['--xattrs', '--xattrs-include=*', '-tvvf', tarPath, 'ping'], { encoding: 'utf8' });
    expect(xattrs).toContain('x: 20 security.capability');
    expect(xattrs).toContain('x: 4 user.note');
    if (existsSync('/usr/sbin/getcap')) {
      const caps = path.join(scratch, 'caps');
      mkdirSync(caps);
      execFileSync('tar', ['--xattrs', '--xattrs-include=*', '-xf', tarPath, '-C', caps, 'ping']);
      expect(execFileSync('/usr/sbin/getcap', [path.join(caps, 'ping')], { encoding: 'utf8' })).toMatch(/cap_net_raw[=+]ep/);
    }
    rmSync(scratch, { recursive: true, force: true });
  });
});

describe('TarWriter behaviour', () => {
  it('waits for the sink before writing more (backpressure) and keeps call order', async () => {
    const log: string[] = [];
    let release: () => void = () => undefined;
    const writer = new TarWriter(async (chunk) => {
      log.push(`chunk ${chunk.length}`);
      await new Promise<void>((resolve) => (release = resolve));
    });
    const first = writer.add({ ...base, name: 'a', type: 'file' }, utf8('a'));
    const second = writer.add({ ...base, name: 'b', type: 'file' }, utf8('b'));
    await new Promise((resolve) => setImmediate(resolve));
    expect(log).toEqual(['chunk 1024']);
    release();
    await first;
    await new Promise((resolve) => setImmediate(resolve));
    expect(log).toEqual(['chunk 1024', 'chunk 1024']);
    release();
    await second;
  });

  it('streams large and iterable bodies with padding', async () => {
    async function* body() {
      yield new Uint8Array(100_000).fill(1);
      yield new Uint8Array(0);
      yield new Uint8Array(23).fill(2);
    }
    const tar = await writeTar([
      [{ ...base, name: 'streamed', type: 'file', size: 100_023 }, body()],
      [{ ...base, name: 'large', type: 'file' }, new Uint8Array(200_000).fill(3)],
    ]);
    const { entries, error } = parseTar(tar);
    expect(error).toBeUndefined();
    expect(entries.map((e) => [e.header.name, e.body.length, e.body[e.body.length - 1]])).toEqual([
      ['streamed', 100_023, 2],
      ['large', 200_000, 3],
    ]);
    expect(tar.length % 512).toBe(0);
  });

  it('rejects bodies that do not match the size, and the failure is sticky', async () => {
    async function* short() {
      yield utf8('abc');
    }
    const attempt = (entry: TarWriteEntry, body?: Uint8Array | AsyncIterable<Uint8Array>) => new TarWriter(() => undefined).add(entry, body);
    await expect(attempt({ ...base, name: 'f', type: 'file', size: 4 }, utf8('abc'))).rejects.toMatchObject({ code: 'E_TAR_BODY_SIZE' });
    await expect(attempt({ ...base, name: 'f', type: 'file', size: 4 }, short())).rejects.toMatchObject({ code: 'E_TAR_BODY_SIZE' });
    await expect(attempt({ ...base, name: 'f', type: 'file', size: 2 }, short())).rejects.toMatchObject({ code: 'E_TAR_BODY_SIZE' });
    await expect(attempt({ ...base, name: 'f', type: 'file' }, short())).rejects.toMatchObject({ code: 'E_TAR_BODY_SIZE' });
    await expect(attempt({ ...base, name: 'd', type: 'directory' }, utf8('x'))).rejects.toMatchObject({ code: 'E_TAR_BODY_SIZE' });
    const writer = new TarWriter(() => undefined);
    await expect(writer.add({ ...base, name: 'f', type: 'file', size: 9 }, utf8('x'))).rejects.toThrow();
    await expect(writer.add({ ...base, name: 'g', type: 'file' }, utf8('x'))).rejects.toMatchObject({ code: 'E_TAR_BODY_SIZE' });
    const done = new TarWriter(() => undefined);
    await done.finish();
    await expect(done.add({ ...base, name: 'late', type: 'fifo' })).rejects.toMatchObject({ code: 'E_TAR_WRITE' });
  });

  it('rejects entries that cannot be encoded', () => {
    expect(() => encodeTarHeaders({ ...base, name: 'a\0b', type: 'file' })).toThrow(/NUL/);
    expect(() => encodeTarHeaders({ ...base, name: 'a', type: 'file', uid: -1 })).toThrow(/uid/);
    expect(() => encodeTarHeaders({ ...base, name: 'a', type: 'block', devmajor: 0o10000000 })).toThrow(/device number/);
    expect(() => encodeTarHeaders({ ...base, name: 'a', type: 'file', xattrs: { 'a=b': new Uint8Array(1) } })).toThrow(/xattr/);
  });

  it('tarPadding and TAR_END', () => {
    expect([0, 1, 511, 512, 513].map(tarPadding)).toEqual([0, 511, 1, 0, 511]);
    expect(TAR_END).toEqual(new Uint8Array(1024));
  });
});

/**
 * Other peer fixtures: moby's broken.tar (GNU base-256 ids mixed with a USTAR prefix),
 * containers/image compression samples (sniffing, decompression, rejection) and
 * go-containerregistry's zstd layer, whose decompressed digest is its diff_id.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { decompressStream, Digester, peekStream, sniffCompression } from '../../src/archive/index.js';
import { peerCorpus } from '../helpers/peer-corpus.js';
import { concatBytes, parseTar } from '../helpers/tar-builder.js';

async function* chunksOf(data: Uint8Array, size = 3): AsyncGenerator<Uint8Array> {
  for (let at = 0; at < data.length; at += size) yield data.subarray(at, at + size);
}

async function collect(stream: AsyncIterable<Uint8Array>): Promise<Uint8Array> {
  const parts: Uint8Array[] = [];
  for await (const chunk of stream) parts.push(chunk);
  return concatBytes(...parts);
}

const moby = peerCorpus('moby-go-archive');
describe.skipIf(!moby)('moby-go-archive/broken.tar', () => {
  it('lists all 10 entries with the full 101-char prefixed name and base-256 ids', () => {
    const { entries, error } = parseTar(readFileSync(path.join(moby!, 'broken.tar')));
    expect(error).toBeUndefined();
    const base = 'root/.cpanm/work/1395823785.24209/';
    expect(entries.map((e) => [e.header.name, e.header.size])).toEqual([
      ['root/', 0],
      ['root/.cpanm/', 0],
      ['root/.cpanm/work/', 0],
      [base, 0],
      [`${base}File-Find-Rule-0.33/`, 0],
      [`${base}File-Find-Rule-0.33/META.yml`, 594],
      [`${base}Plack-1.0030/`, 0],
      [`${base}Plack-1.0030/blib/`, 0],
      [`${base}Plack-1.0030/blib/man3/`, 0],
      [`${base}Plack-1.0030/blib/man3/Plack::Middleware::LighttpdScriptNameFix.3pm`, 6149],
    ]);
    expect(entries[9]!.header.name).toHaveLength(101);
    expect(entries[5]!.header).toMatchObject({ uid: 831580115, gid: 755412454 });
  });
});

const compression = peerCorpus('containers-image');
describe.skipIf(!compression)('containers-image/compression', () => {
  const sample = (name: string) => readFileSync(path.join(compression!, 'compression', name));

  it.each([
    ['Hello.uncompressed', 'none'],
    ['Hello.gz', 'gzip'],
    ['Hello.bz2', 'bzip2'],
    ['Hello.xz', 'xz'],
    ['Hello.zst', 'zstd'],
  ])('%s is sniffed as %s', (name, kind) => {
    expect(sniffCompression(sample(name))).toBe(kind);
  });

  it.each(['Hello.uncompressed', 'Hello.gz', 'Hello.zst'])('%s decompresses to exactly "Hello"', async (name) => {
    const { stream } = await decompressStream(chunksOf(sample(name)), name);
    expect(Buffer.from(await collect(stream)).toString()).toBe('Hello');
  });

  it.each([
    ['Hello.bz2', 'bzip2'],
    ['Hello.xz', 'xz'],
  ])('%s is rejected as unsupported, naming the label', async (name, kind) => {
    await expect(decompressStream(chunksOf(sample(name)), `layer 2 sha256:ab12`)).rejects.toMatchObject({
      name: 'InputError',
      code: 'E_UNSUPPORTED_COMPRESSION',
      message: `layer 2 sha256:ab12: unsupported compression ${kind}`,
    });
  });

  it('sniffing does not consume: the peeked stream re-yields every byte', async () => {
    for (const name of ['Hello.gz', 'Hello.zst', 'Hello.xz', 'Hello.uncompressed']) {
      const { head, stream } = await peekStream(chunksOf(sample(name), 2), 6);
      expect(Buffer.from(head).equals(sample(name).subarray(0, 6))).toBe(true);
      expect(Buffer.from(await collect(stream)).equals(sample(name))).toBe(true);
    }
  });

  it('empty input is not compressed and reads back empty', async () => {
    expect(sniffCompression(new Uint8Array(0))).toBe('none');
    const { compression: kind, stream } = await decompressStream(chunksOf(new Uint8Array(0)), 'empty');
    expect(kind).toBe('none');
    expect(await collect(stream)).toHaveLength(0);
  });

  it('a bare xz magic is detected as xz and decompression fails', async () => {
    const magic = new Uint8Array([0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00]);
    expect(sniffCompression(magic)).toBe('xz');
    await expect(decompressStream(chunksOf(magic), 'bare')).rejects.toMatchObject({ code: 'E_UNSUPPORTED_COMPRESSION' });
  });
});

const crane = peerCorpus('go-containerregistry');
describe.skipIf(!crane)('go-containerregistry/crane/content.tar.zst', () => {
  it('decompresses to exactly content.tar, whose digest is the diff_id', async () => {
    const zst = readFileSync(path.join(crane!, 'crane', 'content.tar.zst'));
    const { compression: kind, stream } = await decompressStream(chunksOf(zst, 1000), 'content.tar.zst');
    expect(kind).toBe('zstd');
    const digester = new Digester();
    const parts: Uint8Array[] = [];
    for await (const chunk of stream) {
      digester.update(chunk);
      parts.push(chunk.slice());
    }
    expect(digester.digest()).toBe('sha256:3610aa5267a210147ba6ca02cdd87610dfc08522de9c5f5015edd8ee14853fd8');
    expect(Buffer.from(concatBytes(...parts)).equals(readFileSync(path.join(crane!, 'crane', 'content.tar')))).toBe(true);
    expect(parseTar(concatBytes(...parts)).entries.map((e) => e.header.name)).toEqual(['./', './bat', './baz']);
  });
});

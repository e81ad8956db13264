/**
 * Compression streams on real bytes: round trips against the gzip and zstd command-line tools,
 * deterministic output whatever the input chunking, multi-member/multi-frame inputs, corrupt and
 * truncated data, errors passing through, and early close releasing the source.
 */
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { compressStream, decompressStream, peekStream, sniffCompression, verifyStream, type Compression } from '../../src/archive/index.js';
import { concatBytes } from '../helpers/tar-builder.js';

const sample = concatBytes(Buffer.from('imgslim layer bytes '.repeat(50_000)), randomBytes(300_000), Buffer.from('tail'.repeat(1000)));
const hasTool = (tool: string) => ['/usr/bin/', '/bin/'].some((dir) => existsSync(dir + tool));

async function* chunked(data: Uint8Array, size: number): AsyncGenerator<Uint8Array> {
  for (let at = 0; at < data.length; at += size) yield data.subarray(at, at + size);
}

async function collect(stream: AsyncIterable<Uint8Array>): Promise<Buffer> {
  const parts: Uint8Array[] = [];
  for await (const chunk of stream) parts.push(chunk);
  return Buffer.concat(parts);
}

const compress = (data: Uint8Array, kind: Compression, size = 65536, level?: number) =>
  collect(compressStream(chunked(data, size), kind, level === undefined ? undefined : { level }));

async function decompress(data: Uint8Array, label = 'blob', size = 10_000): Promise<{ compression: Compression; data: Buffer }> {
  const { compression, stream } = await decompressStream(chunked(data, size), label);
  return { compression, data: await collect(stream) };
}

/** `data` in pieces of `size` bytes, all through one buffer that is overwritten for the next piece. */
async function* throughOneBuffer(data: Uint8Array, size: number): AsyncGenerator<Uint8Array> {
  const buffer = new Uint8Array(size);
  for (let at = 0; at < data.length; at += size) {
    const piece = data.subarray(at, at + size);
    buffer.set(piece);
    yield buffer.subarray(0, piece.length);
  }
}

describe.each(['gzip', 'zstd'] as const)('%s', (kind) => {
  it('consumes each input chunk before pulling the next (the caller may reuse its buffer)', async () => {
    expect((await collect(compressStream(throughOneBuffer(sample, 4096), kind))).equals(await compress(sample, kind))).toBe(true);
  });

  it('round-trips and is byte-identical whatever the input chunking', async () => {
    const whole = await compress(sample, kind, sample.length);
    expect(sniffCompression(whole)).toBe(kind);
    for (const size of [1000, 65536, 1 << 20]) expect((await compress(sample, kind, size)).equals(whole)).toBe(true);
    const back = await decompress(whole);
    expect(back.compression).toBe(kind);
    expect(back.data.equals(Buffer.from(sample))).toBe(true); // not toEqual: deep equality on 1.3 MB is slow
  });

  it.skipIf(!hasTool(kind))('agrees with the command-line tool both ways', async () => {
    const ours = await compress(sample, kind);
    expect(execFileSync(kind, ['-dc'], { input: ours, maxBuffer: 64 << 20 }).equals(Buffer.from(sample))).toBe(true);
    const theirs = execFileSync(kind, ['-c'], { input: sample, maxBuffer: 64 << 20 });
    expect((await decompress(theirs)).data.equals(Buffer.from(sample))).toBe(true);
  });

  it('decodes concatenated members/frames as one stream', async () => {
    const joined = concatBytes(await compress(Buffer.from('first '), kind), await compress(Buffer.from('second'), kind));
    expect((await decompress(joined, 'joined', 3)).data.toString()).toBe('first second');
  });

  it('rejects corrupt and truncated data with an InputError naming the label', async () => {
    const good = await compress(sample, kind);
    const corrupt = Buffer.from(good);
    for (let at = 200; at < 400; at++) corrupt[at] = corrupt[at]! ^ 0x5a;
    await expect(decompress(corrupt, 'layer 3 sha256:cd34')).rejects.toMatchObject({
      name: 'InputError',
      code: 'E_CORRUPT_COMPRESSED',
      message: expect.stringMatching(new RegExp(`^layer 3 sha256:cd34: corrupt ${kind} data`)),
    });
    await expect(decompress(good.subarray(0, good.length - 20), 'cut')).rejects.toMatchObject({ code: 'E_CORRUPT_COMPRESSED' });
  });

  it('lets errors from the source through unchanged', async () => {
    const good = await compress(sample, kind);
    const verified = verifyStream(chunked(good, 4096), { digest: 'sha256:' + '0'.repeat(64) }, 'blob');
    const { stream } = await decompressStream(verified, 'blob');
    await expect(collect(stream)).rejects.toMatchObject({ name: 'IntegrityError', code: 'E_DIGEST_MISMATCH' });
  });

  it('closes the source when the consumer stops early', async () => {
    const good = await compress(sample, kind);
    let closed = false;
    async function* source() {
      try {
        yield* chunked(good, 1000);
      } finally {
        closed = true;
      }
    }
    const { stream } = await decompressStream(source(), 'early');
    for await (const chunk of stream) {
      expect(chunk.length).toBeGreaterThan(0);
      break;
    }
    await new Promise((resolve) => setImmediate(resolve));
    expect(closed).toBe(true);
  });
});

describe('gzip and zstd specifics', () => {
  it('gzip output has no timestamp; levels change the bytes but not the content', async () => {
    const fast = await compress(sample, 'gzip', 65536, 1);
    const best = await compress(sample, 'gzip', 65536, 9);
    expect(fast.readUInt32LE(4)).toBe(0);
    expect(fast.equals(best)).toBe(false);
    expect((await decompress(best)).data.equals(Buffer.from(sample))).toBe(true);
  });

  it('zstd output carries a content checksum and starts with a skippable frame when given one', async () => {
    const frame = await compress(Buffer.from('hello'), 'zstd');
    expect(frame[4]! & 0x04).toBe(0x04); // Content_Checksum_flag in the frame header descriptor
    const skippable = concatBytes(new Uint8Array([0x50, 0x2a, 0x4d, 0x18, 3, 0, 0, 0, 1, 2, 3]), frame);
    expect(sniffCompression(skippable)).toBe('zstd');
    expect((await decompress(skippable)).data.toString()).toBe('hello');
  });

  it("'none' passes the source through untouched", async () => {
    const source = chunked(sample, 4096);
    expect(compressStream(source, 'none')).toBe(source);
    expect(await decompress(Buffer.from('plain tar bytes'))).toEqual({ compression: 'none', data: Buffer.from('plain tar bytes') });
  });

  it('other compressors are sniffed as unknown and rejected', async () => {
    const lz4 = new Uint8Array([0x04, 0x22, 0x4d, 0x18, 0x64, 0x40, 0xa7]);
    expect(sniffCompression(lz4)).toBe('unknown');
    await expect(decompress(lz4, 'lz4 blob')).rejects.toMatchObject({ code: 'E_UNSUPPORTED_COMPRESSION', message: 'lz4 blob: unsupported compression unknown' });
  });
});

describe('peekStream', () => {
  it('works when the stream is shorter than the peek, or arrives in small pieces', async () => {
    const short = await peekStream(chunked(Buffer.from('abc'), 1), 6);
    expect(Buffer.from(short.head).toString()).toBe('abc');
    expect((await collect(short.stream)).toString()).toBe('abc');
    const long = await peekStream(chunked(Buffer.from('abcdefghij'), 4), 6);
    expect(Buffer.from(long.head).toString()).toBe('abcdef');
    expect((await collect(long.stream)).toString()).toBe('abcdefghij');
  });

  it('stopping the peeked stream early closes the source', async () => {
    let closed = false;
    async function* source() {
      try {
        yield* chunked(Buffer.from('abcdefghij'), 2);
      } finally {
        closed = true;
      }
    }
    const { stream } = await peekStream(source(), 3);
    for await (const chunk of stream) {
      expect(Buffer.from(chunk).toString()).toBe('ab');
      break;
    }
    expect(closed).toBe(true);
  });
});

/**
 * gzip in blocks on the thread pool (pigz's scheme): one member that GNU gzip and node:zlib read
 * back, at every block edge; header and trailer as zlib writes them; the same bytes whatever the
 * number of blocks in flight and the input chunking; about zlib's own ratio.
 */
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { gunzipSync, gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { GZIP_BLOCK, parallelGzip } from '../../src/archive/parallel-gzip.js';

async function* chunked(data: Uint8Array, size: number): AsyncGenerator<Uint8Array> {
  for (let at = 0; at < data.length; at += size) yield data.subarray(at, at + size);
}

async function gzip(data: Uint8Array, options: { level?: number; inFlight?: number; chunk?: number } = {}): Promise<Buffer> {
  const parts: Uint8Array[] = [];
  for await (const part of parallelGzip(chunked(data, options.chunk ?? 65536), options)) parts.push(part);
  return Buffer.concat(parts);
}

/** Text-like bytes with repeats that reach across block edges, and a random stretch. */
function layerLike(size: number): Buffer {
  const words = Buffer.from('usr/lib/x86_64-linux-gnu/libc.so.6 GLIBC_2.34 ELF .dynsym .rodata ');
  const out = Buffer.alloc(size);
  for (let at = 0; at < size; at++) out[at] = words[(at * 7 + (at >> 12)) % words.length]!;
  const noise = randomBytes(Math.min(size >> 2, 200_000));
  noise.copy(out, size >> 1);
  return out;
}

describe('parallel gzip', () => {
  it.each([0, 1, GZIP_BLOCK - 1, GZIP_BLOCK, GZIP_BLOCK + 1, 3 * GZIP_BLOCK + 12_345])('writes one member that zlib reads back (%i bytes)', async (size) => {
    const data = layerLike(size);
    const ours = await gzip(data);
    expect(gunzipSync(ours).equals(data)).toBe(true);
    const zlib = gzipSync(data);
    // The same header (no name, no time, OS 3) and trailer (CRC-32, size) as zlib's own gzip.
    expect(ours.subarray(0, 10).equals(zlib.subarray(0, 10))).toBe(true);
    expect(ours.subarray(-8).equals(zlib.subarray(-8))).toBe(true);
  });

  it.skipIf(!existsSync('/usr/bin/gzip') && !existsSync('/bin/gzip'))('is read by GNU gzip, which checks CRC and size', async () => {
    const data = layerLike(2 * GZIP_BLOCK + 777);
    const ours = await gzip(data);
    expect(execFileSync('gzip', ['-dc'], { input: ours, maxBuffer: 64 << 20 }).equals(data)).toBe(true);
    // One member: gzip -l lists the uncompressed size of the last member only.
    expect(execFileSync('gzip', ['-l'], { input: ours }).toString()).toContain(String(data.length));
  });

  it('gives the same bytes whatever the blocks in flight and the input chunking', async () => {
    const data = layerLike(4 * GZIP_BLOCK + 99);
    const reference = await gzip(data, { inFlight: 1 });
    for (const options of [{ inFlight: 2 }, { inFlight: 8 }, { chunk: 1000 }, { chunk: 3 * GZIP_BLOCK }]) {
      expect((await gzip(data, options)).equals(reference)).toBe(true);
    }
  });

  it('compresses within 1 % of one sequential deflate at the same level, and honours the level', async () => {
    const data = layerLike(6 * GZIP_BLOCK);
    for (const level of [1, 6, 9]) {
      const ours = await gzip(data, { level });
      expect(ours[8]).toBe(gzipSync(data, { level })[8]);
      expect(ours.length / gzipSync(data, { level }).length).toBeLessThan(1.01);
    }
  });
});

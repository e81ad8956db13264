/**
 * The synchronous inflaters on real bytes: output equal to node:zlib's and the zstd tool's one-shot
 * decoding whatever the input chunking, with a reused output buffer (each output consumed before
 * the next push), multi-member gzip, trailing zero padding, corrupt and truncated input.
 */
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { ArenaSpace, createInflater, ReusedSpace, type Compression, type OutputSpace } from '../../src/archive/index.js';
import { compressBytes } from '../helpers/image-builder.js';
import { concatBytes } from '../helpers/tar-builder.js';
import { hasTool } from '../helpers/tools.js';

const sample = concatBytes(Buffer.from('layer bytes '.repeat(80_000)), randomBytes(700_000), Buffer.from('end'.repeat(3000)));

/** Inflates `data` pushed in `size`-byte pieces; outputs are copied as they come (a reused buffer allows nothing else). */
function inflate(data: Uint8Array, kind: Compression, size: number, space: OutputSpace = new ReusedSpace()): Buffer {
  const parts: Buffer[] = [];
  const take = (chunk: Uint8Array) => void parts.push(Buffer.from(chunk));
  const inflater = createInflater(kind, 'test layer', space);
  for (let at = 0; at < data.length; at += size) inflater.push(data.subarray(at, at + size), take);
  inflater.finish(take);
  return Buffer.concat(parts);
}

describe.each(['gzip', 'zstd'] as const)('%s inflater', (kind) => {
  const packed = compressBytes(Buffer.from(sample), kind);

  it('equals one-shot decoding whatever the input chunking', () => {
    for (const size of [1, 7, 4096, 65536, packed.length]) {
      if (size === 1 && kind === 'zstd') continue; // byte by byte through N-API is slow, not different
      expect(inflate(packed, kind, size).equals(Buffer.from(sample))).toBe(true);
    }
    expect(inflate(packed, kind, 10_000, new ArenaSpace()).equals(Buffer.from(sample))).toBe(true);
  });

  it('decodes concatenated members/frames as one stream', () => {
    const joined = concatBytes(compressBytes(Buffer.from('first '), kind), compressBytes(Buffer.from('second'), kind));
    expect(inflate(joined, kind, 5).toString()).toBe('first second');
  });

  it('rejects truncated and corrupt input with E_CORRUPT_COMPRESSED naming the label', () => {
    expect(() => inflate(packed.subarray(0, packed.length - 9), kind, 65536)).toThrow(
      expect.objectContaining({ name: 'InputError', code: 'E_CORRUPT_COMPRESSED', message: expect.stringMatching(/^test layer: corrupt/) }),
    );
    const corrupt = Buffer.from(packed);
    // zstd stores random bytes as raw blocks without a checksum here: corrupt the headers instead.
    for (let at = kind === 'gzip' ? 300 : 5; at < (kind === 'gzip' ? 600 : 40); at++) corrupt[at] = corrupt[at]! ^ 0x5a;
    expect(() => inflate(corrupt, kind, 65536)).toThrow(expect.objectContaining({ code: 'E_CORRUPT_COMPRESSED' }));
  });

  it.skipIf(!hasTool(kind))('reads what the command-line tool writes', () => {
    const theirs = execFileSync(kind, ['-c'], { input: sample, maxBuffer: 64 << 20 });
    expect(inflate(theirs, kind, 32768).equals(Buffer.from(sample))).toBe(true);
  });
});

describe('gzip specifics', () => {
  it('ignores zero padding after the last member, as node:zlib does', () => {
    const padded = concatBytes(gzipSync(Buffer.from('padded')), new Uint8Array(1024));
    expect(inflate(padded, 'gzip', 100).toString()).toBe('padded');
  });

  it("'none' passes input through as is", () => {
    const outputs: Uint8Array[] = [];
    const inflater = createInflater('none', 'plain', new ReusedSpace());
    const input = Buffer.from('plain tar');
    inflater.push(input, (chunk) => outputs.push(chunk));
    inflater.finish(() => undefined);
    expect(outputs).toEqual([input]);
  });
});

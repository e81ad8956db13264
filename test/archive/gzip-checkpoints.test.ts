/**
 * Gzip checkpoints on real deflate streams (zlib's levels 1, 6 and 9; imgslim's own parallel
 * gzip, whose blocks end in sync flushes, as pigz's do; gzip(1) and pigz when present): recorded
 * while inflating, by node:zlib's inflater (Z_BLOCK stops) and by ISA-L's (which is fed a little
 * at a time until it stands between two blocks), each one resumes to exactly the bytes that follow it,
 * whatever bit of its byte the block starts at (all eight occur), across stored blocks of
 * incompressible data; recording does not change the output; a resumed stream stops at its gzip
 * member's end; a probe that nothing reproduces is a CheckpointMiss.
 */
import { execFileSync } from 'node:child_process';
import { constants, crc32, gunzipSync, gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { CheckpointMiss, CheckpointRecorder, createInflater, ResumedInflater, resumeByte, ReusedSpace, type GzipCheckpoint, type Inflater, type OutputSpace } from '../../src/archive/index.js';
import { leadingBitLengths } from '../../src/archive/gzip-checkpoints.js';
import { ZlibGzipInflater } from '../../src/archive/inflate.js';
import { IsalGzipInflater, isalAddon } from '../../src/archive/isal-inflater.js';
import { parallelGzip } from '../../src/archive/parallel-gzip.js';
import { seededRandom } from '../helpers/random.js';
import { hasTool } from '../helpers/tools.js';

/** Text, repeated text and incompressible runs (which deflate stores), about 1.3 MB per 60 parts. */
function mixedBytes(seed: number, count = 60): Buffer {
  const random = seededRandom(seed);
  const parts: Buffer[] = [];
  for (let i = 0; i < count; i++) {
    const kind = Math.floor(random() * 3);
    const length = 2000 + Math.floor(random() * 40_000);
    if (kind === 0) parts.push(Buffer.from(Array.from({ length }, () => 'abcdefgh \n'[Math.floor(random() * 10)]).join('')));
    else if (kind === 1) parts.push(Buffer.from(`line ${i} of a config file\n`.repeat(length / 25)));
    else parts.push(Buffer.from(Array.from({ length }, () => Math.floor(random() * 256))));
  }
  return Buffer.concat(parts);
}

type Recording = (space: OutputSpace, recorder: CheckpointRecorder) => Inflater;
const addon = isalAddon();
/** The inflaters that record checkpoints: node:zlib's, and ISA-L's when it is built (CI builds it). */
const recorders: Array<[string, Recording]> = [['node:zlib', (space, recorder) => new ZlibGzipInflater('test layer', space, recorder)]];
if (addon) recorders.push(['ISA-L', (space, recorder) => new IsalGzipInflater(addon, 'test layer', space, recorder)]);

/** Inflates `blob` in `size`-byte pushes, recording checkpoints every `every` bytes of output. */
function record(blob: Uint8Array, every: number, size = 65_536, inflaterFor: Recording = (space, recorder) => createInflater('gzip', 'test layer', space, recorder)): { output: Buffer; checkpoints: GzipCheckpoint[] } {
  const recorder = new CheckpointRecorder(every);
  const inflater = inflaterFor(new ReusedSpace(), recorder);
  const parts: Buffer[] = [];
  const take = (chunk: Uint8Array) => void parts.push(Buffer.from(chunk));
  for (let at = 0; at < blob.length; at += size) inflater.push(blob.subarray(at, at + size), take);
  inflater.finish(take);
  return { output: Buffer.concat(parts), checkpoints: recorder.finish() };
}

/** Resumes at `checkpoint`, feeding the stored bytes in `size`-byte pushes, until `want` bytes are out or the stream ends. */
function resume(blob: Uint8Array, checkpoint: GzipCheckpoint, want: number, size = 40_000): { output: Buffer; inflater: ResumedInflater } {
  const inflater = new ResumedInflater(checkpoint, 'test layer', new ReusedSpace());
  const parts: Buffer[] = [];
  let length = 0;
  const take = (chunk: Uint8Array) => {
    parts.push(Buffer.from(chunk));
    length += chunk.length;
  };
  const enough = () => length >= want;
  for (let at = resumeByte(checkpoint); at < blob.length && !enough() && !inflater.ended; at += size) inflater.push(blob.subarray(at, at + size), take, enough);
  if (!enough()) inflater.flush(take);
  inflater.close();
  return { output: Buffer.concat(parts), inflater };
}

const streams: Array<[string, () => Buffer]> = [
  ['zlib level 1', () => gzipSync(mixedBytes(1, 200), { level: 1 })],
  ['zlib level 6', () => gzipSync(mixedBytes(2, 200), { level: 6 })],
  ['zlib level 9', () => gzipSync(mixedBytes(3, 200), { level: 9 })],
];
/** imgslim's parallel gzip of `data` (1 MiB blocks, each ended by a sync flush but the last). */
async function parallelGzipped(data: Buffer): Promise<Buffer> {
  const parts: Uint8Array[] = [];
  for await (const part of parallelGzip((async function* () { yield data; })(), { inFlight: 2 })) parts.push(part);
  return Buffer.concat(parts);
}
const parallel = await parallelGzipped(mixedBytes(5, 200));
streams.push(['imgslim parallel gzip', () => parallel]);
if (hasTool('gzip')) streams.push(['gzip(1) -6', () => execFileSync('gzip', ['-6', '-c', '-n'], { input: mixedBytes(4, 200), maxBuffer: 1 << 26 })]);
if (hasTool('pigz')) streams.push(['pigz -1 -b 128', () => execFileSync('pigz', ['-1', '-b', '128', '-c', '-n'], { input: mixedBytes(6, 200), maxBuffer: 1 << 26 })]);
/** The bits blocks were found to start at, over every stream. */
const startBits = new Set<number>();

const cases = streams.flatMap(([name, make]) => recorders.map(([inflater, recording]) => [name, inflater, make, recording] as const));

describe.each(cases)('checkpoints of a %s stream, recorded by %s', (_name, _inflater, make, recording) => {
  const blob = make();
  const plain = gunzipSync(blob);
  const { output, checkpoints } = record(blob, 8192, 65_536, recording);

  it('leave the output as it was, and start with one at byte 0 behind the gzip header', () => {
    expect(output.equals(plain)).toBe(true);
    expect(checkpoints.length).toBeGreaterThan(25);
    expect(checkpoints[0]).toMatchObject({ input: 10, output: 0 });
    expect(checkpoints[0]!.window).toHaveLength(0);
    for (const [i, checkpoint] of checkpoints.entries()) {
      if (i > 0) expect(checkpoint.output - checkpoints[i - 1]!.output).toBeGreaterThanOrEqual(8192);
      expect(checkpoint.window.length).toBe(Math.min(32_768, checkpoint.output));
      expect(Buffer.from(checkpoint.window).equals(plain.subarray(checkpoint.output - checkpoint.window.length, checkpoint.output))).toBe(true);
      expect(Buffer.from(checkpoint.probe).equals(plain.subarray(checkpoint.output, checkpoint.output + 128))).toBe(true);
    }
  });

  it('each resume to exactly the bytes after it, from whichever bit its block starts at', () => {
    for (const checkpoint of checkpoints) {
      const { output: resumed, inflater } = resume(blob, checkpoint, 100_000);
      const expected = plain.subarray(checkpoint.output, checkpoint.output + resumed.length);
      expect(resumed.length).toBeGreaterThanOrEqual(Math.min(100_000, plain.length - checkpoint.output));
      expect(resumed.equals(expected), `checkpoint at ${checkpoint.output}`).toBe(true);
      startBits.add(inflater.startBit!);
    }
  });

  it('resume to the stream end, fed a byte at a time', () => {
    const checkpoint = checkpoints.at(-1)!;
    const { output: resumed, inflater } = resume(blob, checkpoint, Infinity, 1);
    expect(resumed.equals(plain.subarray(checkpoint.output))).toBe(true);
    expect(inflater.ended).toBe(true);
  });
});

describe.skipIf(!addon)('checkpoints recorded by ISA-L', () => {
  const blob = gzipSync(mixedBytes(7, 120), { level: 6 });
  const plain = gunzipSync(blob);
  const isal = recorders.find(([name]) => name === 'ISA-L')![1];
  const zlib = recorders.find(([name]) => name === 'node:zlib')![1];

  it('are found whatever pieces the stream is pushed in, and each resumes exactly', () => {
    // Output arrives in 256 KiB pieces from big pushes, so the recorder asks less often then.
    for (const [size, least] of [[1, 40], [7, 40], [15, 40], [16, 40], [17, 40], [4096, 35], [1 << 20, 10]] as const) {
      const { output, checkpoints } = record(blob, 16_384, size, isal);
      expect(output.equals(plain), `pushes of ${size}`).toBe(true);
      expect(checkpoints.length, `pushes of ${size}`).toBeGreaterThanOrEqual(least);
      for (const checkpoint of checkpoints) {
        const { output: resumed } = resume(blob, checkpoint, 20_000);
        expect(resumed.equals(plain.subarray(checkpoint.output, checkpoint.output + resumed.length)), `pushes of ${size}, checkpoint at ${checkpoint.output}`).toBe(true);
      }
    }
  });

  it('stand where node:zlib puts them on a stream of dynamic Huffman blocks', () => {
    const text = gzipSync(Buffer.from(Array.from({ length: 40_000 }, (_, i) => `usr/lib/file-${i * 7919 % 10007}.so `).join('')));
    const at = (recording: Recording) => record(text, 65_536, 65_536, recording).checkpoints.map(({ input, output }) => `${input}/${output}`);
    expect(at(isal)).toEqual(at(zlib));
  });

  it('are skipped, not searched for byte by byte, where no header is found: one huge block, fixed-Huffman blocks', () => {
    const text = mixedBytes(8, 100);
    // One fixed-Huffman block of 1.5 MB: literals only, each 8 or 9 bits (RFC 1951 3.2.6).
    const bits: number[] = [];
    const code = (value: number, count: number) => {
      for (let i = count - 1; i >= 0; i--) bits.push((value >> i) & 1);
    };
    bits.push(1, 1, 0); // BFINAL, BTYPE 01 (low bit first)
    for (const byte of text.subarray(0, 1_500_000)) byte < 144 ? code(0x30 + byte, 8) : code(0x190 + byte - 144, 9);
    code(0, 7); // end of block
    const deflate = new Uint8Array(Math.ceil(bits.length / 8));
    bits.forEach((bit, i) => (deflate[i >> 3]! |= bit << (i & 7)));
    const trailer = Buffer.alloc(8);
    trailer.writeUInt32LE(crc32(text.subarray(0, 1_500_000)));
    trailer.writeUInt32LE(1_500_000, 4);
    const huge = Buffer.concat([Buffer.from([0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 3]), deflate, trailer]);
    const fixed = gzipSync(text, { strategy: constants.Z_FIXED });
    for (const blob of [huge, fixed]) {
      const plain = gunzipSync(blob);
      const { output, checkpoints } = record(blob, 65_536, 65_536, isal);
      expect(output.equals(plain)).toBe(true);
      expect(checkpoints[0]).toMatchObject({ input: 10, output: 0 });
      for (const checkpoint of checkpoints) {
        const { output: resumed } = resume(blob, checkpoint, 20_000);
        expect(resumed.equals(plain.subarray(checkpoint.output, checkpoint.output + resumed.length))).toBe(true);
      }
    }
  });

  it('are what a recording inflater of gzip uses when the addon is built', () => {
    expect(createInflater('gzip', 'layer', new ReusedSpace(), new CheckpointRecorder(1))).toBeInstanceOf(IsalGzipInflater);
  });
});

describe('a resumed stream', () => {
  it('has been found to start at each of the 8 bits of a byte (over the streams above)', () => {
    expect([...startBits].sort()).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
  });

  it('ends with its gzip member: the next member is not read', () => {
    const first = mixedBytes(5);
    const blob = Buffer.concat([gzipSync(first), gzipSync(Buffer.from('second member '.repeat(5000)))]);
    const { output, checkpoints } = record(blob, 16_384);
    expect(output.length).toBe(first.length + 70_000);
    const inFirst = checkpoints.filter((checkpoint) => checkpoint.output < first.length).at(-1)!;
    const { output: resumed, inflater } = resume(blob, inFirst, Infinity);
    expect(inflater.ended).toBe(true);
    expect(resumed.equals(first.subarray(inFirst.output))).toBe(true);
  });

  it('throws CheckpointMiss when no bit offset reproduces the recorded output', () => {
    const blob = gzipSync(mixedBytes(6));
    const checkpoint = record(blob, 65_536).checkpoints[3]!;
    const wrong = { ...checkpoint, probe: checkpoint.probe.map((byte) => byte ^ 1) };
    expect(() => resume(blob, wrong, 1000)).toThrow(CheckpointMiss);
  });

  it('drops a last checkpoint whose probe the stream end cut short', () => {
    const tiny = gzipSync(Buffer.from('short'));
    expect(record(tiny, 1).checkpoints).toEqual([]);
  });

  it('gets its bit offsets from empty blocks of each length mod 8', () => {
    expect(leadingBitLengths.map((bits) => bits % 8)).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
  });
});

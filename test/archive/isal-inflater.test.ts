/**
 * The ISA-L gzip inflater (native/isal-inflate.c) against node:zlib's, on the same bytes: the
 * same output whatever the chunking, and the same verdict (bytes, or E_CORRUPT_COMPRESSED) on
 * members in a row, padding, trailing garbage, optional header fields, truncation at every
 * length, wrong CRC-32 or length, and random damage. Also: the addon is what gzip layers use when
 * built, and IMGSLIM_GZIP=zlib turns it off. CI builds the addon (.ci/run installs libisal-dev).
 */
import { execFileSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { crc32, gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { ReusedSpace, type Inflater } from '../../src/archive/index.js';
import { ZlibGzipInflater } from '../../src/archive/inflate.js';
import { IsalGzipInflater, isalAddon } from '../../src/archive/isal-inflater.js';
import { ensureBuilt } from '../helpers/build.js';
import { repoRoot } from '../helpers/peer-corpus.js';
import { seededRandom } from '../helpers/random.js';
import { concatBytes } from '../helpers/tar-builder.js';
import { hasTool, missingPrerequisite } from '../helpers/tools.js';

const addon = isalAddon();
if (!addon) missingPrerequisite('the ISA-L inflater is not built (npm ci with libisal-dev installed)', 'the ISA-L inflater tests');

/** What an inflater made of a stream: `bytes LENGTH SHA256` or `error CODE` (strings compare fast). */
type Verdict = string;
type Engine = (label: string) => Inflater;

const engines: Record<string, Engine> = {
  zlib: (label) => new ZlibGzipInflater(label, new ReusedSpace()),
  isal: (label) => new IsalGzipInflater(addon!, label, new ReusedSpace()),
};

/** `data` pushed in pieces of the given sizes (cycled): the output, or the error's code. */
function run(engine: Engine, data: Uint8Array, sizes: number[] = [65536]): Verdict {
  const parts: Buffer[] = [];
  const take = (chunk: Uint8Array) => void parts.push(Buffer.from(chunk));
  const inflater = engine('layer');
  try {
    for (let at = 0, i = 0; at < data.length; i++) {
      const size = sizes[i % sizes.length]!;
      inflater.push(data.subarray(at, at + size), take);
      at += size;
    }
    inflater.finish(take);
    return ok(Buffer.concat(parts));
  } catch (error) {
    inflater.close();
    const { code, message } = error as { code?: string; message: string };
    expect(message).toMatch(/^layer: corrupt gzip data: /);
    return `error ${code ?? 'none'}`;
  }
}

/** Both engines agree; returns the verdict. */
function agree(data: Uint8Array, sizes?: number[]): Verdict {
  const theirs = run(engines.zlib!, data, sizes);
  const ours = run(engines.isal!, data, sizes);
  expect(ours).toBe(theirs);
  return ours;
}

const ok = (data: Uint8Array | string): Verdict => `bytes ${Buffer.byteLength(data)} ${createHash('sha256').update(data).digest('hex')}`;
const corrupt: Verdict = 'error E_CORRUPT_COMPRESSED';

const text = Buffer.from('usr/lib/x86_64-linux-gnu/libc.so.6 '.repeat(40_000));
const mixed = concatBytes(text, randomBytes(300_000), Buffer.alloc(200_000), text.subarray(0, 99_999));

/** A gzip member with FEXTRA, FNAME, FCOMMENT and FHCRC set, around zlib's raw deflate of `body`. */
function memberWithHeaderFields(body: Buffer): Buffer {
  const plain = gzipSync(body);
  const header = Buffer.from([0x1f, 0x8b, 8, 0x1e, 0, 0, 0, 0, 0, 3]);
  const extra = Buffer.from([4, 0, 0x41, 0x42, 0, 0]);
  const fields = Buffer.concat([header, extra, Buffer.from('name\0'), Buffer.from('comment\0')]);
  const crc = Buffer.alloc(2);
  crc.writeUInt16LE(crc32(fields) & 0xffff);
  return Buffer.concat([fields, crc, plain.subarray(10)]);
}

describe.skipIf(!addon)('ISA-L gzip inflater', () => {
  it('inflates as node:zlib does, whatever the chunking and level', () => {
    for (const level of [1, 6, 9]) {
      const packed = gzipSync(mixed, { level });
      for (const sizes of [[packed.length], [65536], [1000, 7, 300_000, 1]]) {
        expect(agree(packed, sizes)).toBe(ok(mixed));
      }
    }
    const small = gzipSync(text.subarray(0, 5000));
    expect(agree(small, [1])).toBe(ok(text.subarray(0, 5000)));
  });

  it('reads members in a row, empty ones too, and stops at zero padding as node:zlib does', () => {
    const a = gzipSync(Buffer.from('first '));
    const b = gzipSync(Buffer.alloc(0));
    const c = gzipSync(Buffer.from('third'));
    for (const sizes of [[1], [3], [1 << 20]]) {
      expect(agree(concatBytes(a, b, c), sizes)).toBe(ok(Buffer.from('first third')));
      expect(agree(concatBytes(a, c, new Uint8Array(512)), sizes)).toBe(ok(Buffer.from('first third')));
      // Padding runs to the end: node:zlib alone would read on in a later write, not in the same one.
      expect(agree(concatBytes(a, new Uint8Array(3), c), sizes)).toBe(corrupt);
      expect(agree(concatBytes(a, Buffer.from('garbage')), sizes)).toBe(corrupt);
    }
  });

  it('reads the optional header fields and checks the header CRC', () => {
    const member = memberWithHeaderFields(text.subarray(0, 3000));
    expect(agree(member, [5])).toBe(ok(text.subarray(0, 3000)));
    const damaged = Buffer.from(member);
    const at = damaged.indexOf('comment') + 8;
    damaged[at] = damaged[at]! ^ 0xff;
    expect(agree(damaged)).toBe(corrupt);
  });

  it('rejects a truncated stream at every length, and a wrong CRC-32 or length', () => {
    const first = gzipSync(text.subarray(0, 20_000));
    const packed = concatBytes(first, gzipSync(Buffer.from('tail')));
    for (let length = 1; length < packed.length; length++) {
      if (length === first.length) continue; // a whole first member
      expect(agree(packed.subarray(0, length), [4096])).toBe(corrupt);
    }
    expect(agree(new Uint8Array(0))).toBe(corrupt);
    for (const from of [8, 4]) {
      const wrong = Buffer.from(gzipSync(mixed));
      wrong[wrong.length - from] = wrong[wrong.length - from]! ^ 0x01;
      expect(agree(wrong)).toBe(corrupt);
    }
  });

  it('gives the same verdict on randomly damaged streams', () => {
    const random = seededRandom(1207);
    const packed = gzipSync(mixed.subarray(0, 400_000));
    for (let round = 0; round < 300; round++) {
      const damaged = Buffer.from(packed);
      const flips = 1 + Math.floor(random() * 4);
      for (let i = 0; i < flips; i++) {
        const at = Math.floor(random() * damaged.length);
        damaged[at] = damaged[at]! ^ (1 << Math.floor(random() * 8));
      }
      const ours = run(engines.isal!, damaged, [65536]);
      const theirs = run(engines.zlib!, damaged, [65536]);
      // Both reject, or both give the same bytes (a flip in a header byte that is not checked).
      expect(ours).toBe(theirs);
    }
  });

  it.skipIf(!hasTool('pigz'))("reads pigz's sync-flushed blocks", () => {
    const packed = execFileSync('pigz', ['-c', '-b', '128'], { input: mixed, maxBuffer: 64 << 20 });
    expect(agree(packed, [9999])).toBe(ok(mixed));
  });

  it('is what gzip layers use, unless IMGSLIM_GZIP=zlib', () => {
    const script = `import('./dist/archive/isal-inflater.js').then((m) => console.log(m.gzipInflaterName()))`;
    const name = (env: NodeJS.ProcessEnv) => execFileSync(process.execPath, ['-e', script], { cwd: repoRoot, env, encoding: 'utf8' }).trim();
    ensureBuilt();
    expect(name({ ...process.env, IMGSLIM_GZIP: '' })).toBe('isa-l');
    expect(name({ ...process.env, IMGSLIM_GZIP: 'zlib' })).toBe('node:zlib');
  });
});

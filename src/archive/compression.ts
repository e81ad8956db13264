/**
 * Streaming decompression (sniffed from magic bytes) and deterministic compression: gzip through
 * node:zlib (multi-member streams, large output chunks), zstd through zstd-napi's streaming
 * contexts, and plain passthrough. Corrupt data becomes an InputError naming the stream's label.
 */
import { Buffer } from 'node:buffer';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGunzip, createGzip, type Gunzip, type Gzip } from 'node:zlib';
import binding from 'zstd-napi/binding.js';
import { InputError } from '../shared/errors.js';
import { peekWithClose, sniffCompression, SNIFF_BYTES, type Compression } from './peek.js';

/** zlib output chunk size (see docs/decisions/archive.md for the measurement). */
export const GZIP_CHUNK_SIZE = 256 * 1024;
/** zstd output is decompressed into arenas of this size and yielded as views into them. */
const ARENA_SIZE = 4 << 20;
const MIN_ROOM = 512 * 1024;

function corrupt(label: string, format: string, error: unknown): InputError {
  const detail = error instanceof Error ? error.message : String(error);
  return new InputError(`${label}: corrupt ${format} data: ${detail}`, { code: 'E_CORRUPT_COMPRESSED', cause: error });
}

function isZlibError(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && code.startsWith('Z_');
}

/** Runs `source` through a zlib transform, yielding its output; zlib failures become InputErrors. */
async function* throughZlib(source: AsyncIterable<Uint8Array>, transform: Gzip | Gunzip, label: string): AsyncGenerator<Uint8Array> {
  const input = Readable.from(source);
  const pumping = pipeline(input, transform).catch(() => undefined); // errors surface through the iteration below
  try {
    for await (const chunk of transform) yield chunk as Buffer;
  } catch (error) {
    throw isZlibError(error) ? corrupt(label, 'gzip', error) : error;
  } finally {
    input.destroy();
    transform.destroy();
    await pumping;
  }
}

/** Hands out non-overlapping output space so yielded views stay valid without copying. */
class Arena {
  private buffer = Buffer.allocUnsafe(ARENA_SIZE);
  private used = 0;

  room(): Buffer {
    if (this.buffer.length - this.used < MIN_ROOM) {
      this.buffer = Buffer.allocUnsafe(ARENA_SIZE);
      this.used = 0;
    }
    return this.buffer.subarray(this.used);
  }

  take(n: number): Buffer {
    const view = this.buffer.subarray(this.used, this.used + n);
    this.used += n;
    return view;
  }
}

async function* unzstd(source: AsyncIterable<Uint8Array>, label: string): AsyncGenerator<Uint8Array> {
  const context = new binding.DCtx();
  const arena = new Arena();
  let inFrame = false;
  for await (const chunk of source) {
    let input = chunk;
    for (;;) {
      const room = arena.room();
      let result: [number, number, number];
      try {
        result = context.decompressStream(room, input);
      } catch (error) {
        throw corrupt(label, 'zstd', error);
      }
      const [hint, produced, consumed] = result;
      input = input.subarray(consumed);
      if (produced > 0) yield arena.take(produced);
      if (input.length === 0 && (produced < room.length || hint === 0)) {
        inFrame = hint !== 0;
        break;
      }
    }
  }
  if (inFrame) throw corrupt(label, 'zstd', new Error('stream ends inside a frame'));
}

/**
 * Sniffs and decompresses. bzip2, xz and other compressors are rejected with
 * E_UNSUPPORTED_COMPRESSION naming `label`; corrupt data fails with E_CORRUPT_COMPRESSED.
 */
export async function decompressStream(
  source: AsyncIterable<Uint8Array>,
  label: string,
): Promise<{ compression: Compression; stream: AsyncIterable<Uint8Array> }> {
  const { head, stream, close } = await peekWithClose(source, SNIFF_BYTES);
  const kind = sniffCompression(head);
  switch (kind) {
    case 'none':
      return { compression: 'none', stream };
    case 'gzip':
      return { compression: 'gzip', stream: throughZlib(stream, createGunzip({ chunkSize: GZIP_CHUNK_SIZE }), label) };
    case 'zstd':
      return { compression: 'zstd', stream: unzstd(stream, label) };
    default:
      await close();
      throw new InputError(`${label}: unsupported compression ${kind}`, { code: 'E_UNSUPPORTED_COMPRESSION' });
  }
}

async function* zstdCompress(source: AsyncIterable<Uint8Array>, level: number): AsyncGenerator<Uint8Array> {
  const context = new binding.CCtx();
  context.setParameter(binding.CParameter.compressionLevel, level);
  context.setParameter(binding.CParameter.checksumFlag, 1);
  const arena = new Arena();
  const run = function* (input: Uint8Array, directive: number): Generator<Uint8Array> {
    for (;;) {
      const room = arena.room();
      const [remaining, produced, consumed] = context.compressStream2(room, input, directive);
      input = input.subarray(consumed);
      if (produced > 0) yield arena.take(produced);
      const drained = directive === binding.EndDirective.end ? remaining === 0 : input.length === 0 && produced < room.length;
      if (drained) return;
    }
  };
  for await (const chunk of source) yield* run(chunk, binding.EndDirective.continue);
  yield* run(new Uint8Array(0), binding.EndDirective.end);
}

/**
 * Compresses deterministically: the same input and level give the same bytes (gzip without a
 * timestamp or name, zstd single-threaded with a content checksum).
 */
export function compressStream(
  source: AsyncIterable<Uint8Array>,
  compression: Compression,
  options?: { level?: number },
): AsyncIterable<Uint8Array> {
  switch (compression) {
    case 'gzip':
      return throughZlib(source, createGzip({ level: options?.level ?? 6, chunkSize: GZIP_CHUNK_SIZE }), 'gzip output');
    case 'zstd':
      return zstdCompress(source, options?.level ?? 3);
    case 'none':
      return source;
  }
}

/**
 * Streaming decompression (sniffed from magic bytes; the synchronous inflaters of inflate.ts
 * behind an async iterable) and deterministic compression: gzip through a node:zlib stream, zstd
 * through zstd-napi's streaming context, plain passthrough. Corrupt data becomes an InputError
 * naming the stream's label.
 */
import type { Buffer } from 'node:buffer';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGzip, type Gzip } from 'node:zlib';
import binding from 'zstd-napi/binding.js';
import { InputError } from '../shared/errors.js';
import { ArenaSpace, corruptData, createInflater, OUTPUT_CHUNK } from './inflate.js';
import { peekWithClose, sniffCompression, SNIFF_BYTES, type Compression } from './peek.js';

/** zlib output chunk size (see docs/decisions/archive.md for the measurement). */
export const GZIP_CHUNK_SIZE = OUTPUT_CHUNK;

function isZlibError(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && code.startsWith('Z_');
}

/** Runs `source` through a zlib transform, yielding its output; zlib failures become InputErrors. */
async function* throughZlib(source: AsyncIterable<Uint8Array>, transform: Gzip, label: string): AsyncGenerator<Uint8Array> {
  const input = Readable.from(source);
  const pumping = pipeline(input, transform).catch(() => undefined); // errors surface through the iteration below
  try {
    for await (const chunk of transform) yield chunk as Buffer;
  } catch (error) {
    throw isZlibError(error) ? corruptData(label, 'gzip', error) : error;
  } finally {
    input.destroy();
    transform.destroy();
    await pumping;
  }
}

/** Decompresses `source` with a synchronous inflater; outputs are arena views that stay valid. */
async function* inflating(source: AsyncIterable<Uint8Array>, compression: Compression, label: string): AsyncGenerator<Uint8Array> {
  const inflater = createInflater(compression, label, new ArenaSpace());
  const outputs: Uint8Array[] = [];
  const collect = (chunk: Uint8Array) => void outputs.push(chunk);
  let finished = false;
  try {
    for await (const chunk of source) {
      inflater.push(chunk, collect);
      for (const output of outputs.splice(0)) yield output;
    }
    finished = true;
    inflater.finish(collect);
    for (const output of outputs.splice(0)) yield output;
  } finally {
    if (!finished) inflater.close();
  }
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
    case 'zstd':
      return { compression: kind, stream: inflating(stream, kind, label) };
    default:
      await close();
      throw new InputError(`${label}: unsupported compression ${kind}`, { code: 'E_UNSUPPORTED_COMPRESSION' });
  }
}

async function* zstdCompress(source: AsyncIterable<Uint8Array>, level: number): AsyncGenerator<Uint8Array> {
  const context = new binding.CCtx();
  context.setParameter(binding.CParameter.compressionLevel, level);
  context.setParameter(binding.CParameter.checksumFlag, 1);
  const arena = new ArenaSpace();
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

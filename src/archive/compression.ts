/**
 * Streaming decompression (sniffed from magic bytes; the synchronous inflaters of inflate.ts
 * behind an async iterable) and deterministic compression: gzip through node:zlib's handle driven
 * synchronously, zstd through zstd-napi's streaming context, plain passthrough. Corrupt data becomes an InputError
 * naming the stream's label.
 */
import { constants, createGzip } from 'node:zlib';
import binding from 'zstd-napi/binding.js';
import { BugError, InputError } from '../shared/errors.js';
import { ArenaSpace, createInflater, SyncZlib } from './inflate.js';
import { peekWithClose, sniffCompression, SNIFF_BYTES, type Compression } from './peek.js';

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
 * gzip through the handle under a node:zlib stream, driven synchronously (as GzipInflater drives
 * its own) into arenas, as zstd: no stream buffering ahead of the consumer, no buffer per chunk.
 */
async function* gzipCompress(source: AsyncIterable<Uint8Array>, level: number): AsyncGenerator<Uint8Array> {
  const zlib = new SyncZlib(createGzip({ level }));
  const arena = new ArenaSpace();
  const outputs: Uint8Array[] = [];
  const run = function* (input: Uint8Array, flush: number): Generator<Uint8Array> {
    const failure = zlib.write(flush, input, arena, (output) => outputs.push(output));
    if (failure) throw new BugError(`gzip output: zlib failed: ${failure.message}`, { cause: failure });
    yield* outputs.splice(0);
  };
  try {
    for await (const chunk of source) yield* run(chunk, constants.Z_NO_FLUSH);
    yield* run(new Uint8Array(0), constants.Z_FINISH);
  } finally {
    zlib.close();
  }
}

/**
 * Compresses deterministically: the same input and level give the same bytes (gzip without a
 * timestamp or name, zstd single-threaded with a content checksum). Each input chunk is consumed
 * before the next is pulled, so the caller may reuse its input buffer.
 */
export function compressStream(
  source: AsyncIterable<Uint8Array>,
  compression: Compression,
  options?: { level?: number },
): AsyncIterable<Uint8Array> {
  switch (compression) {
    case 'gzip':
      return gzipCompress(source, options?.level ?? 6);
    case 'zstd':
      return zstdCompress(source, options?.level ?? 3);
    case 'none':
      return source;
  }
}

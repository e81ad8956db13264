/**
 * Streaming decompression (sniffed from magic bytes; the synchronous inflaters of inflate.ts
 * behind an async iterable) and deterministic compression: gzip in blocks on every core
 * (parallel-gzip.ts), zstd through zstd-napi's streaming context, plain passthrough. Corrupt data
 * becomes an InputError naming the stream's label.
 */
import binding from 'zstd-napi/binding.js';
import { InputError } from '../shared/errors.js';
import { ArenaSpace, createInflater } from './inflate.js';
import { parallelGzip } from './parallel-gzip.js';
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
 * Compresses deterministically: the same input and level give the same bytes (gzip without a
 * timestamp or name, in blocks fixed by the input; zstd single-threaded with a content checksum). Each input chunk is consumed
 * before the next is pulled, so the caller may reuse its input buffer.
 */
export function compressStream(
  source: AsyncIterable<Uint8Array>,
  compression: Compression,
  options?: { level?: number },
): AsyncIterable<Uint8Array> {
  switch (compression) {
    case 'gzip':
      return parallelGzip(source, { level: options?.level ?? 6 });
    case 'zstd':
      return zstdCompress(source, options?.level ?? 3);
    case 'none':
      return source;
  }
}

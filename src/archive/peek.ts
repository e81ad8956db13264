/**
 * Looking ahead in an async byte stream without consuming it, and sniffing compression from
 * magic bytes (as go-containerregistry and containers/image do: never by trial decompression).
 */
import { Buffer } from 'node:buffer';

export type Compression = 'gzip' | 'zstd' | 'none';
export type SniffedCompression = Compression | 'bzip2' | 'xz' | 'unknown';

function startsWith(head: Uint8Array, magic: readonly number[]): boolean {
  if (head.length < magic.length) return false;
  for (let i = 0; i < magic.length; i++) if (head[i] !== magic[i]) return false;
  return true;
}

/** Magic bytes of compressed formats imgslim does not decompress (reported as 'unknown'). */
const OTHER_MAGICS: readonly (readonly number[])[] = [
  [0x04, 0x22, 0x4d, 0x18], // lz4 frame
  [0x4c, 0x5a, 0x49, 0x50], // lzip
  [0x1f, 0x9d], // compress (.Z)
  [0x1f, 0xa0], // compress (LZH)
  [0x89, 0x4c, 0x5a, 0x4f], // lzop
];

/** Bytes needed to tell every supported format apart. */
export const SNIFF_BYTES = 6;

/**
 * Compression from the first bytes: gzip, zstd (frames and skippable frames), bzip2, xz, other
 * known compressors ('unknown'), and 'none' for anything else (including empty input).
 */
export function sniffCompression(head: Uint8Array): SniffedCompression {
  if (startsWith(head, [0x1f, 0x8b, 0x08])) return 'gzip';
  if (startsWith(head, [0x28, 0xb5, 0x2f, 0xfd])) return 'zstd';
  if (head.length >= 4 && (head[0]! & 0xf0) === 0x50 && head[1] === 0x2a && head[2] === 0x4d && head[3] === 0x18) return 'zstd';
  if (startsWith(head, [0x42, 0x5a, 0x68])) return 'bzip2';
  if (startsWith(head, [0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00])) return 'xz';
  if (OTHER_MAGICS.some((magic) => startsWith(head, magic))) return 'unknown';
  return 'none';
}

/**
 * Reads up to `n` bytes ahead. The returned stream re-yields them and then the rest of
 * `source`; stopping it early closes `source`.
 */
export async function peekStream(
  source: AsyncIterable<Uint8Array>,
  n: number,
): Promise<{ head: Uint8Array; stream: AsyncIterable<Uint8Array> }> {
  const { head, stream } = await peekWithClose(source, n);
  return { head, stream };
}

/** peekStream plus `close()`, which releases `source` when the stream will never be read. */
export async function peekWithClose(
  source: AsyncIterable<Uint8Array>,
  n: number,
): Promise<{ head: Uint8Array; stream: AsyncIterable<Uint8Array>; close: () => Promise<void> }> {
  const iterator = source[Symbol.asyncIterator]();
  const buffered: Uint8Array[] = [];
  let total = 0;
  let done = false;
  let started = false;
  try {
    while (total < n) {
      const next = await iterator.next();
      if (next.done) {
        done = true;
        break;
      }
      if (next.value.length === 0) continue;
      buffered.push(next.value);
      total += next.value.length;
    }
  } catch (error) {
    await iterator.return?.();
    throw error;
  }
  const first = buffered[0];
  const head = buffered.length === 1 && first ? first.subarray(0, n) : Buffer.concat(buffered).subarray(0, n);

  async function* replay(): AsyncGenerator<Uint8Array> {
    started = true;
    try {
      for (const chunk of buffered.splice(0)) yield chunk;
      while (!done) {
        let next: IteratorResult<Uint8Array>;
        try {
          next = await iterator.next();
        } catch (error) {
          done = true; // a failed iterator is already closed
          throw error;
        }
        if (next.done) {
          done = true;
          break;
        }
        yield next.value;
      }
    } finally {
      if (!done) {
        done = true;
        await iterator.return?.();
      }
    }
  }
  const close = async (): Promise<void> => {
    if (started || done) return;
    done = true;
    await iterator.return?.();
  };
  return { head, stream: replay(), close };
}

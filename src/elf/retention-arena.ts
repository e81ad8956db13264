/**
 * Memory for the ranges streaming collectors keep (range-store.ts), reused from one big file to
 * the next on a scan thread. Fresh buffers of up to 16 MiB per big file became garbage once the
 * file was parsed, and V8 frees them only at a later full collection: on the 2× bench image that
 * garbage raised analyze's peak RSS by 15-30 MB (docs/benchmarks.md, 2026-12-07 twelfth session).
 * One buffer of `capacity` bytes is reserved at the first use; only the pages pieces have used
 * are resident. Pieces are handed out in order and all given back when the next file starts; a
 * piece that does not fit gets memory of its own.
 */
import { largeBytes } from '../shared/large-bytes.js';

/** Enough for every piece of libLLVM (about 17 MB: its dynamic tables window is 16 MiB). */
export const ARENA_CAPACITY = 24 << 20;

export class RetentionArena {
  private buffer: Uint8Array | null = null;
  private used = 0;

  constructor(readonly capacity = ARENA_CAPACITY) {}

  /** A new file starts: every earlier piece is dead. */
  begin(): void {
    this.used = 0;
  }

  /** `size` zeroed bytes, valid until the next `begin`. */
  take(size: number): Uint8Array {
    if (this.used + size > this.capacity) return largeBytes(size);
    this.buffer ??= largeBytes(this.capacity);
    const piece = this.buffer.subarray(this.used, this.used + size);
    piece.fill(0);
    this.used += size;
    return piece;
  }
}

/**
 * Byte ranges of one streamed file kept for a later parse: "wanted" ranges are registered
 * (only the part not yet streamed past can still be kept, plus what the look-back ring holds),
 * chunks arriving in order are copied into them, and `read` serves any range fully kept.
 */
import { largeBytes } from '../shared/large-bytes.js';
import { RingBuffer } from './ring.js';

interface Piece {
  start: number;
  end: number;
  bytes: Uint8Array;
}

export const DEFAULT_LOOKBACK = 16 << 10;

export class RangeStore {
  /** Bytes received so far (the next chunk starts here). */
  position = 0;
  /** Bytes kept (the sum of wanted piece sizes). */
  retained = 0;
  /** Wants clipped because the budget was reached. */
  overBudget = false;
  private readonly pieces: Piece[] = [];
  private recent = new RingBuffer(DEFAULT_LOOKBACK);

  constructor(
    readonly size: number,
    private readonly budget: number,
    /** Memory for kept pieces (a RetentionArena's on scan threads). */
    private readonly allocate: (size: number) => Uint8Array = largeBytes,
  ) {}

  get lookbackBytes(): number {
    return this.recent.capacity;
  }

  /** Sets how many already-streamed bytes a late `want` can still recover. */
  setLookback(capacity: number): void {
    if (capacity !== this.recent.capacity) this.recent = this.recent.resized(capacity);
  }

  /**
   * Keeps [start, end) (clipped to the file and the budget). A range whose start has streamed
   * past and left the look-back is lost: it is ignored rather than kept without its head.
   */
  want(start: number, end: number): void {
    const from = Math.max(0, Math.floor(start));
    if (from < this.recent.start) return;
    let to = Math.min(this.size, Math.ceil(end));
    if (!(to > from)) return;
    if (this.retained + (to - from) > this.budget) {
      this.overBudget = true;
      to = from + Math.max(0, this.budget - this.retained);
      if (to <= from) return;
    }
    for (const [gapStart, gapEnd] of this.gaps(from, to)) this.add(gapStart, gapEnd);
  }

  /** Copies the parts of the next chunk that fall in wanted ranges. */
  write(chunk: Uint8Array): void {
    const start = this.position;
    const end = start + chunk.length;
    // Pieces are sorted and disjoint, so their ends are sorted too: start at the first one
    // still open and stop at the first one beyond the chunk (no scan of finished pieces).
    for (let i = this.firstEndingAfter(start); i < this.pieces.length; i++) {
      const piece = this.pieces[i]!;
      if (piece.start >= end) break;
      const from = Math.max(piece.start, start);
      const to = Math.min(piece.end, end);
      piece.bytes.set(chunk.subarray(from - start, to - start), from - piece.start);
    }
    this.position = end;
    this.recent.write(chunk);
  }

  /** Bytes [offset, offset+length) when all of them were kept and have arrived. */
  read(offset: number, length: number): Uint8Array | undefined {
    if (!Number.isSafeInteger(offset) || !Number.isSafeInteger(length) || offset < 0 || length < 0) return undefined;
    const end = offset + length;
    if (end > this.position || end > this.size) return undefined;
    if (length === 0) return new Uint8Array(0);
    const out: Uint8Array[] = [];
    let at = offset;
    for (let i = this.firstEndingAfter(offset); i < this.pieces.length; i++) {
      const piece = this.pieces[i]!;
      if (piece.start > at) break;
      const to = Math.min(piece.end, end);
      out.push(piece.bytes.subarray(at - piece.start, to - piece.start));
      at = to;
      if (at >= end) break;
    }
    if (at < end) return undefined;
    if (out.length === 1) return out[0];
    const joined = new Uint8Array(length);
    let o = 0;
    for (const part of out) {
      joined.set(part, o);
      o += part.length;
    }
    return joined;
  }

  /** Index of the first piece whose end is after `offset` (binary search). */
  private firstEndingAfter(offset: number): number {
    let low = 0;
    let high = this.pieces.length;
    while (low < high) {
      const mid = (low + high) >>> 1;
      if (this.pieces[mid]!.end <= offset) low = mid + 1;
      else high = mid;
    }
    return low;
  }

  /** Sub-ranges of [from, to) not covered by existing pieces. */
  private gaps(from: number, to: number): Array<[number, number]> {
    const result: Array<[number, number]> = [];
    let at = from;
    for (let i = this.firstEndingAfter(from); i < this.pieces.length; i++) {
      const piece = this.pieces[i]!;
      if (piece.start >= to) break;
      if (piece.start > at) result.push([at, piece.start]);
      at = Math.max(at, piece.end);
      if (at >= to) break;
    }
    if (at < to) result.push([at, to]);
    return result;
  }

  private add(start: number, end: number): void {
    const piece: Piece = { start, end, bytes: this.allocate(end - start) };
    // Fill the already-streamed head of the piece from the look-back ring.
    if (start < this.position) this.recent.copy(start, Math.min(end, this.position), piece.bytes, 0);
    this.retained += end - start;
    // Gaps never overlap a piece, so the first piece ending after `start` starts after it.
    const index = this.firstEndingAfter(start);
    if (index === this.pieces.length) this.pieces.push(piece);
    else this.pieces.splice(index, 0, piece);
  }
}

/**
 * Memory for the ranges streaming collectors keep (range-store.ts), reused from one big file to
 * the next on a scan thread. Fresh buffers of up to 16 MiB per big file became garbage once the
 * file was parsed, and V8 frees them only at a later full collection: on the 2× bench image that
 * garbage raised analyze's peak RSS by 15-30 MB (docs/benchmarks.md, 2026-12-07, fifth session).
 *
 * The arena is one resizable ArrayBuffer. Pieces are handed out in order and all given back when
 * the next file starts, which also shrinks the buffer to KEEP bytes: shrinking returns the pages
 * to the system at once, so a big file's ranges are resident only while it streams, and smaller
 * files reuse the same pages without faulting them in again. A piece beyond the capacity gets
 * memory of its own.
 *
 * Growing past GATED_ABOVE takes a SharedGate first, when the scan gives one: the scan threads
 * then hold one big window at a time (docs/decisions/elf.md, "One big window at a time").
 */
import { largeBytes } from '../shared/large-bytes.js';
import type { SharedGate } from '../shared/shared-gate.js';

/** Enough for every piece of libLLVM (about 17 MB: its dynamic tables window is 16 MiB). */
export const ARENA_CAPACITY = 24 << 20;
/** Bytes the arena keeps resident between files. */
export const ARENA_KEEP = 4 << 20;
const GRAIN = 1 << 20;
/** Arena bytes beyond which a thread waits for the gate: libLLVM's and libicudata's windows are 16 MiB. */
export const GATED_ABOVE = 8 << 20;
/** How long a thread waits for the gate's holder, about four times what libLLVM's 117 MB take to stream. */
export const GATE_PATIENCE_MS = 2000;

/** ES2024's resizable ArrayBuffer (in Node 20; the project's TypeScript lib is ES2023). */
interface ResizableArrayBuffer extends ArrayBuffer {
  resize(byteLength: number): void;
}
const ResizableArrayBuffer = ArrayBuffer as unknown as new (byteLength: number, options: { maxByteLength: number }) => ResizableArrayBuffer;

export class RetentionArena {
  private memory: ResizableArrayBuffer | null = null;
  private used = 0;
  private gate: SharedGate | null = null;

  constructor(
    readonly capacity = ARENA_CAPACITY,
    private readonly keep = Math.min(ARENA_KEEP, capacity),
  ) {}

  /** A new file starts: every earlier piece is dead, and pages beyond `keep` are given back. */
  begin(): void {
    this.end();
  }

  /**
   * The file is parsed: its pieces are dead, and pages beyond `keep` are given back now rather
   * than when the next big file begins, so that a big file's ranges do not stay resident while
   * small files stream and coincide with the other scan thread's.
   */
  end(): void {
    this.used = 0;
    if (this.memory && this.memory.byteLength > this.keep) this.memory.resize(this.keep);
    this.gate?.leave();
  }

  /** The gate shared with the other scan threads (null: none), for the pieces of the files to come. */
  useGate(gate: SharedGate | null): void {
    this.gate?.leave();
    this.gate = gate;
  }

  /** `size` zeroed bytes, valid until the next `begin` or `end`. */
  take(size: number): Uint8Array {
    const end = this.used + size;
    if (end > this.capacity) return largeBytes(size);
    this.memory ??= new ResizableArrayBuffer(0, { maxByteLength: this.capacity });
    const grown = this.memory.byteLength;
    // Bytes a resize adds are zero; those below the old length may hold an earlier file's.
    if (end > grown) {
      if (end > GATED_ABOVE) this.gate?.enter(GATE_PATIENCE_MS);
      this.memory.resize(Math.min(this.capacity, Math.ceil(end / GRAIN) * GRAIN));
    }
    const piece = new Uint8Array(this.memory, this.used, size);
    if (this.used < grown) piece.subarray(0, grown - this.used).fill(0);
    this.used = end;
    return piece;
  }
}

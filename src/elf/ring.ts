import { largeBytes } from '../shared/large-bytes.js';

/** The last `capacity` bytes of a stream, readable by absolute offset. */
export class RingBuffer {
  private bytes: Uint8Array;
  /** Absolute offset one past the last byte written. */
  private end = 0;

  constructor(readonly capacity: number) {
    this.bytes = largeBytes(capacity);
  }

  /** The first absolute offset still held. */
  get start(): number {
    return Math.max(0, this.end - this.capacity);
  }

  write(chunk: Uint8Array): void {
    const cap = this.capacity;
    const data = chunk.length > cap ? chunk.subarray(chunk.length - cap) : chunk;
    this.end += chunk.length - data.length;
    const at = this.end % cap;
    const first = Math.min(data.length, cap - at);
    this.bytes.set(data.subarray(0, first), at);
    if (first < data.length) this.bytes.set(data.subarray(first), 0);
    this.end += data.length;
  }

  /** Copies absolute [from, to) into `target` at `targetOffset`; the range must be held. */
  copy(from: number, to: number, target: Uint8Array, targetOffset: number): void {
    if (from < this.start || to > this.end || to <= from) return;
    const cap = this.capacity;
    const at = from % cap;
    const first = Math.min(to - from, cap - at);
    target.set(this.bytes.subarray(at, at + first), targetOffset);
    if (first < to - from) target.set(this.bytes.subarray(0, to - from - first), targetOffset + first);
  }

  /** A ring of another capacity holding as much of this one's recent bytes as fits. */
  resized(capacity: number): RingBuffer {
    const next = new RingBuffer(capacity);
    const from = Math.max(this.start, this.end - capacity);
    next.end = from;
    const held = new Uint8Array(this.end - from);
    this.copy(from, this.end, held, 0);
    next.write(held);
    return next;
  }
}

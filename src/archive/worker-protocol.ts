/**
 * What the main thread and a byte-task worker (worker-pool.ts, worker-main.ts) say to each
 * other. One job at a time per worker; `id` tells a job's messages from a previous job's.
 */
import type { ErrorData } from '../shared/errors.js';
import type { ExpectedBytes, VerifiedFileRange } from '../shared/file-range.js';

/**
 * A synchronous consumer of one byte stream, as a task module creates it (its `createTask`
 * export). It runs the same on the main thread and in a worker.
 */
export interface ByteTask<R> {
  /** Takes one chunk: a view of a reused buffer (the ring or the read buffer), valid only during the call. */
  write(chunk: Uint8Array): void;
  /** The stream ended: the result (plain data: it is structured-cloned out of a worker). */
  end(): R;
  /** The stream was abandoned: release what the task holds. */
  abandon(): void;
}

/** A module that `worker-main.js` can load: `export function createTask(options)`. */
export interface ByteTaskModule<O, R> {
  createTask(options: O): ByteTask<R>;
}

export type ToWorker =
  /** `expected`: what a stream job's bytes must be, checked as its chunks pass and at 'end'. */
  | { type: 'start'; id: number; module: string; options: unknown; expected?: ExpectedBytes }
  /** Load a task module ahead of its first job (its code compiles while the main thread is busy). */
  | { type: 'preload'; module: string }
  /**
   * The ring a stream job's bytes are copied into (worker-pool.ts): before a worker's first one,
   * and again after one that stopped with bytes unread.
   */
  | { type: 'ring'; buffer: SharedArrayBuffer }
  /** `length` bytes at `offset` in the ring; the worker's ack frees them. */
  | { type: 'chunk'; id: number; offset: number; length: number }
  /** Instead of chunks and 'end': the worker reads, verifies and feeds the range itself, acknowledging what it read. */
  | { type: 'file'; id: number; range: VerifiedFileRange }
  | { type: 'end'; id: number }
  | { type: 'abort'; id: number };

export type FromWorker =
  | { type: 'ack'; id: number; bytes: number }
  | { type: 'done'; id: number; result: unknown }
  | { type: 'error'; id: number; error: ErrorData };

/**
 * Worker threads that each consume byte streams with a task (worker-protocol.ts), so that
 * several layers inflate, hash and parse on several cores at once. Bytes that lie in a local
 * file are read by the worker itself, which also checks their size and digest: the main thread
 * then only waits (docs/benchmarks.md: reading, hashing and posting 400 MB of blobs were a
 * quarter of its time). Other sources (a registry) are read by the main thread, which verifies
 * them and posts the chunks: a chunk that owns its whole ArrayBuffer is moved, not copied. At
 * most FLIGHT bytes per job are ahead of the worker. Workers never keep the process alive;
 * close() ends them.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { BugError, errorFromData } from '../shared/errors.js';
import type { VerifiedFileRange } from '../shared/file-range.js';
import type { FromWorker, ToWorker } from './worker-protocol.js';

/** Bytes posted to a worker and not yet acknowledged, per job. */
const FLIGHT = 4 << 20;
/** Small chunks (an HTTP body comes in pieces of 16-64 KiB) are gathered up to this size before they are posted. */
const BATCH = 1 << 20;

const ENTRY = new URL('./worker-main.js', import.meta.url);

/**
 * A worker allocates little that outlives a chunk, so a small young generation suffices: V8's
 * default lets it grow to tens of MiB per thread (docs/benchmarks.md, Memory).
 */
const WORKER_LIMITS = { maxYoungGenerationSizeMb: 4 };

/** Whether worker threads can run here: false when running from the TypeScript sources (tests). */
export function workersAvailable(): boolean {
  return ENTRY.protocol === 'file:' && existsSync(fileURLToPath(ENTRY));
}

/** A local file range for the worker to read, verify and feed itself; `onRead` follows its progress. */
export interface FileSource {
  file: VerifiedFileRange;
  onRead?: (bytes: number) => void;
  /** Stops waiting for the worker (which is ended by close()). */
  signal?: AbortSignal;
}

interface Job {
  id: number;
  onRead: ((bytes: number) => void) | undefined;
  inFlight: number;
  failure: Error | null;
  result: unknown;
  finished: boolean;
  /** Wakes the feeding loop (ack, result or failure). */
  wake: (() => void) | null;
}

class PoolWorker {
  readonly worker = new Worker(ENTRY, { resourceLimits: WORKER_LIMITS });
  job: Job | null = null;
  dead: Error | null = null;

  constructor() {
    this.worker.unref();
    this.worker.on('message', (message: FromWorker) => this.onMessage(message));
    const die = (error: Error) => {
      this.dead = error;
      if (this.job) this.settle(this.job, error);
    };
    this.worker.on('error', (error) => die(new BugError(`layer worker failed: ${error.message}`, { cause: error })));
    this.worker.on('exit', (code) => die(new BugError(`layer worker exited (code ${code})`)));
  }

  post(message: ToWorker, transfer?: ArrayBuffer[]): void {
    this.worker.postMessage(message, transfer);
  }

  private onMessage(message: FromWorker): void {
    const job = this.job;
    if (!job || job.id !== message.id) return;
    if (message.type === 'ack') {
      job.inFlight -= message.bytes;
      job.onRead?.(message.bytes);
    }
    else if (message.type === 'done') {
      job.result = message.result;
      job.finished = true;
    } else this.settle(job, errorFromData(message.error));
    job.wake?.();
  }

  private settle(job: Job, error: Error): void {
    job.failure ??= error;
    job.wake?.();
  }
}

export class WorkerPool {
  private readonly idle: PoolWorker[] = [];
  private readonly waiting: Array<(worker: PoolWorker) => void> = [];
  private readonly all: PoolWorker[] = [];
  private nextId = 1;

  constructor(size: number) {
    for (let i = 0; i < size; i++) {
      const worker = new PoolWorker();
      this.all.push(worker);
      this.idle.push(worker);
    }
  }

  /** Streams `source` into a task made by `module`'s createTask(options) in a worker; its result. */
  async run<R>(module: URL, options: unknown, source: AsyncIterable<Uint8Array> | FileSource): Promise<R> {
    const worker = await this.acquire();
    const fromFile = 'file' in source ? source : null;
    const job: Job = { id: this.nextId++, onRead: fromFile?.onRead, inFlight: 0, failure: null, result: undefined, finished: false, wake: null };
    worker.job = job;
    const waitFor = (ready: () => boolean) =>
      ready() || job.failure ? Promise.resolve() : new Promise<void>((resolve) => (job.wake = resolve)).then(() => (job.wake = null));
    const abort = () => {
      job.failure ??= fromFile?.signal?.reason instanceof Error ? fromFile.signal.reason : new Error('aborted');
      job.wake?.();
    };
    try {
      worker.post({ type: 'start', id: job.id, module: module.href, options });
      if (fromFile) {
        fromFile.signal?.throwIfAborted();
        fromFile.signal?.addEventListener('abort', abort, { once: true });
        worker.post({ type: 'file', id: job.id, range: fromFile.file });
        while (!job.finished && !job.failure) await waitFor(() => job.finished);
        if (job.failure) throw job.failure;
        return job.result as R;
      }
      for await (const chunk of batched(source as AsyncIterable<Uint8Array>, BATCH)) {
        if (job.failure) break;
        const bytes = movable(chunk);
        worker.post({ type: 'chunk', id: job.id, bytes }, [bytes.buffer as ArrayBuffer]);
        job.inFlight += bytes.length;
        while (job.inFlight > FLIGHT && !job.failure) await waitFor(() => job.inFlight <= FLIGHT);
      }
      if (!job.failure) worker.post({ type: 'end', id: job.id });
      while (!job.finished && !job.failure) await waitFor(() => job.finished);
      if (job.failure) throw job.failure;
      return job.result as R;
    } catch (error) {
      if (!worker.dead) worker.post({ type: 'abort', id: job.id });
      throw error;
    } finally {
      fromFile?.signal?.removeEventListener('abort', abort);
      worker.job = null;
      this.release(worker);
    }
  }

  /** Ends every worker. */
  async close(): Promise<void> {
    await Promise.all(this.all.map((worker) => worker.worker.terminate()));
  }

  private acquire(): Promise<PoolWorker> {
    const worker = this.idle.pop();
    if (worker) return Promise.resolve(worker);
    return new Promise((resolve) => this.waiting.push(resolve));
  }

  private release(worker: PoolWorker): void {
    if (worker.dead) {
      const replacement = new PoolWorker();
      this.all.push(replacement);
      worker = replacement;
    }
    const next = this.waiting.shift();
    if (next) next(worker);
    else this.idle.push(worker);
  }
}

/** `chunk` itself when it is the only view of a plain ArrayBuffer (moved, not copied), else a copy. */
function movable(chunk: Uint8Array): Uint8Array {
  const whole = chunk.byteOffset === 0 && chunk.byteLength === chunk.buffer.byteLength && chunk.buffer instanceof ArrayBuffer;
  return whole ? chunk : chunk.slice();
}

/**
 * `source` in chunks of at least `size` bytes (the last may be shorter): small chunks are copied
 * together, a chunk already that big passes through. One message per chunk is what a worker pays
 * for, so many small ones cost more than their bytes.
 */
export async function* batched(source: AsyncIterable<Uint8Array>, size: number): AsyncGenerator<Uint8Array> {
  let batch: Uint8Array | null = null;
  let filled = 0;
  for await (const chunk of source) {
    if (filled === 0 && chunk.length >= size) {
      yield chunk;
      continue;
    }
    let rest = chunk;
    while (rest.length > 0) {
      batch ??= new Uint8Array(size);
      const take = Math.min(size - filled, rest.length);
      batch.set(rest.subarray(0, take), filled);
      filled += take;
      rest = rest.subarray(take);
      if (filled === size) {
        yield batch;
        batch = null;
        filled = 0;
      }
    }
  }
  if (batch && filled > 0) yield batch.slice(0, filled);
}

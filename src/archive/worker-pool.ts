/**
 * Worker threads that each consume byte streams with a task (worker-protocol.ts), so that
 * several layers inflate, hash and parse on several cores at once. Bytes that lie in a local
 * file are read by the worker itself, which also checks their size and digest: the main thread
 * then only waits (docs/benchmarks.md: reading, hashing and posting 400 MB of blobs were a
 * quarter of its time). Other sources (a registry) are read by the main thread, which copies the
 * bytes into a ring of SharedArrayBuffer slots the worker reads in place (and checks, when the
 * job says what they must be: StreamSource): at
 * most RING bytes per job are ahead of the worker, and no buffer changes hands, so memory stays
 * fixed however fast the source is (transferred buffers were freed only when the worker's V8
 * collected them: 100 MB more peak RSS from a registry, docs/benchmarks.md). A worker keeps the
 * process alive only while it has a job; close() ends them.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { setFlagsFromString } from 'node:v8';
import { Worker } from 'node:worker_threads';
import { BugError, errorFromData } from '../shared/errors.js';
import type { ExpectedBytes, VerifiedFileRange } from '../shared/file-range.js';
import type { FromWorker, ToWorker } from './worker-protocol.js';

/**
 * One message carries at most a slot. Small chunks (an HTTP body comes in pieces of 16-64 KiB)
 * are gathered into a slot before it is posted: one message per chunk is what a worker pays for.
 */
const SLOT = 1 << 20;
/** Each worker's ring: the bytes of a job that may be posted and not yet acknowledged. */
const RING = 4 * SLOT;

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

/**
 * Bytes this thread reads (a registry) and copies to the worker, which checks their size and
 * digest as they pass (the main thread then neither hashes them nor wraps them in a verifying
 * stream); `onRead` follows what the worker has taken.
 */
export interface StreamSource {
  stream: AsyncIterable<Uint8Array>;
  expected: ExpectedBytes;
  onRead?: (bytes: number) => void;
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
  /** Made by the first stream job (a local file's worker reads it itself and needs none). */
  ring: Uint8Array | null = null;

  constructor() {
    this.worker.once('online', workerOnline);
    this.worker.on('message', (message: FromWorker) => this.onMessage(message));
    const die = (error: Error) => {
      this.dead = error;
      if (this.job) this.settle(this.job, error);
    };
    this.worker.on('error', (error) => die(new BugError(`layer worker failed: ${error.message}`, { cause: error })));
    this.worker.on('exit', (code) => die(new BugError(`layer worker exited (code ${code})`)));
    // Idle, it keeps no process alive (run() refs it for a job); after the listeners, since adding
    // a 'message' listener refs a worker again.
    this.worker.unref();
  }

  post(message: ToWorker): void {
    this.worker.postMessage(message);
  }

  /** The ring, made and sent to the worker when there is none. */
  takeRing(): Uint8Array {
    if (!this.ring) {
      const buffer = new SharedArrayBuffer(RING);
      this.post({ type: 'ring', buffer });
      this.ring = new Uint8Array(buffer);
    }
    return this.ring;
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

/**
 * The main thread's young generation stays at its start size (2 MiB). V8 lets it grow to 32 MiB,
 * and during a scan, which takes in the layers' results, it does: on top of the workers' heaps, at
 * the command's peak RSS. Held small it takes 11-22 MB off the peak of slim and of the 2× bench
 * image's analysis. It stays small once the workers have exited too: the work after a scan
 * (closures, Report, JSON) builds data that lives on, which a big young generation copies once
 * more before promoting it, and the closures took 0.13-0.14 s instead of 0.20-0.31 s
 * (docs/benchmarks.md, 2026-12-07, seventh session). V8 reads the growth factor each time it
 * would grow, but each new isolate's heap set-up raises a factor below 2 back to 2: so it is set
 * as each worker comes online.
 */
function workerOnline(): void {
  setFlagsFromString('--semi-space-growth-factor=1');
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

  /**
   * Streams `source` into a task made by `module`'s createTask(options) in a worker; its result.
   * A plain stream is taken as it is (its source has verified it).
   */
  async run<R>(module: URL, options: unknown, source: AsyncIterable<Uint8Array> | FileSource | StreamSource): Promise<R> {
    const worker = await this.acquire();
    worker.worker.ref();
    const fromFile = 'file' in source ? source : null;
    const checked = 'expected' in source ? source : null;
    const job: Job = { id: this.nextId++, onRead: (fromFile ?? checked)?.onRead, inFlight: 0, failure: null, result: undefined, finished: false, wake: null };
    worker.job = job;
    const waitFor = (ready: () => boolean) =>
      ready() || job.failure ? Promise.resolve() : new Promise<void>((resolve) => (job.wake = resolve)).then(() => (job.wake = null));
    const abort = () => {
      job.failure ??= fromFile?.signal?.reason instanceof Error ? fromFile.signal.reason : new Error('aborted');
      job.wake?.();
    };
    try {
      worker.post({ type: 'start', id: job.id, module: module.href, options, ...(checked ? { expected: checked.expected } : {}) });
      if (fromFile) {
        fromFile.signal?.throwIfAborted();
        fromFile.signal?.addEventListener('abort', abort, { once: true });
        worker.post({ type: 'file', id: job.id, range: fromFile.file });
        while (!job.finished && !job.failure) await waitFor(() => job.finished);
        if (job.failure) throw job.failure;
        return job.result as R;
      }
      // The slot at `offset` is filled, posted, then waited for until the one after it is free.
      const ring = worker.takeRing();
      let offset = 0;
      let filled = 0;
      const postSlot = () => {
        worker.post({ type: 'chunk', id: job.id, offset, length: filled });
        job.inFlight += filled;
        offset = (offset + SLOT) % RING;
        filled = 0;
      };
      for await (const chunk of checked?.stream ?? (source as AsyncIterable<Uint8Array>)) {
        for (let at = 0; at < chunk.length && !job.failure; ) {
          const take = Math.min(SLOT - filled, chunk.length - at);
          ring.set(chunk.subarray(at, at + take), offset + filled);
          filled += take;
          at += take;
          if (filled < SLOT) continue;
          postSlot();
          while (job.inFlight + SLOT > RING && !job.failure) await waitFor(() => job.inFlight + SLOT <= RING);
        }
        if (job.failure) break;
      }
      if (!job.failure && filled > 0) postSlot();
      if (!job.failure) worker.post({ type: 'end', id: job.id });
      while (!job.finished && !job.failure) await waitFor(() => job.finished);
      if (job.failure) throw job.failure;
      return job.result as R;
    } catch (error) {
      if (!worker.dead) {
        worker.post({ type: 'abort', id: job.id });
        // Bytes still unread: the worker may be reading them when the next job's would overwrite them.
        if (job.inFlight > 0) worker.ring = null;
      }
      throw error;
    } finally {
      fromFile?.signal?.removeEventListener('abort', abort);
      worker.job = null;
      worker.worker.unref();
      this.release(worker);
    }
  }

  /** Has every worker load `module` now, ahead of its first job. */
  preload(module: URL): void {
    for (const worker of this.all) worker.post({ type: 'preload', module: module.href });
  }

  get size(): number {
    return this.all.length;
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

/** Workers started ahead of need by prestartWorkers, for the next takeWorkers. */
let started: WorkerPool | null = null;

/**
 * Starts `size` workers now and has them load `module`: a worker takes about 0.2 s to boot and
 * compile its task's code, which then overlaps what the main thread does before the first job
 * (loading its own code, opening the image). Workers of that count already started are kept
 * (a worker runs any task module); others are ended.
 */
export function prestartWorkers(size: number, module: URL): void {
  if (started?.size !== size) {
    void started?.close();
    started = size > 0 ? new WorkerPool(size) : null;
  }
  started?.preload(module);
}

/**
 * A pool of `size` workers: the prestarted one when it has that size, else a new one; none for
 * 0 (the work stays on the main thread). Prestarted workers not taken are ended.
 */
export function takeWorkers(size: number): WorkerPool | null {
  const pool = started;
  started = null;
  if (pool?.size === size) return pool;
  void pool?.close();
  return size > 0 ? new WorkerPool(size) : null;
}

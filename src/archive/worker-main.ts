/**
 * The entry point of a byte-task worker thread: runs one task at a time, loaded from the
 * module URL the main thread names, feeding it the chunks the main thread copies into their
 * shared ring and acknowledging each (which frees its place; their size and digest checked when
 * the job says what they must be), or the bytes of a local file range
 * it reads and verifies itself (no copy through the main thread). Messages are handled strictly in order.
 */
import { parentPort } from 'node:worker_threads';
import { BugError, errorToData } from '../shared/errors.js';
import type { VerifiedFileRange } from '../shared/file-range.js';
import { StreamVerifier } from './digest.js';
import { readFileRangeSync } from './tar-file.js';
import type { ByteTask, ByteTaskModule, FromWorker, ToWorker } from './worker-protocol.js';

/** Read size for file ranges: the buffer is reused for every read of every job on this thread. */
const READ_CHUNK = 1 << 20;
let readBuffer: Uint8Array | null = null;

if (!parentPort) throw new BugError('worker-main.js runs only as a worker thread');
const port = parentPort;

let current: { id: number; task: ByteTask<unknown>; verifier: StreamVerifier | null } | null = null;
/** Where the main thread copies stream jobs' bytes (ToWorker 'ring'). */
let ring: Uint8Array = new Uint8Array(0);
let queue: Promise<void> = Promise.resolve();

const post = (message: FromWorker) => port.postMessage(message);

function fail(id: number, error: unknown): void {
  current?.task.abandon();
  current = null;
  post({ type: 'error', id, error: errorToData(error) });
}

async function handle(message: ToWorker): Promise<void> {
  if (message.type === 'ring') {
    ring = new Uint8Array(message.buffer);
    return;
  }
  if (message.type === 'preload') {
    // A failure shows again, with its job, when a 'start' imports the module.
    await import(message.module).catch(() => undefined);
    return;
  }
  if (message.type === 'start') {
    try {
      const module = (await import(message.module)) as ByteTaskModule<unknown, unknown>;
      const verifier = message.expected ? new StreamVerifier(message.expected, message.expected.label) : null;
      current = { id: message.id, task: module.createTask(message.options), verifier };
    } catch (error) {
      fail(message.id, error);
    }
    return;
  }
  if (current?.id !== message.id) return; // a job that already failed or was aborted
  const { task, verifier } = current;
  try {
    switch (message.type) {
      case 'chunk': {
        const chunk = ring.subarray(message.offset, message.offset + message.length);
        verifier?.update(chunk);
        task.write(chunk);
        post({ type: 'ack', id: message.id, bytes: message.length });
        return;
      }
      case 'file':
        feedFileRange(message.id, task, message.range);
        end(message.id, task);
        return;
      case 'end':
        verifier?.finish();
        end(message.id, task);
        return;
      case 'abort':
        current = null;
        task.abandon();
    }
  } catch (error) {
    fail(message.id, error);
  }
}

function end(id: number, task: ByteTask<unknown>): void {
  const result = task.end();
  current = null;
  post({ type: 'done', id, result });
}

/** Reads `range`, checking its size and digest, into `task`; acknowledges each chunk (progress). */
function feedFileRange(id: number, task: ByteTask<unknown>, range: VerifiedFileRange): void {
  const verifier = new StreamVerifier(range, range.label);
  readBuffer ??= new Uint8Array(READ_CHUNK);
  readFileRangeSync(range.path, range.offset, range.size, readBuffer, (chunk) => {
    verifier.update(chunk);
    task.write(chunk);
    post({ type: 'ack', id, bytes: chunk.length });
  });
  verifier.finish();
}

port.on('message', (message: ToWorker) => {
  queue = queue.then(() => handle(message));
});

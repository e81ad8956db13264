/**
 * The entry point of a byte-task worker thread: runs one task at a time, loaded from the
 * module URL the main thread names, feeding it the chunks it is sent and acknowledging each
 * (the main thread's flow control). Messages are handled strictly in order.
 */
import { parentPort } from 'node:worker_threads';
import { BugError, errorToData } from '../shared/errors.js';
import type { ByteTask, ByteTaskModule, FromWorker, ToWorker } from './worker-protocol.js';

if (!parentPort) throw new BugError('worker-main.js runs only as a worker thread');
const port = parentPort;

let current: { id: number; task: ByteTask<unknown> } | null = null;
let queue: Promise<void> = Promise.resolve();

const post = (message: FromWorker) => port.postMessage(message);

function fail(id: number, error: unknown): void {
  current?.task.abandon();
  current = null;
  post({ type: 'error', id, error: errorToData(error) });
}

async function handle(message: ToWorker): Promise<void> {
  if (message.type === 'start') {
    try {
      const module = (await import(message.module)) as ByteTaskModule<unknown, unknown>;
      current = { id: message.id, task: module.createTask(message.options) };
    } catch (error) {
      fail(message.id, error);
    }
    return;
  }
  if (current?.id !== message.id) return; // a job that already failed or was aborted
  const { task } = current;
  try {
    switch (message.type) {
      case 'chunk':
        task.write(message.bytes);
        post({ type: 'ack', id: message.id, bytes: message.bytes.length });
        return;
      case 'end': {
        const result = task.end();
        current = null;
        post({ type: 'done', id: message.id, result });
        return;
      }
      case 'abort':
        current = null;
        task.abandon();
    }
  } catch (error) {
    fail(message.id, error);
  }
}

port.on('message', (message: ToWorker) => {
  queue = queue.then(() => handle(message));
});

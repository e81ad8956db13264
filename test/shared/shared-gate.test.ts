/** The cross-thread gate the scan threads take before they keep a big ELF window. */
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { describe, expect, it } from 'vitest';
import { SharedGate } from '../../src/shared/shared-gate.js';
import { ensureBuilt } from '../helpers/build.js';
import { repoRoot } from '../helpers/peer-corpus.js';

/** Whether the gate over `buffer` is held (its first cell names the holding). */
const heldIn = (buffer: SharedArrayBuffer) => new Int32Array(buffer)[0] !== 0;

describe('SharedGate', () => {
  it('is held by one gate object at a time; entering again while holding is a no-op', () => {
    const first = new SharedGate();
    const second = new SharedGate(first.buffer);
    expect(heldIn(first.buffer)).toBe(false);
    expect(first.enter(0)).toBe(true);
    expect(first.enter(0)).toBe(true);
    expect(heldIn(first.buffer)).toBe(true);
    expect(second.enter(0)).toBe(false);
    first.leave();
    expect(heldIn(first.buffer)).toBe(false);
    expect(second.enter(0)).toBe(true);
    second.leave();
    second.leave(); // leaving a gate it does not hold changes nothing
    expect(first.enter(0)).toBe(true);
  });

  it('waits at most its patience for a holding, and does not wait for the same holding again', () => {
    const holder = new SharedGate();
    holder.enter(0);
    const waiter = new SharedGate(holder.buffer);
    let started = Date.now();
    expect(waiter.enter(80)).toBe(false);
    expect(Date.now() - started).toBeGreaterThanOrEqual(70);
    started = Date.now();
    expect(waiter.enter(5000)).toBe(false);
    expect(Date.now() - started).toBeLessThan(50);
    // A new holding is waited for again.
    holder.leave();
    holder.enter(0);
    started = Date.now();
    expect(waiter.enter(60)).toBe(false);
    expect(Date.now() - started).toBeGreaterThanOrEqual(50);
    holder.leave();
    expect(waiter.enter(0)).toBe(true);
  });

  it('wakes a thread waiting for it when its holder leaves', async () => {
    const holder = new SharedGate();
    holder.enter(0);
    // The waiting side, in a worker thread: it says so, then blocks in Atomics.wait until the
    // main thread leaves.
    const worker = new Worker(
      `const { parentPort, workerData } = require('node:worker_threads');
       const cells = new Int32Array(workerData, 0, 2);
       const holding = Atomics.load(cells, 0);
       parentPort.postMessage('waiting');
       const started = Date.now();
       const woken = Atomics.wait(cells, 0, holding, 5000);
       parentPort.postMessage({ woken, free: Atomics.load(cells, 0) === 0, waited: Date.now() - started });`,
      { eval: true, workerData: holder.buffer },
    );
    const next = () => new Promise((resolve) => worker.once('message', resolve));
    expect(await next()).toBe('waiting');
    const result = next() as Promise<{ woken: string; free: boolean; waited: number }>;
    await new Promise((resolve) => setTimeout(resolve, 150));
    holder.leave();
    const { woken, free, waited } = await result;
    await worker.terminate();
    expect(woken).toBe('ok');
    expect(free).toBe(true);
    expect(waited).toBeGreaterThanOrEqual(100);
    expect(waited).toBeLessThan(4000);
  });

  it('lets one thread in at a time when several contend', async () => {
    ensureBuilt();
    // Two worker threads (the compiled class) and this one each enter and leave 2000 times; a
    // shared count of threads inside must never exceed one.
    const compiled = pathToFileURL(path.join(repoRoot, 'dist', 'shared', 'shared-gate.js')).href;
    const body = `const { parentPort, workerData } = require('node:worker_threads');
       import(${JSON.stringify(compiled)}).then(({ SharedGate }) => {
         const gate = new SharedGate(workerData.gate);
         const count = new Int32Array(workerData.inside);
         let most = 0;
         for (let i = 0; i < 2000; i++) {
           if (!gate.enter(5000)) throw new Error('waited out');
           most = Math.max(most, Atomics.add(count, 0, 1) + 1);
           Atomics.sub(count, 0, 1);
           gate.leave();
         }
         parentPort.postMessage(most);
       });`;
    const buffer = SharedGate.newBuffer();
    const inside = new SharedArrayBuffer(4);
    const workers = [0, 1].map(() => new Worker(body, { eval: true, workerData: { gate: buffer, inside } }));
    const results = workers.map((worker) => new Promise<number>((resolve, reject) => (worker.once('message', resolve), worker.once('error', reject))));
    const mine = new SharedGate(buffer);
    const count = new Int32Array(inside);
    let most = 0;
    for (let i = 0; i < 2000; i++) {
      expect(mine.enter(5000)).toBe(true);
      most = Math.max(most, Atomics.add(count, 0, 1) + 1);
      Atomics.sub(count, 0, 1);
      mine.leave();
    }
    const theirs = await Promise.all(results);
    await Promise.all(workers.map((worker) => worker.terminate()));
    expect(Math.max(most, ...theirs)).toBe(1);
  });
});

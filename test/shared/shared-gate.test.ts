/** The cross-thread gate the scan threads take before they keep a big ELF window. */
import { Worker } from 'node:worker_threads';
import { describe, expect, it } from 'vitest';
import { SharedGate } from '../../src/shared/shared-gate.js';

describe('SharedGate', () => {
  it('is held by one gate object at a time; entering again while holding is a no-op', () => {
    const first = new SharedGate();
    const second = new SharedGate(first.buffer);
    expect(first.enter(0)).toBe(true);
    expect(first.enter(0)).toBe(true);
    expect(second.enter(0)).toBe(false);
    first.leave();
    expect(second.enter(0)).toBe(true);
    second.leave();
    second.leave(); // leaving a gate it does not hold changes nothing
    expect(first.enter(0)).toBe(true);
  });

  it('waits at most its patience for a holder that does not leave', () => {
    const holder = new SharedGate();
    holder.enter(0);
    const started = Date.now();
    expect(new SharedGate(holder.buffer).enter(80)).toBe(false);
    expect(Date.now() - started).toBeGreaterThanOrEqual(70);
  });

  it('wakes a thread waiting for it when its holder leaves', async () => {
    const holder = new SharedGate();
    holder.enter(0);
    // The waiting side, in a worker thread: it says so, then blocks in Atomics.wait until the
    // main thread leaves.
    const worker = new Worker(
      `const { parentPort, workerData } = require('node:worker_threads');
       const cell = new Int32Array(workerData, 0, 1);
       parentPort.postMessage('waiting');
       const started = Date.now();
       let entered = false;
       while (Date.now() - started < 5000) {
         if (Atomics.compareExchange(cell, 0, 0, 1) === 0) { entered = true; break; }
         Atomics.wait(cell, 0, 1, 5000 - (Date.now() - started));
       }
       parentPort.postMessage({ entered, waited: Date.now() - started });`,
      { eval: true, workerData: holder.buffer },
    );
    const messages: unknown[] = [];
    const next = () => new Promise((resolve) => worker.once('message', resolve));
    messages.push(await next());
    const result = next() as Promise<{ entered: boolean; waited: number }>;
    await new Promise((resolve) => setTimeout(resolve, 150));
    holder.leave();
    const { entered, waited } = await result;
    await worker.terminate();
    expect(messages).toEqual(['waiting']);
    expect(entered).toBe(true);
    expect(waited).toBeGreaterThanOrEqual(100);
    expect(waited).toBeLessThan(4000);
  });
});

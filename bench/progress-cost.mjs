#!/usr/bin/env node
/**
 * `node bench/progress-cost.mjs [CALLS]`: the cost of a progress task's `advance` (dist/ui
 * createProgress on a fake TTY stderr, so the live-bar sink of docs/decisions/ui.md "Progress"),
 * in ns per call over CALLS calls (default 50,000,000, as in the document; about 2 s in all),
 * best of 3 after a warm-up, beside a loop calling an empty method for scale. Whether the loop
 * allocates: the garbage collections during it (a few bytes per call would be hundreds of MB
 * over the loop, so scavenges) and the heap growth. Writes nothing. Needs `npm run build` first.
 */
import { performance } from 'node:perf_hooks';
import { GCProfiler } from 'node:v8';
import { createProgress } from '../dist/ui/index.js';

const calls = Number(process.argv[2] ?? 50_000_000);
if (!Number.isInteger(calls) || calls < 1) throw new Error('usage: node bench/progress-cost.mjs [CALLS]');

let draws = 0;
const stderr = { isTTY: true, columns: 100, write: () => (draws++, true) };
const term = { stdout: stderr, stderr, stdin: process.stdin, env: { TERM: 'xterm-256color' } };
const progress = createProgress(term, { quiet: false });
const task = progress.start('read', `layer 1/1 sha256:${'ab'.repeat(32)}`, calls * 4096 * 5);
const empty = { advance(bytes) {} };
// One loop per target, so each call site sees one receiver shape, as a layer reader's does.
const taskLoop = (n) => {
  for (let i = 0; i < n; i++) task.advance(4096);
};
const emptyLoop = (n) => {
  for (let i = 0; i < n; i++) empty.advance(4096);
};

const settle = () => new Promise((resolve) => setImmediate(resolve));

async function measure(name, loop) {
  loop(1_000_000);
  let best = Infinity;
  let gcs = 0;
  let grown = 0;
  for (let round = 0; round < 3; round++) {
    await settle();
    const profiler = new GCProfiler();
    const heap = process.memoryUsage().heapUsed;
    profiler.start();
    const start = performance.now();
    loop(calls);
    const ms = performance.now() - start;
    gcs = Math.max(gcs, profiler.stop().statistics.length);
    grown = Math.max(grown, process.memoryUsage().heapUsed - heap);
    best = Math.min(best, ms);
  }
  const ns = (best * 1e6) / calls;
  process.stdout.write(`${name.padEnd(30)} ${ns.toFixed(2).padStart(6)} ns/call  (${best.toFixed(0)} ms for ${calls.toLocaleString('en-US')} calls; ` +
    `at most ${gcs} GCs and ${(grown / 1024).toFixed(0)} KiB heap growth during a loop)\n`);
}

process.stdout.write(`Node ${process.version}, best of 3\n`);
await measure('progress task advance', taskLoop);
await measure('empty method (for scale)', emptyLoop);
task.done();
progress.close();
process.stdout.write(`bars drawn while the loops ran: ${draws} writes (the draw timer fires between loops, never inside one)\n`);

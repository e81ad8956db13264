#!/usr/bin/env node
/**
 * `node bench/semi-space-flag.mjs`: whether `v8.setFlagsFromString('--semi-space-growth-factor=1')`
 * keeps the main thread's young generation small: without a worker, with a worker started after
 * it was set, and set again once that worker is online (docs/benchmarks.md: starting a Worker
 * undoes it, since each new isolate's heap set-up raises the factor back to 2; the worker pool
 * sets it again when a worker is online). Each case runs in its own process. No project imports.
 */
import { execFileSync } from 'node:child_process';

const CASE = `
import v8 from 'node:v8';
import { once } from 'node:events';
import { Worker } from 'node:worker_threads';
v8.setFlagsFromString('--semi-space-growth-factor=1');
if (process.argv[1] !== 'none') {
  const worker = new Worker('setTimeout(() => {}, 10)', { eval: true, resourceLimits: { maxYoungGenerationSizeMb: 4 } });
  await once(worker, 'online');
  if (process.argv[1] === 'again') v8.setFlagsFromString('--semi-space-growth-factor=1');
}
let live = [];
for (let i = 0; i < 3e6; i++) {
  live.push({ i, s: 'x' + i });
  if (live.length > 1000) live = [];
}
const space = v8.getHeapSpaceStatistics().find((s) => s.space_name === 'new_space');
console.log((space.space_size / 2 ** 20).toFixed(1));
`;
const MODES = { none: 'flag set, no worker', worker: 'flag set, then a worker started', again: 'flag set again once the worker is online' };
for (const [mode, label] of Object.entries(MODES)) {
  const mib = execFileSync(process.execPath, ['--input-type=module', '-e', CASE, mode], { encoding: 'utf8' }).trim();
  process.stdout.write(`${label}: main new_space ${mib} MiB\n`);
}

#!/usr/bin/env node
/**
 * `node bench/semi-space-flag.mjs`: whether `v8.setFlagsFromString('--semi-space-growth-factor=1')`
 * keeps the main thread's young generation small, without and with a worker thread started
 * (docs/benchmarks.md: starting a Worker undoes it, so imgslim's launcher no longer sets it).
 * Each case runs in its own process. No project imports.
 */
import { execFileSync } from 'node:child_process';

const CASE = `
import v8 from 'node:v8';
import { Worker } from 'node:worker_threads';
v8.setFlagsFromString('--semi-space-growth-factor=1');
if (process.argv[1] === 'worker') new Worker('setTimeout(() => {}, 10)', { eval: true, resourceLimits: { maxYoungGenerationSizeMb: 4 } });
let live = [];
for (let i = 0; i < 3e6; i++) {
  live.push({ i, s: 'x' + i });
  if (live.length > 1000) live = [];
}
const space = v8.getHeapSpaceStatistics().find((s) => s.space_name === 'new_space');
console.log((space.space_size / 2 ** 20).toFixed(1));
`;
for (const mode of ['none', 'worker']) {
  const mib = execFileSync(process.execPath, ['--input-type=module', '-e', CASE, mode], { encoding: 'utf8' }).trim();
  process.stdout.write(`flag set, ${mode === 'worker' ? 'a worker started' : 'no worker'}: main new_space ${mib} MiB\n`);
}

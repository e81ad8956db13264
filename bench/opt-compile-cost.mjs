/**
 * What V8's optimising compiler (TurboFan) costs a command: runs it under `node --trace-opt`
 * and sums, over every isolate (main thread and workers), the compilations and the time each
 * took (prepare + execute + finalize, as V8 reports them). The launcher sets V8's optimisation
 * budget itself; `--budget N` sets it again on the command line (V8 flags take the last value)
 * to compare, e.g. 67584, V8's default:
 *
 *   node bench/opt-compile-cost.mjs [--budget N] -- analyze IMAGE --format json --quiet
 */
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const args = process.argv.slice(2);
const split = args.indexOf('--');
if (split < 0 || split === args.length - 1) {
  process.stderr.write('usage: node bench/opt-compile-cost.mjs [--budget N] -- IMGSLIM-ARGS...\n');
  process.exit(2);
}
const budgetAt = args.indexOf('--budget');
const budget = budgetAt >= 0 && budgetAt < split ? args[budgetAt + 1] : null;
const cli = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'bin', 'imgslim.js');
// The launcher's setFlagsFromString runs after the command line's flags; a budget given here
// is set by a preload that runs after the launcher's import of node:v8 but before any work.
const preload = budget ? ['--import', `data:text/javascript,import v8 from 'node:v8'; queueMicrotask(() => v8.setFlagsFromString('--interrupt-budget=${budget}'))`] : [];
const run = spawnSync(process.execPath, ['--trace-opt', ...preload, cli, ...args.slice(split + 1)], { encoding: 'utf8', maxBuffer: 1 << 30 });
let count = 0;
let ms = 0;
const byFunction = new Map();
for (const line of run.stdout.split('\n')) {
  const match = /^\[completed compiling .*<JSFunction (\S*?)[ >].*took ([\d.]+), ([\d.]+), ([\d.]+) ms\]/.exec(line);
  if (!match) continue;
  const took = Number(match[2]) + Number(match[3]) + Number(match[4]);
  count++;
  ms += took;
  byFunction.set(match[1], (byFunction.get(match[1]) ?? 0) + took);
}
process.stdout.write(`exit ${run.status}; ${count} optimising compilations, ${ms.toFixed(0)} ms\n`);
for (const [name, took] of [...byFunction].sort((a, b) => b[1] - a[1]).slice(0, 10)) process.stdout.write(`  ${took.toFixed(1).padStart(7)} ms  ${name || '(anonymous)'}\n`);

#!/usr/bin/env node
/**
 * `node bench/ab.mjs ROUNDS NAME=COMMAND...`: interleaved rounds of whole command lines (each
 * round runs every command once, so load hits them alike), then per command the median wall
 * time, CPU time (user + sys of the process tree) and peak RSS, with every round's wall time.
 * COMMAND is split on spaces. For before/after figures, e.g. a build of an earlier commit in a
 * worktree against this one:
 *
 *   git worktree add /tmp/base COMMIT && (cd /tmp/base && ln -s "$PWD/node_modules" . && npx tsc -p tsconfig.build.json)
 *   node bench/ab.mjs 5 "base=node /tmp/base/bin/imgslim.js analyze IMAGE --format json --quiet" \
 *                       "new=node bin/imgslim.js analyze IMAGE --format json --quiet"
 */
import { measureOnce } from './measure.mjs';

const [rounds, ...specs] = process.argv.slice(2);
if (!Number(rounds) || specs.length === 0 || specs.some((spec) => !spec.includes('='))) {
  process.stderr.write('usage: node bench/ab.mjs ROUNDS NAME=COMMAND...\n');
  process.exit(2);
}
const steps = specs.map((spec) => {
  const at = spec.indexOf('=');
  return { name: spec.slice(0, at), command: spec.slice(at + 1).split(' ').filter(Boolean), runs: [] };
});
for (let round = 0; round < Number(rounds); round++) {
  for (const step of steps) {
    const run = measureOnce(step.command);
    if (!run.ok) process.stderr.write(`${step.name}: exit ${run.code}: ${run.stderr}\n`);
    step.runs.push(run);
  }
}
const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
const width = Math.max(...steps.map((step) => step.name.length));
for (const { name, runs } of steps) {
  const wall = median(runs.map((run) => run.wallSeconds ?? NaN)).toFixed(2);
  const cpu = median(runs.map((run) => run.cpuSeconds ?? NaN)).toFixed(2);
  const rss = median(runs.map((run) => run.rssMB ?? NaN)).toFixed(0);
  process.stdout.write(`${name.padEnd(width)}  wall ${wall} s  CPU ${cpu} s  peak RSS ${rss} MB  (walls ${runs.map((run) => run.wallSeconds?.toFixed(2)).join(' ')})\n`);
}

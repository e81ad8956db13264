#!/usr/bin/env node
/**
 * Reads `perf script -F tid,time,ip,sym` (from `perf record -F 999 -g node --perf-basic-prof
 * bin/imgslim.js …`, Debian's linux-perf) on stdin and prints, per thread, the samples in each
 * BUCKET-second bucket (default 0.25): which threads were busy when. With `--from S --to S`,
 * instead the top leaf symbols of each thread within that window, a leaf in JavaScript attributed
 * to its nearest JS frame and zlib's and OpenSSL's routines kept by name. docs/benchmarks.md
 * cites it:
 *
 *   perf record -F 999 -g -o slim.data node --perf-basic-prof bin/imgslim.js slim IMAGE -o OUT --quiet
 *   perf script -i slim.data -F tid,time,ip,sym | node bench/perf-timeline.mjs
 *   perf script -i slim.data -F tid,time,ip,sym | node bench/perf-timeline.mjs --from 4.75 --to 6
 */
import { createInterface } from 'node:readline';

// A reader that stops early (`| head`) is not an error.
process.stdout.on('error', (error) => {
  if (error.code === 'EPIPE') process.exit(0);
  throw error;
});
const args = process.argv.slice(2);
const option = (name) => (args.includes(name) ? Number(args[args.indexOf(name) + 1]) : undefined);
const bucket = option('--bucket') ?? 0.25;
const from = option('--from');
const to = option('--to');
const NATIVE = /^(inflate|sha256_|crc32|adler32|deflate|longest_match|compress_block|fill_window)/;

/** Samples: { tid, time, frames } where frames[0] is the leaf. */
const samples = [];
let current = null;
for await (const line of createInterface({ input: process.stdin })) {
  if (line.trim() === '') {
    if (current) samples.push(current);
    current = null;
    continue;
  }
  const head = /^\s*(\S+)\s+(\d+)\s+([\d.]+):/.exec(line) ?? /^\s*(\d+)\s+([\d.]+):/.exec(line);
  if (!current && head) {
    const [tid, time] = head.length === 4 ? [head[2], head[3]] : [head[1], head[2]];
    current = { tid, time: Number(time), frames: [] };
    continue;
  }
  const frame = /^\s+[0-9a-f]+\s+(.*)$/.exec(line);
  if (current && frame) current.frames.push(frame[1].replace(/\s+\(.*\)$/, ''));
}
if (current) samples.push(current);
if (samples.length === 0) {
  process.stderr.write('no samples on stdin (perf script -F tid,time,ip,sym)\n');
  process.exit(2);
}
const start = samples[0].time;
const byThread = new Map();
for (const sample of samples) byThread.set(sample.tid, (byThread.get(sample.tid) ?? 0) + 1);
const threads = [...byThread.entries()].sort((a, b) => b[1] - a[1]).slice(0, 8).map(([tid]) => tid);

if (from === undefined) {
  const rows = new Map();
  for (const { tid, time } of samples) {
    const row = Math.floor((time - start) / bucket);
    if (!rows.has(row)) rows.set(row, new Map());
    rows.get(row).set(tid, (rows.get(row).get(tid) ?? 0) + 1);
  }
  process.stdout.write(`seconds ${threads.map((tid) => tid.padStart(7)).join('')}   total\n`);
  for (const row of [...rows.keys()].sort((a, b) => a - b)) {
    const counts = rows.get(row);
    const total = [...counts.values()].reduce((a, b) => a + b, 0);
    process.stdout.write(`${(row * bucket).toFixed(2).padStart(7)} ${threads.map((tid) => String(counts.get(tid) ?? 0).padStart(7)).join('')} ${String(total).padStart(7)}\n`);
  }
} else {
  const tops = new Map();
  for (const { tid, time, frames } of samples) {
    const at = time - start;
    if (at < from || at >= (to ?? Infinity)) continue;
    const leaf = frames[0] ?? '?';
    const key = NATIVE.test(leaf) ? leaf : (frames.find((frame) => frame.startsWith('JS:')) ?? leaf);
    if (!tops.has(tid)) tops.set(tid, new Map());
    tops.get(tid).set(key, (tops.get(tid).get(key) ?? 0) + 1);
  }
  for (const [tid, counts] of [...tops.entries()].sort((a, b) => sum(b[1]) - sum(a[1]))) {
    const total = sum(counts);
    if (total < 20) continue;
    process.stdout.write(`thread ${tid}: ${total} samples\n`);
    for (const [key, count] of [...counts.entries()].sort((a, b) => b[1] - a[1]).slice(0, 12)) {
      process.stdout.write(`  ${String(count).padStart(6)} ${((100 * count) / total).toFixed(1).padStart(5)} %  ${key.slice(0, 100)}\n`);
    }
  }
}

function sum(counts) {
  return [...counts.values()].reduce((a, b) => a + b, 0);
}

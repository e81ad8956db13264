#!/usr/bin/env node
/**
 * Reads `perf script -F tid,ip,sym` (from `perf record -F 999 -g node --perf-basic-prof
 * bin/imgslim.js …`, Debian's linux-perf) on stdin and prints where the samples of every thread
 * went, by kind: ISA-L's and zlib's inflate and sha256 by their leaf symbol, then by any frame of
 * the stack GC, the optimising compiler, V8's snapshot, module loading (ESM, Node's own modules,
 * lazy compiles), the dynamic loader, page faults, and the rest. At 999 Hz a sample is about a
 * millisecond. docs/benchmarks.md (sixth session) cites it:
 *
 *   perf record -F 999 -g -o an.data node --perf-basic-prof bin/imgslim.js analyze IMAGE --format json --quiet
 *   perf script -i an.data -F tid,ip,sym | node bench/perf-categories.mjs
 */
import { createInterface } from 'node:readline';

// A reader that stops early (`| head`) is not an error.
process.stdout.on('error', (error) => {
  if (error.code === 'EPIPE') process.exit(0);
  throw error;
});

/** [kind, test of the leaf symbol, test of any frame]; the first match wins. */
const KINDS = [
  ['inflate', /^(decode_huffman|isal_|crc32_gzip|inflate_fast|inflate\b|adler32)/, null],
  ['sha256', /sha256/, null],
  ['GC', null, /Scavenger|MarkCompact|ConcurrentMarking|Sweeper|v8::internal::Heap::|GCTracer|MemoryAllocator|BasicMemoryChunk/],
  ['optimising compiler', null, /v8::internal::compiler::|Maglev|OptimizingCompile/],
  ['V8 snapshot', null, /Deserializer|Snapshot/],
  ['ESM loading', null, /compileSourceTextModule|ModuleWrap|node:internal\/modules\/esm/],
  ["Node's own modules", null, /compileForInternalLoader/],
  ['lazy compiles', null, /v8::internal::Parser|v8::internal::Scanner|BytecodeGenerator|Compiler::Compile|CalculateLineEnds/],
  ['dynamic loader', null, /_dl_|dl_main|do_lookup_x/],
  ['page faults', null, /exc_page_fault/],
];

const totals = new Map();
const byThread = new Map();
let sample = null;
function finish() {
  if (!sample || sample.frames.length === 0) return;
  const [leaf] = sample.frames;
  const stack = sample.frames.join('\n');
  const kind = KINDS.find(([, leafTest, anyTest]) => (leafTest ? leafTest.test(leaf) : anyTest.test(stack)))?.[0] ?? 'other';
  totals.set(kind, (totals.get(kind) ?? 0) + 1);
  const thread = byThread.get(sample.tid) ?? new Map();
  thread.set(kind, (thread.get(kind) ?? 0) + 1);
  byThread.set(sample.tid, thread);
}
for await (const line of createInterface({ input: process.stdin })) {
  if (line.trim() === '') {
    finish();
    sample = null;
    continue;
  }
  const head = /^\s*(?:\S+\s+)?(\d+)\s*$/.exec(line);
  if (!sample && head) {
    sample = { tid: head[1], frames: [] };
    continue;
  }
  const frame = /^\s+[0-9a-f]+\s+(.*)$/.exec(line);
  if (sample && frame) sample.frames.push(frame[1].replace(/\s+\(.*\)$/, ''));
}
finish();
const all = [...totals.values()].reduce((a, b) => a + b, 0);
if (all === 0) {
  process.stderr.write('no samples on stdin (perf script -F tid,ip,sym)\n');
  process.exit(2);
}
const order = [...totals].sort((a, b) => b[1] - a[1]).map(([kind]) => kind);
const threads = [...byThread].sort((a, b) => sum(b[1]) - sum(a[1]));
process.stdout.write(`| kind | samples | % | ${threads.map(([tid]) => `thread ${tid}`).join(' | ')} |\n`);
process.stdout.write(`|---|---:|---:|${threads.map(() => '---:').join('|')}|\n`);
for (const kind of order) {
  const count = totals.get(kind);
  process.stdout.write(`| ${kind} | ${count} | ${((100 * count) / all).toFixed(1)} | ${threads.map(([, t]) => t.get(kind) ?? 0).join(' | ')} |\n`);
}
process.stdout.write(`| all | ${all} | 100 | ${threads.map(([, t]) => sum(t)).join(' | ')} |\n`);

function sum(map) {
  return [...map.values()].reduce((a, b) => a + b, 0);
}

/**
 * A preload that samples the main thread's process.memoryUsage() every 100 ms and, at exit,
 * writes the timeline (ms, rss, heapTotal, heapUsed, external, arrayBuffers, in MiB) and the
 * peak RSS to $RSS_TIMELINE (default: stderr). RSS is the whole process (worker threads
 * included); heap and arrayBuffers are the main thread's own. Used for docs/benchmarks.md, Memory:
 *
 *   RSS_TIMELINE=/tmp/rss.tsv node --import ./bench/rss-timeline.mjs bin/imgslim.js analyze IMAGE --format json --quiet >/dev/null
 *
 * RSS_SMAPS=1 also records where the peak's resident memory was (MiB): /proc/self/smaps summed by
 * kind (anonymous mappings by their size: V8 pages are 256 KiB, glibc thread arenas reserve
 * 64 MiB; the node binary; [heap], the main malloc heap) and the main thread's V8 spaces.
 * `globalThis.__mark?.('label')`, added by hand to dist/ while investigating, records the same
 * breakdown as a `#` row at that point.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import v8 from 'node:v8';
import { isMainThread } from 'node:worker_threads';

const MiB = 1 << 20;

/** Resident MiB of /proc/self/smaps by kind of mapping. */
function residentByKind() {
  const kinds = {};
  let kind = '';
  for (const line of readFileSync('/proc/self/smaps', 'utf8').split('\n')) {
    const mapping = /^([0-9a-f]+)-([0-9a-f]+) \S+ \S+ \S+ \S+\s*(.*)$/.exec(line);
    if (mapping) {
      const size = (parseInt(mapping[2], 16) - parseInt(mapping[1], 16)) / MiB;
      const name = mapping[3];
      kind = !name ? (size <= 0.25 ? 'anon<=256K' : size <= 1 ? 'anon<=1M' : size <= 16 ? 'anon<=16M' : 'anon>16M') : name.startsWith('/') ? (name.includes('node') ? 'node' : 'files') : name;
      continue;
    }
    const rss = /^Rss:\s+(\d+) kB/.exec(line);
    if (rss) kinds[kind] = (kinds[kind] ?? 0) + Number(rss[1]);
  }
  return Object.entries(kinds).filter(([, kb]) => kb >= 1024).map(([name, kb]) => `${name}=${kb >> 10}`).join(' ');
}

const v8Spaces = () =>
  v8.getHeapSpaceStatistics().filter((s) => s.physical_space_size >= MiB).map((s) => `${s.space_name}=${(s.physical_space_size / MiB).toFixed(0)}`).join(' ');

if (isMainThread) {
  const started = Date.now();
  const rows = [];
  let peak = 0;
  let peakWhere = '';
  const sample = () => {
    const m = process.memoryUsage();
    if (m.rss > peak && process.env.RSS_SMAPS) peakWhere = ` at ${Date.now() - started} ms: ${residentByKind()} | ${v8Spaces()}`;
    peak = Math.max(peak, m.rss);
    rows.push([Date.now() - started, m.rss, m.heapTotal, m.heapUsed, m.external, m.arrayBuffers].map((v, i) => (i === 0 ? v : v >> 20)).join('\t'));
  };
  setInterval(sample, 100).unref();
  globalThis.__mark = (label) => {
    sample();
    rows.push(`# ${Date.now() - started} ${label}: ${residentByKind()} | ${v8Spaces()}`);
  };
  process.on('exit', () => {
    sample();
    const text = `ms\trss\theapTotal\theapUsed\texternal\tarrayBuffers\n${rows.join('\n')}\npeak rss ${peak >> 20} MiB${peakWhere}\n`;
    if (process.env.RSS_TIMELINE) writeFileSync(process.env.RSS_TIMELINE, text);
    else process.stderr.write(text);
  });
}

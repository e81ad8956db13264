/**
 * A preload that samples the main thread's process.memoryUsage() every 100 ms and, at exit,
 * writes the timeline (ms, rss, heapTotal, heapUsed, external, arrayBuffers, in MiB) and the
 * peak RSS to $RSS_TIMELINE (default: stderr). RSS is the whole process (worker threads
 * included); heap and arrayBuffers are the main thread's own. Used for docs/benchmarks.md, Memory:
 *
 *   RSS_TIMELINE=/tmp/rss.tsv node --import ./bench/rss-timeline.mjs bin/imgslim.js analyze IMAGE --format json --quiet >/dev/null
 */
import { writeFileSync } from 'node:fs';
import { isMainThread } from 'node:worker_threads';

if (isMainThread) {
  const started = Date.now();
  const rows = [];
  let peak = 0;
  const sample = () => {
    const m = process.memoryUsage();
    peak = Math.max(peak, m.rss);
    rows.push([Date.now() - started, m.rss, m.heapTotal, m.heapUsed, m.external, m.arrayBuffers].map((v, i) => (i === 0 ? v : v >> 20)).join('\t'));
  };
  setInterval(sample, 100).unref();
  process.on('exit', () => {
    sample();
    const text = `ms\trss\theapTotal\theapUsed\texternal\tarrayBuffers\n${rows.join('\n')}\npeak rss ${peak >> 20} MiB\n`;
    if (process.env.RSS_TIMELINE) writeFileSync(process.env.RSS_TIMELINE, text);
    else process.stderr.write(text);
  });
}

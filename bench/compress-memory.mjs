#!/usr/bin/env node
/**
 * `node bench/compress-memory.mjs TAR [DIST]`: gzips TAR (e.g. slim's uncompressed output layer)
 * with compressStream as slim does, through one reused 1 MiB read buffer, and prints the time, the
 * most the main thread's ArrayBuffers held, and at the end the resident size of the main malloc
 * heap (`[heap]` in /proc/self/smaps), where freed-but-kept buffers show. DIST (default this
 * repository's dist/) compares another build. docs/benchmarks.md cites it.
 */
import { readFileSync } from 'node:fs';
import { open } from 'node:fs/promises';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

const [tar, dist = new URL('../dist', import.meta.url).pathname] = process.argv.slice(2);
if (!tar) {
  process.stderr.write('usage: node bench/compress-memory.mjs TAR [DIST]\n');
  process.exit(2);
}
const { compressStream } = await import(pathToFileURL(path.join(path.resolve(dist), 'archive', 'index.js')).href);
const input = await open(tar, 'r');
async function* read() {
  const buffer = new Uint8Array(1 << 20);
  for (;;) {
    const { bytesRead } = await input.read(buffer, 0, buffer.length, null);
    if (bytesRead === 0) return;
    yield buffer.subarray(0, bytesRead);
  }
}
const started = performance.now();
let stored = 0;
let mostArrayBuffers = 0;
for await (const chunk of compressStream(read(), 'gzip')) {
  stored += chunk.length;
  mostArrayBuffers = Math.max(mostArrayBuffers, process.memoryUsage().arrayBuffers);
}
const seconds = (performance.now() - started) / 1000;
await input.close();
let heapKb = 0;
let inHeap = false;
for (const line of readFileSync('/proc/self/smaps', 'utf8').split('\n')) {
  if (/^[0-9a-f]+-[0-9a-f]+ /.test(line)) inHeap = line.endsWith('[heap]');
  else if (inHeap && line.startsWith('Rss:')) heapKb += Number(line.split(/\s+/)[1]);
}
const MB = (bytes) => (bytes / 1048576).toFixed(0);
process.stdout.write(`${stored} bytes in ${seconds.toFixed(2)} s; ArrayBuffers at most ${MB(mostArrayBuffers)} MiB; [heap] ${MB(heapKb * 1024)} MiB\n`);

#!/usr/bin/env node
/**
 * `node bench/string-table.mjs [FILE]`: what one string lookup costs in dist/'s StringTable (a
 * Buffer view of the table, sliced per string) against `cStringAt` on the table's Uint8Array (a
 * Buffer view made per string: StringTable's way before 2026-12-07, fifth session). Looks up every
 * string start in the first 4 MiB of FILE (default: the biggest library of /usr/lib), up to
 * 200,000, 5 rounds each; prints each round's milliseconds. Needs `npm run build`.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { bufferByteSource } from '../dist/elf/byte-source.js';
import { cStringAt, StringTable } from '../dist/elf/strings.js';

const file =
  process.argv[2] ??
  execFileSync('sh', ['-c', 'ls -S /usr/lib/x86_64-linux-gnu/*.so* /usr/lib/*/*.so* 2>/dev/null | head -1'], { encoding: 'utf8' }).trim();
const bytes = new Uint8Array(readFileSync(file).subarray(0, 8 << 20));
const starts = [];
for (let i = 1; i < Math.min(bytes.length, 4 << 20) && starts.length < 200_000; i++) if (bytes[i - 1] === 0 && bytes[i] !== 0) starts.push(i);
const source = bufferByteSource(bytes);

const ways = {
  'StringTable.get': () => {
    const table = new StringTable(source, 0, bytes.length);
    let chars = 0;
    for (const start of starts) chars += table.get(start)?.length ?? 0;
    return chars;
  },
  'cStringAt per lookup': () => {
    let chars = 0;
    for (const start of starts) chars += cStringAt(bytes, start)?.length ?? 0;
    return chars;
  },
};
process.stdout.write(`${file}: ${starts.length} lookups\n`);
for (let round = 1; round <= 5; round++) {
  const line = Object.entries(ways).map(([name, run]) => {
    const start = performance.now();
    const chars = run();
    return `${name} ${(performance.now() - start).toFixed(1)} ms (${chars} chars)`;
  });
  process.stdout.write(`round ${round}: ${line.join(', ')}\n`);
}

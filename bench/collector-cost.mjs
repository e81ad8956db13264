#!/usr/bin/env node
/**
 * `node bench/collector-cost.mjs [--no-strings] [--dist DIR] FILES...`: CPU and wall time of the
 * streaming ELF collector (dist/, or another build's DIR, e.g. a worktree's) over FILES, fed in 256 KiB chunks as a layer scan feeds it, 3 rounds
 * (the first also pays for the file pages). `--no-strings` turns off the compiled-string
 * extraction, as analyze does. E.g. every library of this machine above 4 MiB:
 *   node bench/collector-cost.mjs $(find /usr/lib/x86_64-linux-gnu /usr/bin -maxdepth 1 -type f -size +4M)
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

const args = process.argv.slice(2);
const compiledStrings = !args.includes('--no-strings');
const distAt = args.indexOf('--dist');
const dist = distAt >= 0 ? path.resolve(args.splice(distAt, 2)[1]) : new URL('../dist', import.meta.url).pathname;
const { createElfCollector } = await import(pathToFileURL(path.join(dist, 'elf', 'index.js')).href);
const files = args.filter((arg) => arg !== '--no-strings').map((file) => readFileSync(file));
for (let round = 1; round <= 3; round++) {
  const wall = performance.now();
  const cpu = process.cpuUsage();
  for (const bytes of files) {
    const collector = createElfCollector(bytes.length, { compiledStrings });
    for (let at = 0; at < bytes.length; at += 256 << 10) collector.push(bytes.subarray(at, at + (256 << 10)));
    collector.finish();
  }
  const used = process.cpuUsage(cpu);
  process.stdout.write(`round ${round}: ${((performance.now() - wall) / 1000).toFixed(2)} s wall, ${((used.user + used.system) / 1e6).toFixed(2)} s CPU\n`);
}

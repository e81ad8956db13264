#!/usr/bin/env node
/**
 * `node bench/floor.mjs [ROUNDS]`: what analyze's CPU target (≤ 1.25 × H, issue 13) leaves for
 * the work that is not inflating and hashing. Interleaved rounds (default 5) of four processes,
 * each timed by bench/measure.mjs, on the bench image:
 *   H         baseline H, as `npm run bench` times it (bench/baseline.mjs hash --via sync):
 *             Node's zlib and sha256 of the compressed and the uncompressed bytes
 *   verified  the same verified read through ISA-L, as analyze's workers read a layer (1 MiB
 *             reads into one buffer, 256 KiB of output at a time, dist/'s inflater), one layer
 *             after another on one thread: the bytes analyze cannot skip, at the speed it has
 *   start     `imgslim analyze` of the smallest sample with IMGSLIM_WORKERS=2 (a sample that small
 *             scans on the main thread by default): Node, the bundle, two layer workers, a
 *             Report — the fixed cost of an analysis in workers
 *   analyze   `imgslim analyze IMAGE --format json --quiet`
 * Prints the medians and the split of analyze's CPU time: verified + start + the rest (tar, ELF,
 * the Report), against what 1.25 × H leaves the rest. Needs `npm run build` and the ISA-L addon.
 * docs/benchmarks.md (ninth session) cites it.
 */
import { createHash } from 'node:crypto';
import { closeSync, openSync, readdirSync, readSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensureBenchImage } from './make-image.mjs';
import { measureOnce } from './measure.mjs';
import { median } from './table.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.join(here, '..');
const args = process.argv.slice(2);

if (args[0] === '--verified') {
  await verifiedRead(args.slice(1));
  process.exit(0);
}

/** ISA-L inflate plus sha256 of both sides of every file, the way a layer worker reads it. */
async function verifiedRead(files) {
  const { ReusedSpace } = await import('../dist/archive/inflate.js');
  const { IsalGzipInflater, isalAddon } = await import('../dist/archive/isal-inflater.js');
  const addon = isalAddon();
  if (!addon) throw new Error('the ISA-L addon is not built: node native/build-addon.mjs');
  const buffer = new Uint8Array(1 << 20);
  const space = new ReusedSpace();
  for (const file of files) {
    const stored = createHash('sha256');
    const plain = createHash('sha256');
    const sink = (chunk) => plain.update(chunk);
    const inflater = new IsalGzipInflater(addon, file, space);
    const fd = openSync(file, 'r');
    for (let n; (n = readSync(fd, buffer, 0, buffer.length, null)) > 0; ) {
      const chunk = buffer.subarray(0, n);
      stored.update(chunk);
      inflater.push(chunk, sink);
    }
    closeSync(fd);
    inflater.finish(sink);
    stored.digest();
    plain.digest();
  }
}

const rounds = Number(args[0] ?? 5);
const { image } = await ensureBenchImage({ log: (line) => process.stderr.write(`${line}\n`) });
const blobs = path.join(path.dirname(image), 'blobs');
const layers = readdirSync(blobs)
  .filter((name) => name.endsWith('.tar.gz'))
  .sort()
  .map((name) => path.join(blobs, name));
const cli = path.join(root, 'bin', 'imgslim.js');
const steps = {
  H: ['node', path.join(here, 'baseline.mjs'), 'hash', '--via', 'sync', ...layers],
  verified: ['node', fileURLToPath(import.meta.url), '--verified', ...layers],
  start: ['node', cli, 'analyze', path.join(root, 'samples', 'musl-dynamic.tar'), '--format', 'json', '--quiet'],
  analyze: ['node', cli, 'analyze', image, '--format', 'json', '--quiet'],
};
const env = { start: { IMGSLIM_WORKERS: '2' } };
const runs = Object.fromEntries(Object.keys(steps).map((name) => [name, []]));
for (let round = 1; round <= rounds; round++) {
  for (const [name, command] of Object.entries(steps)) {
    const run = measureOnce(command, { cwd: root, env: env[name] });
    if (!run.ok) throw new Error(`${name}: exit ${run.code}: ${run.stderr}`);
    runs[name].push(run);
  }
  process.stderr.write(`round ${round} of ${rounds}\n`);
}

const cpu = Object.fromEntries(Object.entries(runs).map(([name, list]) => [name, median(list.map((run) => run.cpuSeconds))]));
const wall = Object.fromEntries(Object.entries(runs).map(([name, list]) => [name, median(list.map((run) => run.wallSeconds))]));
const s = (seconds) => `${seconds.toFixed(2)} s`;
const out = [
  `Medians of ${rounds} interleaved rounds, ${layers.length} gzip layers:`,
  '',
  '| step | wall | CPU |',
  '|---|---:|---:|',
  ...Object.keys(steps).map((name) => `| ${name} | ${s(wall[name])} | ${s(cpu[name])} |`),
  '',
  `analyze's CPU target, 1.25 × H: ${s(1.25 * cpu.H)} (analyze: ${s(cpu.analyze)}, ${(cpu.analyze / cpu.H).toFixed(2)}× H)`,
  `- verified read (ISA-L + sha256): ${s(cpu.verified)}; start: ${s(cpu.start)}`,
  `- left by the target for the rest (tar, ELF, Report): ${s(1.25 * cpu.H - cpu.verified - cpu.start)}`,
  `- what analyze spends on the rest: ${s(cpu.analyze - cpu.verified - cpu.start)}`,
  `analyze's wall target, 0.75 × H: ${s(0.75 * wall.H)}; two cores busy from start to end would need ${s((cpu.analyze - cpu.start) / 2 + wall.start)}`,
];
process.stdout.write(`${out.join('\n')}\n`);

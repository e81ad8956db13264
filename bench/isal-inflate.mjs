#!/usr/bin/env node
/**
 * `node bench/isal-inflate.mjs [ROUNDS] [--hash]`: the bench image's gzip layers inflated, in
 * 1 MiB pieces into one reused 256 KiB buffer on one thread, by imgslim's two gzip inflaters
 * (dist/): node:zlib's handle and ISA-L's igzip (native/isal-inflate.c). `--hash` adds sha256
 * of both sides, as a verified read does. Interleaved rounds (default 3); prints each round and
 * the medians, and checks that both produced the same bytes. Needs `npm run build` and the addon
 * (`node native/build-addon.mjs`). Used for docs/decisions/archive.md (ISA-L).
 */
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { ReusedSpace, ZlibGzipInflater } from '../dist/archive/inflate.js';
import { IsalGzipInflater, isalAddon } from '../dist/archive/isal-inflater.js';
import { ensureBenchImage } from './make-image.mjs';
import { median } from './table.mjs';

const args = process.argv.slice(2);
const hash = args.includes('--hash');
const rounds = Number(args.find((arg) => /^\d+$/.test(arg)) ?? 3);
const addon = isalAddon();
if (!addon) {
  process.stderr.write('the ISA-L addon is not built: node native/build-addon.mjs\n');
  process.exit(2);
}

const STEP = 1 << 20;
const { image } = await ensureBenchImage({ log: () => {} });
const blobs = path.join(path.dirname(image), 'blobs');
const layers = readdirSync(blobs)
  .filter((name) => name.endsWith('.tar.gz'))
  .map((name) => readFileSync(path.join(blobs, name)));

const inflaters = {
  'node:zlib': (label, space) => new ZlibGzipInflater(label, space),
  'isa-l': (label, space) => new IsalGzipInflater(addon, label, space),
};

/** Inflates every layer; the total output and its sha256 (whether or not --hash is timed). */
function run(create) {
  const total = createHash('sha256');
  let bytes = 0;
  for (const layer of layers) {
    const stored = hash ? createHash('sha256') : null;
    const plain = hash ? createHash('sha256') : null;
    const sink = (chunk) => {
      bytes += chunk.length;
      plain?.update(chunk);
    };
    const inflater = create('layer', new ReusedSpace());
    for (let at = 0; at < layer.length; at += STEP) {
      const piece = layer.subarray(at, at + STEP);
      stored?.update(piece);
      inflater.push(piece, sink);
    }
    inflater.finish(sink);
    if (hash) total.update(`${stored.digest('hex')} ${plain.digest('hex')}\n`);
  }
  return `${bytes} ${hash ? total.digest('hex') : ''}`;
}

const times = Object.fromEntries(Object.keys(inflaters).map((name) => [name, { wall: [], cpu: [] }]));
const results = new Set();
for (let round = 1; round <= rounds; round++) {
  for (const [name, create] of Object.entries(inflaters)) {
    const start = process.hrtime.bigint();
    const cpu = process.cpuUsage();
    results.add(run(create));
    const used = process.cpuUsage(cpu);
    times[name].wall.push(Number(process.hrtime.bigint() - start) / 1e9);
    times[name].cpu.push((used.user + used.system) / 1e6);
    process.stdout.write(`round ${round} ${name}: ${times[name].wall.at(-1).toFixed(2)} s\n`);
  }
}
const mb = layers.reduce((sum, layer) => sum + layer.length, 0) / 1e6;
process.stdout.write(`${layers.length} layers, ${mb.toFixed(0)} MB stored${hash ? ', with sha256 of both sides' : ''}; medians of ${rounds} rounds:\n`);
for (const [name, { wall, cpu }] of Object.entries(times)) {
  process.stdout.write(`  ${name.padEnd(10)} wall ${median(wall).toFixed(2)} s  CPU ${median(cpu).toFixed(2)} s\n`);
}
process.stdout.write(`  node:zlib / isa-l: ${(median(times['node:zlib'].wall) / median(times['isa-l'].wall)).toFixed(2)}×\n`);
if (results.size !== 1) {
  process.stderr.write(`the inflaters disagree: ${[...results].join(' | ')}\n`);
  process.exit(1);
}

#!/usr/bin/env node
/**
 * `node bench/npm-inflaters.mjs DIR [ROUNDS]`: streaming gunzip of the bench image's gzip layers,
 * fed in 1 MiB pieces, by the inflater imgslim uses (node:zlib's handle, dist/) and by the
 * streaming inflaters on npm, loaded from DIR/node_modules (they are not project dependencies):
 *
 *   npm install --prefix /tmp/inflaters fflate@0.8.3 pako@3.0.3
 *   node bench/npm-inflaters.mjs /tmp/inflaters 3
 *
 * Prints each one's median wall and CPU time over the rounds (interleaved) and checks that every
 * inflater produced the same byte count. Used for docs/decisions/archive.md (npm inflaters).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { createInflater, ReusedSpace } from '../dist/archive/inflate.js';
import { ensureBenchImage } from './make-image.mjs';
import { median } from './table.mjs';

const [dir, rounds = '3'] = process.argv.slice(2);
if (!dir) {
  process.stderr.write('usage: node bench/npm-inflaters.mjs DIR [ROUNDS]\n');
  process.exit(2);
}
const load = createRequire(path.resolve(dir, 'node_modules', 'index.js'));
const fflate = load('fflate');
const pako = load('pako');
const version = (name) => load(`${name}/package.json`).version;

const STEP = 1 << 20;
const { image } = await ensureBenchImage({ log: () => {} });
const blobs = path.join(path.dirname(image), 'blobs');
const layers = readdirSync(blobs).filter((name) => name.endsWith('.tar.gz')).map((name) => readFileSync(path.join(blobs, name)));

/** Feeds `data` in STEP pieces to `push(piece, last)`. */
function feed(data, push) {
  for (let at = 0; at < data.length; at += STEP) push(data.subarray(at, at + STEP), at + STEP >= data.length);
}

const inflaters = {
  'node:zlib (imgslim)': (data) => {
    let bytes = 0;
    const count = (chunk) => (bytes += chunk.length);
    const inflater = createInflater('gzip', 'layer', new ReusedSpace());
    feed(data, (piece) => inflater.push(piece, count));
    inflater.finish(count);
    return bytes;
  },
  [`fflate ${version('fflate')}`]: (data) => {
    let bytes = 0;
    const gunzip = new fflate.Gunzip((chunk) => (bytes += chunk.length));
    feed(data, (piece, last) => gunzip.push(piece, last));
    return bytes;
  },
  [`pako ${version('pako')}`]: (data) => {
    let bytes = 0;
    const inflate = new pako.Inflate();
    inflate.onData = (chunk) => (bytes += chunk.length);
    feed(data, (piece, last) => inflate.push(piece, last));
    return bytes;
  },
};

const runs = Object.fromEntries(Object.keys(inflaters).map((name) => [name, []]));
const totals = new Map();
for (let round = 0; round < Number(rounds); round++) {
  for (const [name, inflate] of Object.entries(inflaters)) {
    const cpu = process.cpuUsage();
    const start = performance.now();
    let bytes = 0;
    for (const layer of layers) bytes += inflate(layer);
    const used = process.cpuUsage(cpu);
    runs[name].push({ wall: (performance.now() - start) / 1000, cpu: (used.user + used.system) / 1e6 });
    totals.set(name, bytes);
  }
}
if (new Set(totals.values()).size !== 1) throw new Error(`byte counts differ: ${JSON.stringify([...totals])}`);
const base = median(runs['node:zlib (imgslim)'].map((run) => run.wall));
const compressed = layers.reduce((sum, layer) => sum + layer.length, 0);
process.stdout.write(`${layers.length} gzip layers, ${(compressed / 1e6).toFixed(0)} MB -> ${([...totals.values()][0] / 1e6).toFixed(0)} MB, ${rounds} rounds\n`);
for (const [name, list] of Object.entries(runs)) {
  const wall = median(list.map((run) => run.wall));
  process.stdout.write(`${name.padEnd(20)} wall ${wall.toFixed(2)} s  CPU ${median(list.map((run) => run.cpu)).toFixed(2)} s  ${(wall / base).toFixed(2)}x node:zlib\n`);
}

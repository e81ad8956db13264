#!/usr/bin/env node
/**
 * `node bench/scan-transfer.mjs [IMAGE] [--plan-facts]`: what the layer scans' results cost to
 * send from the workers to the main thread. Scans IMAGE (default: the bench image) as analyze
 * does (planFacts off; `--plan-facts` as slim does), then prints the bytes V8's serializer (the
 * structured clone of postMessage) writes for each field of the results, largest first, and the
 * time to serialize and deserialize them all (median of 3). Needs `npm run build`.
 * docs/benchmarks.md cites it.
 */
import { deserialize, serialize } from 'node:v8';
import { scanLayers } from '../dist/analysis/scan-layers.js';
import { silentProgress } from '../dist/shared/progress.js';
import { openImage } from '../dist/sources/index.js';
import { ensureBenchImage } from './make-image.mjs';
import { median } from './table.mjs';

// A reader that stops early (`| head`) is not an error.
process.stdout.on('error', (error) => {
  if (error.code === 'EPIPE') process.exit(0);
  throw error;
});

const args = process.argv.slice(2);
const planFacts = args.includes('--plan-facts');
const imagePath = args.find((arg) => !arg.startsWith('--')) ?? (await ensureBenchImage({ log: () => {} })).image;
const image = await openImage(imagePath, {});
const scans = await scanLayers(image.layers, { progress: silentProgress, layerCount: image.layers.length, digests: 'none', planFacts });
await image.close();

const sizes = new Map();
const add = (field, value) => {
  if (value !== undefined) sizes.set(field, (sizes.get(field) ?? 0) + serialize(value).length);
};
let entries = 0;
let elfFiles = 0;
for (const scan of scans) {
  for (const [key, value] of Object.entries(scan)) if (key !== 'entries') add(`scan.${key}`, value);
  for (const entry of scan.entries) {
    entries++;
    for (const [key, value] of Object.entries(entry)) if (key !== 'payload') add(`entry.${key}`, value);
    for (const [key, value] of Object.entries(entry.payload ?? {})) if (key !== 'elf') add(`payload.${key}`, value);
    if (entry.payload?.elf) elfFiles++;
    for (const [key, value] of Object.entries(entry.payload?.elf ?? {})) add(`elf.${key}`, value);
  }
}

const timings = { serialize: [], deserialize: [] };
let total = 0;
for (let round = 0; round < 3; round++) {
  let started = performance.now();
  const messages = scans.map((scan) => serialize(scan));
  timings.serialize.push(performance.now() - started);
  total = messages.reduce((sum, bytes) => sum + bytes.length, 0);
  started = performance.now();
  for (const bytes of messages) deserialize(bytes);
  timings.deserialize.push(performance.now() - started);
}
process.stdout.write(`${scans.length} layers, ${entries} entries, ${elfFiles} ELF files, planFacts ${planFacts ? 'on' : 'off'}\n`);
process.stdout.write(`all results: ${(total / 1e6).toFixed(2)} MB, serialize ${median(timings.serialize).toFixed(0)} ms, deserialize ${median(timings.deserialize).toFixed(0)} ms\n`);
for (const [field, bytes] of [...sizes].sort((a, b) => b[1] - a[1]).slice(0, 15)) {
  process.stdout.write(`${(bytes / 1e6).toFixed(2).padStart(7)} MB ${((100 * bytes) / total).toFixed(1).padStart(5)} %  ${field}\n`);
}

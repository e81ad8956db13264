#!/usr/bin/env node
/**
 * `node --expose-gc bench/results-heap.mjs [IMAGE] [--plan-facts]`: how much of the main
 * thread's heap the layer scans' results hold once they have arrived (as analyze scans; with
 * `--plan-facts` as slim does), after a full collection, and how much of that each ELF field
 * holds (measured by dropping the fields one after another). Needs `npm run build`.
 * docs/benchmarks.md (eighth session) cites it.
 */
import { scanLayers } from '../dist/analysis/scan-layers.js';
import { silentProgress } from '../dist/shared/progress.js';
import { openImage } from '../dist/sources/index.js';
import { ensureBenchImage } from './make-image.mjs';

// A reader that stops early (`| head`) is not an error.
process.stdout.on('error', (error) => {
  if (error.code === 'EPIPE') process.exit(0);
  throw error;
});

const gc = globalThis.gc;
if (typeof gc !== 'function') {
  process.stderr.write('usage: node --expose-gc bench/results-heap.mjs [IMAGE] [--plan-facts]\n');
  process.exit(2);
}
const args = process.argv.slice(2);
const planFacts = args.includes('--plan-facts');
const imagePath = args.find((arg) => !arg.startsWith('--')) ?? (await ensureBenchImage({ log: () => {} })).image;
const MB = 1 << 20;
const used = () => {
  gc();
  return process.memoryUsage().heapUsed;
};

const image = await openImage(imagePath, {});
const before = used();
const scans = await scanLayers(image.layers, { progress: silentProgress, layerCount: image.layers.length, digests: 'none', planFacts });
await image.close();
const held = used() - before;
const elfs = scans.flatMap((scan) => scan.entries.flatMap((entry) => (entry.payload?.elf ? [entry.payload.elf] : [])));
process.stdout.write(`results: ${(held / MB).toFixed(1)} MiB for ${scans.reduce((n, scan) => n + scan.entries.length, 0)} entries, ${elfs.length} ELF files\n`);

/** Fields dropped in this order; `a.b` drops b inside a. Set to null rather than deleted, so the objects keep their shape. */
const FIELDS = ['segments', 'dynamic.verneed', 'dynamic.verdef', 'dynamic.needed', 'dynamic', 'imports', 'comment', 'diagnostics', 'buildId', 'go'];
let last = used();
for (const field of FIELDS) {
  const [outer, inner] = field.split('.');
  for (const elf of elfs) {
    if (inner === undefined) elf[outer] = null;
    else if (elf[outer]) elf[outer][inner] = null;
  }
  const now = used();
  process.stdout.write(`${((last - now) / MB).toFixed(2).padStart(6)} MiB  elf.${field}\n`);
  last = now;
}
elfs.length = 0;
for (const scan of scans) for (const entry of scan.entries) if (entry.payload) entry.payload.elf = undefined;
let now = used();
process.stdout.write(`${((last - now) / MB).toFixed(2).padStart(6)} MiB  the rest of the ELF facts\n`);
last = now;
for (const scan of scans) for (const entry of scan.entries) entry.payload = undefined;
now = used();
process.stdout.write(`${((last - now) / MB).toFixed(2).padStart(6)} MiB  other payloads (configuration files, shebangs)\n`);
process.stdout.write(`${((now - before) / MB).toFixed(2).padStart(6)} MiB  entries and the rest\n`);

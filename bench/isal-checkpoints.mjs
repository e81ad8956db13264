#!/usr/bin/env node
/**
 * `node bench/isal-checkpoints.mjs [ROUNDS]`: the bench image's gzip layers inflated in 1 MiB
 * pushes on one thread, recording gzip checkpoints every 8 MiB of tar (as slim's scan does), by
 * node:zlib's inflater (Z_BLOCK stops) and by ISA-L's (fed a little at a time while a boundary is
 * wanted): time per round, checkpoints found, and how many stand at the same stored byte and
 * output offset in both. `--fixed` instead re-compresses the layers' tar with fixed Huffman
 * codes only (zlib's Z_FIXED), whose 3-bit block headers ISA-L's search passes by: the worst
 * case of real data for it, beside ISA-L without a recorder. Interleaved rounds (default 3).
 * Needs `npm run build` and the addon.
 * Used for docs/decisions/archive.md (checkpoints) and docs/benchmarks.md (sixth session).
 */
import { readFileSync } from 'node:fs';
import { constants, gunzipSync, gzipSync } from 'node:zlib';
import { CheckpointRecorder } from '../dist/archive/gzip-checkpoints.js';
import { ReusedSpace, ZlibGzipInflater } from '../dist/archive/inflate.js';
import { IsalGzipInflater, isalAddon } from '../dist/archive/isal-inflater.js';
import { CHECKPOINT_EVERY } from '../dist/analysis/layer-scanner.js';
import { ensureBenchImage } from './make-image.mjs';
import { median } from './table.mjs';

const args = process.argv.slice(2);
const rounds = Number(args.find((arg) => /^\d+$/.test(arg)) ?? 3);
const fixed = args.includes('--fixed');
const addon = isalAddon();
if (!addon?.boundaries) {
  process.stderr.write('the ISA-L addon is not built from the current sources (node native/build-addon.mjs)\n');
  process.exit(2);
}
const meta = await ensureBenchImage({ log: () => {} });
const stored = meta.layers.map((layer) => readFileSync(layer.blob));
const blobs = fixed ? stored.map((blob) => gzipSync(gunzipSync(blob), { strategy: constants.Z_FIXED, level: 1 })) : stored;

const inflaters = {
  'node:zlib': (recorder) => new ZlibGzipInflater('layer', new ReusedSpace(), recorder),
  'ISA-L': (recorder) => new IsalGzipInflater(addon, 'layer', new ReusedSpace(), recorder),
  ...(fixed ? { 'ISA-L, no checkpoints': () => new IsalGzipInflater(addon, 'layer', new ReusedSpace()) } : {}),
};

/** Every layer through one inflater: seconds, and the checkpoints as `input/output` per layer. */
function recordAll(make) {
  const started = process.hrtime.bigint();
  const found = [];
  for (const blob of blobs) {
    const recorder = new CheckpointRecorder(CHECKPOINT_EVERY);
    const inflater = make(recorder);
    for (let at = 0; at < blob.length; at += 1 << 20) inflater.push(blob.subarray(at, at + (1 << 20)), () => {});
    inflater.finish(() => {});
    found.push(recorder.finish().map((checkpoint) => `${checkpoint.input}/${checkpoint.output}`));
  }
  return { seconds: Number(process.hrtime.bigint() - started) / 1e9, found };
}

const times = Object.fromEntries(Object.keys(inflaters).map((name) => [name, []]));
let last = {};
for (let round = 0; round < rounds; round++) {
  for (const [name, make] of Object.entries(inflaters)) {
    const result = recordAll(make);
    times[name].push(result.seconds);
    last[name] = result.found;
  }
  process.stdout.write(`round ${round + 1}: ${Object.entries(times).map(([name, list]) => `${name} ${list.at(-1).toFixed(2)} s`).join(', ')}\n`);
}
const count = (name) => last[name].reduce((sum, layer) => sum + layer.length, 0);
const same = last['node:zlib'].reduce((sum, layer, i) => sum + layer.filter((at) => last['ISA-L'][i].includes(at)).length, 0);
process.stdout.write(
  `${blobs.length} layers, median ${Object.entries(times).map(([name, list]) => `${name} ${median(list).toFixed(2)} s`).join(', ')}; ` +
    `checkpoints: node:zlib ${count('node:zlib')}, ISA-L ${count('ISA-L')}, at the same place ${same}\n`,
);

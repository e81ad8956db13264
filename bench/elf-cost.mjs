#!/usr/bin/env node
/**
 * `node bench/elf-cost.mjs`: what parsing every ELF file adds to a layer scan of the bench image.
 * Times, in one run (best of 3 each), the scan of every layer (verify, decompress, hash, tar
 * parse, entries) without and with the content capture that streams ELF files into the parser.
 */
import { performance } from 'node:perf_hooks';
import { decompressStream, Digester, TarParser } from '../dist/archive/index.js';
import { scanLayer } from '../dist/analysis/scan-layer.js';
import { layerEntryFromTar } from '../dist/fs/index.js';
import { openImage } from '../dist/sources/index.js';
import { silentProgress } from '../dist/shared/progress.js';
import { ensureBenchImage } from './make-image.mjs';

const meta = await ensureBenchImage({ log: () => {} });
const image = await openImage(meta.image, {});

async function withoutElf() {
  for (const layer of image.layers) {
    const { stream } = await decompressStream(layer.open(), 'bench');
    const diff = new Digester();
    const entries = [];
    const parser = new TarParser({ entry: (header) => void entries.push(layerEntryFromTar(header, layer.index)) });
    for await (const chunk of stream) {
      diff.update(chunk);
      parser.write(chunk);
    }
    parser.end();
  }
}

async function withElf() {
  for (const layer of image.layers) await scanLayer(layer, { progress: silentProgress, layerCount: image.layers.length });
}

async function best(task) {
  let fastest = Infinity;
  for (let run = 0; run < 3; run++) {
    const start = performance.now();
    await task();
    fastest = Math.min(fastest, performance.now() - start);
  }
  return fastest / 1000;
}

const base = await best(withoutElf);
const full = await best(withElf);
await image.close();
console.log(`layers scanned one at a time, best of 3: without ELF capture ${base.toFixed(2)} s, with ${full.toFixed(2)} s: ELF parsing adds ${(((full - base) / base) * 100).toFixed(1)}%`);

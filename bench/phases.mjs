#!/usr/bin/env node
/**
 * `node bench/phases.mjs [IMAGE] [--workers N] [--as-cli]`: wall and CPU time (user+sys of the
 * whole process, every thread) of each phase of `analyze` on the bench image (or IMAGE): open,
 * layer scans, merge, binaries and closures, entrypoint + findings + report, JSON text. Uses
 * dist/. `--as-cli` first sets the V8 flag bin/imgslim.js sets (its interrupt budget), so that
 * the main thread's code is compiled as in `imgslim analyze` (mostly never optimised).
 */
import { performance } from 'node:perf_hooks';
import { setFlagsFromString } from 'node:v8';
import { openImage } from '../dist/sources/index.js';
import { scanLayers } from '../dist/analysis/scan-layers.js';
import { mergeLayers } from '../dist/fs/index.js';
import { ImageFs } from '../dist/analysis/image-fs.js';
import { summarizeConfig } from '../dist/analysis/config-summary.js';
import { analyzeBinaries } from '../dist/analysis/binaries.js';
import { inspectOpenImage } from '../dist/analysis/analyze.js';
import { writeJson } from '../dist/ui/json-chunks.js';
import { silentProgress } from '../dist/shared/progress.js';
import { ensureBenchImage } from './make-image.mjs';

const args = process.argv.slice(2);
// The same value as bin/imgslim.js's setFlagsFromString.
if (args.includes('--as-cli')) setFlagsFromString('--interrupt-budget=2162688');
const workersArg = args.includes('--workers') ? Number(args[args.indexOf('--workers') + 1]) : undefined;
const imagePath = args.find((arg, i) => !arg.startsWith('--') && args[i - 1] !== '--workers') ?? (await ensureBenchImage({ log: () => {} })).image;

const rows = [];
let last = { wall: performance.now(), cpu: process.cpuUsage() };
function mark(name) {
  const now = { wall: performance.now(), cpu: process.cpuUsage() };
  const cpu = (now.cpu.user - last.cpu.user + now.cpu.system - last.cpu.system) / 1e6;
  rows.push({ name, wall: (now.wall - last.wall) / 1000, cpu, rss: process.memoryUsage().rss / 1e6 });
  last = now;
}

const image = await openImage(imagePath, {});
mark('open');
const scans = await scanLayers(image.layers, { progress: silentProgress, layerCount: image.layers.length, workers: workersArg });
mark('scan layers');
const merged = mergeLayers(scans.map((scan) => ({ index: scan.index, entries: scan.entries })));
const fs = new ImageFs(merged);
mark('merge');
analyzeBinaries(fs, summarizeConfig(image.config));
mark('binaries (closures)');
const analysis = await inspectOpenImage(image, { workers: workersArg });
mark('whole analysis again (scan … report)');
let bytes = 0;
writeJson(analysis.report, (text) => (bytes += text.length));
mark(`JSON text (${(bytes / 1e6).toFixed(1)} MB)`);
await image.close();

process.stdout.write('| phase | wall s | CPU s | RSS after MB |\n|---|---:|---:|---:|\n');
for (const row of rows) process.stdout.write(`| ${row.name} | ${row.wall.toFixed(2)} | ${row.cpu.toFixed(2)} | ${row.rss.toFixed(0)} |\n`);

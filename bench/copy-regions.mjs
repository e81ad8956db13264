#!/usr/bin/env node
/**
 * `node bench/copy-regions.mjs IMAGE [MiB,MiB,...]`: how much of its gzip layers slim's second
 * read inflates, for gzip checkpoints every N MiB of tar (default 2,4,8,16): the image is
 * analysed and planned as `imgslim slim IMAGE` does, and for each spacing the regions
 * (src/slim/write-layer.ts copyRegions) are summed from their checkpoint to their last kept
 * entry's end. Beside them: the whole layers, and inflating each layer up to its last kept entry
 * (what slim did before checkpoints). Also the checkpoints' count, the memory their windows
 * take, and what deflating the windows (level 1, one reused zlib handle) would save and cost.
 * Needs `npm run build` (or `npm ci`) first. docs/decisions/archive.md cites it.
 */
import { constants, createDeflateRaw } from 'node:zlib';
import { inspectImage } from '../dist/analysis/index.js';
import { layoutLayer, planKeep } from '../dist/slim/index.js';
import { copyRegions } from '../dist/slim/write-layer.js';

const [image, spacings = '2,4,8,16'] = process.argv.slice(2);
if (!image) {
  process.stderr.write('usage: node bench/copy-regions.mjs IMAGE [MiB,MiB,...]\n');
  process.exit(2);
}
const MB = (bytes) => `${(bytes / 1e6).toFixed(1)} MB`;

/** Per scan with kept content: the kept entries' ordinals, ascending. */
function keptOrdinals(analysis) {
  const plan = planKeep(analysis, {});
  const layout = layoutLayer(analysis, plan, { mtimeLimit: Number.MAX_SAFE_INTEGER });
  const wanted = new Set(layout.contents.filter((content) => 'payload' in content.source).map((content) => content.source.payload));
  return analysis.scans
    .map((scan) => ({ scan, ordinals: scan.entries.flatMap((entry, ordinal) => (entry.payload !== undefined && wanted.has(entry.payload) ? [ordinal] : [])) }))
    .filter(({ ordinals }) => ordinals.length > 0);
}

/** Deflates each window at level 1 through one reused handle: total output bytes and CPU ms. */
function deflateAll(windows) {
  const stream = createDeflateRaw({ level: 1 });
  const handle = stream._handle;
  const out = new Uint8Array(64 << 10);
  const start = process.cpuUsage();
  let bytes = 0;
  for (const window of windows) {
    handle.writeSync(constants.Z_FINISH, window, 0, window.length, out, 0, out.length);
    bytes += out.length - stream._writeState[0];
    handle.reset();
  }
  const used = process.cpuUsage(start);
  stream.close();
  return { bytes, ms: (used.user + used.system) / 1000 };
}

const rows = [];
for (const mib of spacings.split(',').map(Number)) {
  const analysis = await inspectImage(image, { checkpointEvery: mib << 20 });
  try {
    let checkpoints = 0;
    let windows = 0;
    const all = [];
    for (const scan of analysis.scans) {
      for (const checkpoint of scan.resume?.checkpoints ?? []) {
        checkpoints++;
        windows += checkpoint.window.length;
        all.push(checkpoint.window);
      }
    }
    const deflated = deflateAll(all);
    let whole = 0;
    let toLastKept = 0;
    let regions = 0;
    let count = 0;
    for (const { scan, ordinals } of keptOrdinals(analysis)) {
      const end = (ordinal) => scan.resume?.entryOffsets[ordinal + 1] ?? scan.tarSize;
      whole += scan.tarSize;
      toLastKept += end(ordinals.at(-1));
      if (!scan.resume) {
        regions += end(ordinals.at(-1));
        continue;
      }
      for (const region of copyRegions(scan.resume, ordinals, scan.tarSize)) {
        regions += end(region.last) - region.checkpoint.output;
        count++;
      }
    }
    if (rows.length === 0) {
      rows.push(['whole layers holding kept content', MB(whole), '', '']);
      rows.push(['each up to its last kept entry', MB(toLastKept), '', '']);
    }
    rows.push([
      `regions, checkpoints every ${mib} MiB`,
      MB(regions),
      `${count} regions, ${checkpoints} checkpoints`,
      `${MB(windows)} of windows (${MB(deflated.bytes)} deflated, ${deflated.ms.toFixed(0)} ms CPU)`,
    ]);
  } finally {
    await analysis.image.close();
  }
}
process.stdout.write('| tar bytes inflated by slim\'s second read | bytes | | |\n|---|---:|---|---|\n');
for (const row of rows) process.stdout.write(`| ${row.join(' | ')} |\n`);

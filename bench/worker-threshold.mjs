#!/usr/bin/env node
/**
 * `node bench/worker-threshold.mjs [ROUNDS]`: where two layer workers start to pay. Builds OCI
 * layouts out of the bench image's own gzip layers (hard links into bench/.cache/worker-threshold/,
 * a config with their diff_ids), from 7 to 72 MB of stored bytes, and times `imgslim analyze`
 * of each with IMGSLIM_WORKERS=2 and =0 (the main thread) in interleaved rounds (default 6):
 * median wall and CPU time. docs/benchmarks.md (ninth session) cites it for
 * MIN_STORED_BYTES_FOR_WORKERS (src/analysis/scan-workers.ts). Needs `npm run build`.
 */
import { createHash } from 'node:crypto';
import { existsSync, linkSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensureOciImage } from './make-variants.mjs';
import { measureOnce } from './measure.mjs';
import { median } from './table.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const rounds = Number(process.argv[2] ?? 6);
const { image: oci } = await ensureOciImage();

const blobPath = (layout, digest) => path.join(layout, 'blobs', 'sha256', digest.split(':')[1]);
const index = JSON.parse(readFileSync(path.join(oci, 'index.json'), 'utf8'));
const manifest = JSON.parse(readFileSync(blobPath(oci, index.manifests[0].digest), 'utf8'));
const config = JSON.parse(readFileSync(blobPath(oci, manifest.config.digest), 'utf8'));

/** An OCI layout of the bench image's layers at `picks` (indexes; one may repeat). */
function layoutOf(name, picks) {
  const dir = path.join(here, '.cache', 'worker-threshold', name);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(path.join(dir, 'blobs', 'sha256'), { recursive: true });
  const put = (text) => {
    const hex = createHash('sha256').update(text).digest('hex');
    writeFileSync(path.join(dir, 'blobs', 'sha256', hex), text);
    return { digest: `sha256:${hex}`, size: Buffer.byteLength(text) };
  };
  const layers = picks.map((i) => manifest.layers[i]);
  for (const layer of layers) if (!existsSync(blobPath(dir, layer.digest))) linkSync(blobPath(oci, layer.digest), blobPath(dir, layer.digest));
  const { history: _history, ...rest } = config;
  const configBlob = put(JSON.stringify({ ...rest, rootfs: { type: 'layers', diff_ids: picks.map((i) => config.rootfs.diff_ids[i]) } }));
  const manifestBlob = put(JSON.stringify({ ...manifest, config: { ...manifest.config, ...configBlob }, layers }));
  writeFileSync(path.join(dir, 'index.json'), JSON.stringify({ schemaVersion: 2, manifests: [{ mediaType: manifest.mediaType, ...manifestBlob }] }));
  writeFileSync(path.join(dir, 'oci-layout'), '{"imageLayoutVersion":"1.0.0"}');
  return { dir, stored: layers.reduce((sum, layer) => sum + layer.size, 0), count: layers.length };
}

// The bench image's layers by stored size; the smallest real one (about 7 MB) repeated gives even splits.
const bySize = manifest.layers.map((layer, i) => ({ i, size: layer.size })).sort((a, b) => a.size - b.size);
const [tiny, small, medium, large] = [bySize[0].i, bySize[1].i, bySize[2].i, bySize[3].i];
const images = [
  layoutOf('one-small', [tiny, small]),
  layoutOf('small-twice', [small, small]),
  layoutOf('small-thrice', [small, small, small]),
  layoutOf('medium-small', [tiny, medium, small]),
  layoutOf('three', [tiny, medium, large]),
];

const cli = path.join(here, '..', 'bin', 'imgslim.js');
const rows = [];
for (const image of images) {
  const runs = { 2: [], 0: [] };
  for (let round = 0; round < rounds; round++) {
    for (const workers of ['2', '0']) {
      const run = measureOnce(['node', cli, 'analyze', image.dir, '--format', 'json', '--quiet'], { env: { IMGSLIM_WORKERS: workers } });
      if (!run.ok) throw new Error(`${image.dir}: exit ${run.code}: ${run.stderr}`);
      runs[workers].push(run);
    }
  }
  const cell = (list) => `${median(list.map((run) => run.wallSeconds)).toFixed(2)} s / ${median(list.map((run) => run.cpuSeconds)).toFixed(2)} s`;
  rows.push(`| ${image.count} layers, ${(image.stored / 1e6).toFixed(1)} MB | ${cell(runs[2])} | ${cell(runs[0])} |`);
  process.stderr.write(`${path.basename(image.dir)} done\n`);
}
process.stdout.write(`Medians of ${rounds} interleaved rounds, \`imgslim analyze LAYOUT --format json --quiet\`:\n\n`);
process.stdout.write('| image (layers, stored bytes) | IMGSLIM_WORKERS=2: wall / CPU | IMGSLIM_WORKERS=0: wall / CPU |\n|---|---:|---:|\n');
process.stdout.write(`${rows.join('\n')}\n`);

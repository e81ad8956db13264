#!/usr/bin/env node
/**
 * `node bench/sources-cost.mjs [--rounds N] [--gzip]`: what opening, reading and writing image
 * files costs (dist/sources), the figures of docs/decisions/sources.md "Measurements", on the
 * bench image (a docker-archive of 11 gzip layers, about 400 MB; bench/make-image.mjs builds it
 * on first use), best of N rounds (default 3):
 *   openImage (index, manifest.json, config, one sniff per layer), then close;
 *   every layer streamed through LayerBlob.open() (read, size and sha256 checked), and the
 *   process's max RSS after it;
 *   sha256 of the archive by node:crypto and by coreutils `sha256sum`, for scale;
 *   writeImage of the same 11 layer blobs as docker-archive, oci-archive and oci-layout, beside
 *   `cp` of the archive;
 *   with --gzip, `cat blobs/* | gzip -dc > /dev/null` once, for scale (about 10 s).
 * Outputs go to a temporary directory under /tmp, removed at the end. Needs `npm run build` first.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { createReadStream, mkdtempSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { openImage, writeImage } from '../dist/sources/index.js';
import { ensureBenchImage } from './make-image.mjs';

const args = process.argv.slice(2);
const roundsAt = args.indexOf('--rounds');
const rounds = roundsAt >= 0 ? Number(args[roundsAt + 1]) : 3;
if (!Number.isInteger(rounds) || rounds < 1) throw new Error('usage: node bench/sources-cost.mjs [--rounds N] [--gzip]');

const meta = await ensureBenchImage();
const size = statSync(meta.image).size;
const scratch = mkdtempSync(path.join(os.tmpdir(), 'imgslim-sources-cost-'));
const mb = (bytes) => `${(bytes / 1e6).toFixed(0)} MB`;
const seconds = (ms) => (ms < 1000 ? `${ms.toFixed(0)} ms` : `${(ms / 1000).toFixed(2)} s`);

async function best(name, task, note = () => '') {
  let fastest = Infinity;
  for (let round = 0; round < rounds; round++) {
    const start = performance.now();
    await task(round);
    fastest = Math.min(fastest, performance.now() - start);
  }
  process.stdout.write(`${name.padEnd(44)} ${seconds(fastest).padStart(8)}${note(fastest)}\n`);
}

try {
  process.stdout.write(`${meta.image}: ${mb(size)}, ${meta.layers.length} layers; best of ${rounds}; Node ${process.version}\n`);
  await best('openImage + close', async () => {
    const image = await openImage(meta.image);
    await image.close();
  });

  const image = await openImage(meta.image);
  let streamed = 0;
  await best(
    'every layer through open() (sha256 checked)',
    async () => {
      streamed = 0;
      for (const layer of image.layers) for await (const chunk of layer.open()) streamed += chunk.length;
    },
    (ms) => `  (${mb(streamed)}, ${((streamed / 1e6) / (ms / 1000)).toFixed(0)} MB/s; max RSS so far ${mb(process.resourceUsage().maxRSS * 1024)})`,
  );

  await best(
    'sha256 of the archive, node:crypto',
    async () => {
      const hash = createHash('sha256');
      for await (const chunk of createReadStream(meta.image, { highWaterMark: 1 << 20 })) hash.update(chunk);
      hash.digest();
    },
    (ms) => `  (${((size / 1e6) / (ms / 1000)).toFixed(0)} MB/s)`,
  );
  await best('sha256sum of the archive', () => void execFileSync('sha256sum', [meta.image]));

  const writable = {
    config: image.config,
    layers: image.layers.map((layer, index) => ({
      blobPath: meta.layers[index].blob,
      digest: layer.descriptor.digest,
      diffId: layer.diffId,
      size: layer.descriptor.size,
      mediaType: layer.descriptor.mediaType,
    })),
    tag: 'imgslim/bench:v1',
  };
  for (const [index, layer] of writable.layers.entries()) {
    if (`sha256:${path.basename(layer.blobPath).replace(/\.tar\.gz$/, '')}` !== layer.digest) throw new Error(`layer ${index}: ${layer.blobPath} is not blob ${layer.digest}`);
  }
  await image.close();
  for (const format of ['docker-archive', 'oci-archive', 'oci-layout']) {
    await best(`writeImage ${format}`, async (round) => {
      const target = path.join(scratch, `${format}-${round}${format === 'oci-layout' ? '' : '.tar'}`);
      await writeImage({ format, path: target }, writable);
      rmSync(target, { recursive: true, force: true });
    });
  }
  await best('cp of the archive', (round) => {
    const target = path.join(scratch, `cp-${round}.tar`);
    execFileSync('cp', [meta.image, target]);
    rmSync(target);
  });
  process.stdout.write(`max RSS of this process: ${mb(process.resourceUsage().maxRSS * 1024)}\n`);

  if (args.includes('--gzip')) {
    const blobs = meta.layers.map((layer) => layer.blob);
    const start = performance.now();
    // bash's `times`: the second line is the user and system time of its children.
    const run = spawnSync('bash', ['-o', 'pipefail', '-c', 'cat "$@" | gzip -dc > /dev/null; times', 'bash', ...blobs], { encoding: 'utf8' });
    if (run.status !== 0) throw new Error(`cat | gzip -dc failed: ${run.stderr}`);
    const wall = performance.now() - start;
    const user = /^(\d+)m([\d.]+)s/.exec(run.stdout.trim().split('\n')[1] ?? '');
    const cpu = user ? `, ${(Number(user[1]) * 60 + Number(user[2])).toFixed(1)} s user` : '';
    process.stdout.write(`${'cat blobs/* | gzip -dc > /dev/null (once)'.padEnd(44)} ${seconds(wall).padStart(8)}${cpu}\n`);
  }
} finally {
  rmSync(scratch, { recursive: true, force: true });
}

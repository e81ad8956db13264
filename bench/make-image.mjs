#!/usr/bin/env node
/**
 * Builds (or reuses) the benchmark image: a docker-archive (`docker save` layout: manifest.json,
 * the config JSON and one gzip blob per layer) of about a gigabyte of real files from this machine
 * (/usr/bin, /usr/lib/x86_64-linux-gnu, /usr/share/perl) in layers of at most 128 MiB, plus a
 * layer that deletes and rewrites files (wasted bytes). Entrypoint: /usr/bin/perl, a real
 * dynamic binary whose libraries are in the image. Independent of imgslim: GNU tar, gzip and
 * sha256sum do the work. Cached under bench/.cache/<IMAGE_VERSION>/.
 *
 * Usage: node bench/make-image.mjs [--force]     (prints a summary; the image path is in it)
 */
import { execFile } from 'node:child_process';
import { existsSync, linkSync, mkdirSync, readFileSync, rmSync, symlinkSync, writeFileSync, cpSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { BASE_ETC, BASE_SYMLINKS, CMD, ENTRYPOINT, SOURCE_ROOTS, bytesUnder, chunkLayers, walkRoots, wastePlan } from './image-plan.mjs';

/** Bump when the image's recipe changes: the cache is keyed by it. */
export const IMAGE_VERSION = 'bench-image-v1';
export const cacheRoot = path.join(path.dirname(fileURLToPath(import.meta.url)), '.cache');
export const cacheDir = path.join(cacheRoot, IMAGE_VERSION);
const CREATED = '2024-01-01T00:00:00Z';
const TAR_FLAGS = ['--format=posix', '--pax-option=exthdr.name=%d/PaxHeaders/%f,delete=atime,delete=ctime', '--numeric-owner', '--owner=0', '--group=0'];

const run = promisify(execFile);
const sh = (script, args = []) => run('bash', ['-o', 'pipefail', '-c', script, 'bash', ...args], { maxBuffer: 1 << 20 });

/** Returns the cached image's metadata, building the image first when absent (or `force`). */
export async function ensureBenchImage({ force = false, log = (line) => process.stderr.write(`${line}\n`) } = {}) {
  const metaPath = path.join(cacheDir, 'meta.json');
  if (!force && existsSync(metaPath)) {
    const meta = JSON.parse(readFileSync(metaPath, 'utf8'));
    if (meta.version === IMAGE_VERSION && [meta.image, ...meta.layers.map((l) => l.blob)].every((p) => existsSync(p))) return meta;
  }
  rmSync(cacheDir, { recursive: true, force: true });
  mkdirSync(path.join(cacheDir, 'blobs'), { recursive: true });
  const meta = await buildImage(log);
  writeFileSync(metaPath, `${JSON.stringify(meta, null, 2)}\n`);
  return meta;
}

async function buildImage(log) {
  const { layers, waste, entries, started } = await buildLayers(log, null, cacheDir);
  const image = await writeArchive(layers, cacheDir);
  return imageMeta(IMAGE_VERSION, image, layers, waste, entries, started, log);
}

/**
 * The image's layers: base, content, waste; with `twin` (a GNU tar --transform expression), the
 * content and waste layers once more, renamed by it. Two at a time. Returns them with what
 * imageMeta needs.
 */
export async function buildLayers(log, twin, dir) {
  const started = Date.now();
  const entries = walkRoots('/', SOURCE_ROOTS);
  const waste = wastePlan(entries);
  const own = [...contentLayerSpecs(entries), wasteLayerSpec(waste, dir)];
  const twins = twin ? own.map((spec) => ({ ...spec, description: `twin of ${spec.description}`, transform: twin })) : [];
  const specs = [baseLayerSpec(dir), ...own, ...twins];
  log(`bench image: ${entries.length} entries from /${SOURCE_ROOTS.join(', /')} in ${specs.length} layers`);

  const layers = new Array(specs.length);
  let next = 0;
  const worker = async () => {
    for (let index = next++; index < specs.length; index = next++) {
      layers[index] = await buildLayer(specs[index], index, dir);
      log(`  layer ${index + 1}/${specs.length}: ${mb(layers[index].uncompressedSize)} MB -> ${mb(layers[index].size)} MB gzip  ${specs[index].description}`);
    }
  };
  await Promise.all([worker(), worker()]);
  for (const stage of ['stage-base', 'stage-waste']) rmSync(path.join(dir, stage), { recursive: true, force: true });
  return { layers, waste, entries, started };
}

export function imageMeta(version, image, layers, waste, entries, started, log) {
  const uncompressedBytes = layers.reduce((sum, l) => sum + l.uncompressedSize, 0);
  const compressedBytes = layers.reduce((sum, l) => sum + l.size, 0);
  log(`bench image: ${mb(uncompressedBytes)} MB uncompressed, ${mb(compressedBytes)} MB gzip, built in ${((Date.now() - started) / 1000).toFixed(0)} s`);
  return {
    version, image, roots: SOURCE_ROOTS, entrypoint: ENTRYPOINT, cmd: CMD, waste,
    wastedBytes: waste.deleted.concat(waste.deletedDirs, waste.rewritten).reduce((sum, p) => sum + bytesUnder(entries, p), 0),
    uncompressedBytes, compressedBytes, layers,
  };
}

/** Layer 1: merged-/usr symlinks and a few /etc files, staged in the cache directory. */
function baseLayerSpec(dir) {
  const stage = path.join(dir, 'stage-base');
  mkdirSync(path.join(stage, 'usr', 'lib64'), { recursive: true });
  for (const [link, target] of BASE_SYMLINKS) symlinkSync(target, path.join(stage, link));
  for (const relative of BASE_ETC.filter((p) => existsSync(`/${p}`))) {
    cpSync(`/${relative}`, path.join(stage, relative), { recursive: true, verbatimSymlinks: true });
  }
  return { description: 'base: merged-/usr symlinks, /etc', cwd: stage, paths: null };
}

function contentLayerSpecs(entries) {
  return chunkLayers(entries).map((chunk) => ({
    description: `/${chunk.files[0]} … /${chunk.files.at(-1)}`,
    cwd: '/',
    paths: chunk.paths,
  }));
}

/** The last layer: whiteouts (staged as empty .wh. files) and identical rewrites (from /). */
function wasteLayerSpec(waste, dir) {
  const stage = path.join(dir, 'stage-waste');
  const whiteouts = [...waste.deleted, ...waste.deletedDirs].map((p) => path.join(path.dirname(p), `.wh.${path.basename(p)}`));
  for (const whiteout of whiteouts) {
    mkdirSync(path.join(stage, path.dirname(whiteout)), { recursive: true });
    writeFileSync(path.join(stage, whiteout), '');
  }
  return {
    description: `waste: delete ${whiteouts.length} paths, rewrite ${waste.rewritten.length} files unchanged`,
    cwd: stage,
    paths: whiteouts,
    extra: waste.rewritten,
  };
}

/**
 * tar → sha256sum (diff_id) → gzip -n → sha256sum (digest) → blobs/<hex>.tar.gz. `spec.transform`
 * (a GNU tar --transform expression) renames members; `dir` is the image's cache directory.
 */
export async function buildLayer(spec, index, dir = cacheDir) {
  const tmp = path.join(dir, `layer-${index}.tar`);
  const list = `${tmp}.list`;
  let args;
  if (spec.paths === null) {
    args = [...TAR_FLAGS, '--sort=name', '-C', spec.cwd, '-cf', tmp, '.'];
  } else {
    writeFileSync(list, spec.paths.map((p) => `${p}\0`).join(''));
    // A twin of the waste layer renames its whiteouts and rewrites too (the transform applies to every member).
    args = [...TAR_FLAGS, ...(spec.transform ? [`--transform=${spec.transform}`] : []), '--no-recursion', '-C', spec.cwd, '-cf', tmp, '--null', '-T', list];
    if (spec.extra?.length) args.push('-C', '/', ...spec.extra);
  }
  await run('tar', args, { maxBuffer: 1 << 20 });
  const { stdout } = await sh('sha256sum < "$1" | cut -c1-64; stat -c %s "$1"; gzip -6 -n -c "$1" > "$2"; sha256sum < "$2" | cut -c1-64; stat -c %s "$2"', [tmp, `${tmp}.gz`]);
  const [diffId, uncompressedSize, digest, size] = stdout.trim().split('\n');
  const blob = path.join(dir, 'blobs', `${digest}.tar.gz`);
  await run('mv', [`${tmp}.gz`, blob]);
  rmSync(tmp, { force: true });
  rmSync(list, { force: true });
  return { description: spec.description, blob, digest: `sha256:${digest}`, diffId: `sha256:${diffId}`, size: Number(size), uncompressedSize: Number(uncompressedSize) };
}

/** The image config: the layers' diff_ids and history, entrypoint perl. */
export function imageConfig(layers) {
  return {
    architecture: 'amd64', os: 'linux', created: CREATED,
    config: { Env: ['PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin'], Entrypoint: ENTRYPOINT, Cmd: CMD },
    rootfs: { type: 'layers', diff_ids: layers.map((l) => l.diffId) },
    history: [
      ...layers.map((l) => ({ created: CREATED, created_by: `bench/make-image.mjs: ${l.description}` })),
      { created: CREATED, created_by: `ENTRYPOINT ${JSON.stringify(ENTRYPOINT)} CMD ${JSON.stringify(CMD)}`, empty_layer: true },
    ],
  };
}

/** The docker-archive: layer blobs, then the config, then manifest.json (as docker save orders them). */
export async function writeArchive(layers, dir, tag = IMAGE_VERSION) {
  const config = imageConfig(layers);
  const staging = path.join(dir, 'archive');
  mkdirSync(staging, { recursive: true });
  const configText = JSON.stringify(config);
  writeFileSync(path.join(staging, 'config.json'), configText);
  const { stdout } = await sh('sha256sum < "$1" | cut -c1-64', [path.join(staging, 'config.json')]);
  const configName = `${stdout.trim()}.json`;
  await run('mv', [path.join(staging, 'config.json'), path.join(staging, configName)]);
  const layerNames = layers.map((l) => path.basename(l.blob));
  for (const layer of layers) linkSync(layer.blob, path.join(staging, path.basename(layer.blob)));
  const manifest = [{ Config: configName, RepoTags: [`imgslim/bench:${tag}`], Layers: layerNames }];
  writeFileSync(path.join(staging, 'manifest.json'), JSON.stringify(manifest));
  const image = path.join(dir, 'bench-image.tar');
  await run('tar', ['--format=ustar', '--numeric-owner', '--owner=0', '--group=0', '--mtime=@0', '-C', staging, '-cf', image, ...layerNames, configName, 'manifest.json']);
  rmSync(staging, { recursive: true, force: true });
  return image;
}

export const mb = (bytes) => (bytes / 1e6).toFixed(1);

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const meta = await ensureBenchImage({ force: process.argv.includes('--force') });
  process.stdout.write(`${meta.image}\n${mb(meta.uncompressedBytes)} MB uncompressed in ${meta.layers.length} layers (${mb(meta.compressedBytes)} MB gzip); ` +
    `wasted ${mb(meta.wastedBytes)} MB; entrypoint ${JSON.stringify(meta.entrypoint)} cmd ${JSON.stringify(meta.cmd)}\n`);
}

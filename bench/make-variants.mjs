#!/usr/bin/env node
/**
 * Variants of the benchmark image (bench/make-image.mjs), cached beside it:
 *   zstd  the same layer tars compressed with `zstd -3`, as an OCI image layout directory
 *         (layer media type …tar+zstd); same diff_ids, same filesystem.
 *   oci   the gzip image as an OCI image layout directory (blobs hard-linked, not recompressed)
 *   x2    twice the content: the content and waste layers again with every member under /opt/twin
 *         (GNU tar --transform; symlink targets unchanged), so twice the entries, files and ELF
 *         binaries in the final filesystem: the scaling rows compare it with the 1× image.
 * Independent of imgslim: GNU tar, gzip, zstd and sha256sum do the work. No project imports.
 *
 * Usage: node bench/make-variants.mjs [zstd|oci|x2]...   (prints each variant's path and size)
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { buildLayers, cacheRoot, ensureBenchImage, IMAGE_VERSION, imageConfig, imageMeta, mb, writeArchive } from './make-image.mjs';

const run = promisify(execFile);
const sh = (script, args = []) => run('bash', ['-o', 'pipefail', '-c', script, 'bash', ...args], { maxBuffer: 1 << 20 });
const defaultLog = (line) => process.stderr.write(`${line}\n`);

function cached(dir, version, paths) {
  const metaPath = path.join(dir, 'meta.json');
  if (!existsSync(metaPath)) return null;
  const meta = JSON.parse(readFileSync(metaPath, 'utf8'));
  return meta.version === version && paths(meta).every((p) => existsSync(p)) ? meta : null;
}

/** The zstd OCI layout of the bench image (built from the gzip image's blobs). */
export function ensureZstdImage({ log = defaultLog } = {}) {
  return ensureLayout('zstd', 'application/vnd.oci.image.layer.v1.tar+zstd', log, async (layer, tmp) => {
    const { stdout } = await sh('gzip -dc "$1" | zstd -3 -q -c > "$2"; sha256sum < "$2" | cut -c1-64; stat -c %s "$2"', [layer.blob, tmp]);
    return stdout.trim().split('\n');
  });
}

/** The gzip bench image as an OCI layout: the same blobs, hard-linked. */
export function ensureOciImage({ log = defaultLog } = {}) {
  return ensureLayout('oci', 'application/vnd.oci.image.layer.v1.tar+gzip', log, async (layer, tmp) => {
    await run('ln', [layer.blob, tmp]);
    return [layer.digest.slice('sha256:'.length), String(layer.size)];
  });
}

/** An OCI layout of the bench image whose layer blobs `makeBlob(layer, tmpPath)` writes (→ [hex, size]). */
async function ensureLayout(name, layerMediaType, log, makeBlob) {
  const version = `${IMAGE_VERSION}-${name}`;
  const dir = path.join(cacheRoot, version);
  const hit = cached(dir, version, (meta) => [meta.image, ...meta.layers.map((l) => l.blob)]);
  if (hit) return hit;
  const base = await ensureBenchImage({ log });
  rmSync(dir, { recursive: true, force: true });
  const layout = path.join(dir, 'layout');
  mkdirSync(path.join(layout, 'blobs', 'sha256'), { recursive: true });
  log(`bench image (${name}): writing ${base.layers.length} layers as an OCI layout`);
  const layers = [];
  for (const layer of base.layers) {
    const tmp = path.join(dir, 'layer.tmp');
    const [hex, size] = await makeBlob(layer, tmp);
    const blob = path.join(layout, 'blobs', 'sha256', hex);
    await run('mv', [tmp, blob]);
    layers.push({ ...layer, blob, digest: `sha256:${hex}`, size: Number(size) });
  }
  const blobOf = async (bytes) => {
    const file = path.join(dir, 'json.tmp');
    writeFileSync(file, bytes);
    const hex = (await sh('sha256sum < "$1" | cut -c1-64', [file])).stdout.trim();
    await run('mv', [file, path.join(layout, 'blobs', 'sha256', hex)]);
    return { digest: `sha256:${hex}`, size: Buffer.byteLength(bytes) };
  };
  const config = await blobOf(JSON.stringify(imageConfig(base.layers)));
  const manifest = await blobOf(JSON.stringify({
    schemaVersion: 2,
    mediaType: 'application/vnd.oci.image.manifest.v1+json',
    config: { mediaType: 'application/vnd.oci.image.config.v1+json', ...config },
    layers: layers.map((l) => ({ mediaType: layerMediaType, digest: l.digest, size: l.size })),
  }));
  writeFileSync(path.join(layout, 'oci-layout'), JSON.stringify({ imageLayoutVersion: '1.0.0' }));
  writeFileSync(path.join(layout, 'index.json'), JSON.stringify({
    schemaVersion: 2,
    mediaType: 'application/vnd.oci.image.index.v1+json',
    manifests: [{ mediaType: 'application/vnd.oci.image.manifest.v1+json', ...manifest, annotations: { 'org.opencontainers.image.ref.name': version } }],
  }));
  const meta = {
    ...base, version, image: layout, layers,
    compressedBytes: layers.reduce((sum, l) => sum + l.size, 0),
  };
  writeFileSync(path.join(dir, 'meta.json'), `${JSON.stringify(meta, null, 2)}\n`);
  return meta;
}

/** The 2× docker-archive: base, content, waste, then content and waste again under /opt/twin. */
export async function ensureDoubleImage({ log = defaultLog } = {}) {
  const version = `${IMAGE_VERSION}-x2`;
  const dir = path.join(cacheRoot, version);
  const hit = cached(dir, version, (meta) => [meta.image, ...meta.layers.map((l) => l.blob)]);
  if (hit) return hit;
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(path.join(dir, 'blobs'), { recursive: true });
  const { layers, waste, entries, started } = await buildLayers(log, 's,^,opt/twin/,rhS', dir);
  const image = await writeArchive(layers, dir, version);
  const meta = imageMeta(version, image, layers, waste, [...entries, ...entries], started, log);
  writeFileSync(path.join(dir, 'meta.json'), `${JSON.stringify(meta, null, 2)}\n`);
  return meta;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const makers = { zstd: ensureZstdImage, oci: ensureOciImage, x2: ensureDoubleImage };
  const wanted = process.argv.slice(2).length > 0 ? process.argv.slice(2) : Object.keys(makers);
  for (const variant of wanted) {
    if (!makers[variant]) throw new Error(`unknown variant ${variant} (${Object.keys(makers).join(', ')})`);
    const meta = await makers[variant]();
    process.stdout.write(`${meta.image}\n${mb(meta.uncompressedBytes)} MB uncompressed in ${meta.layers.length} layers (${mb(meta.compressedBytes)} MB stored)\n`);
  }
}

/**
 * Builds container images in code, in every format imgslim reads: docker save (legacy
 * `<id>/layer.tar` and Docker ≥ 25 with an OCI layout inside), OCI layout directories and OCI
 * archives. Layers come from entry specs (files, directories, symlinks, hard links, whiteouts)
 * and are stored plain, gzip or zstd. It can also build broken images (wrong digests, wrong
 * diff_ids, missing blobs, bad JSON). Tars are written with the `tar-stream` package, an
 * implementation independent of imgslim's own.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { gzipSync } from 'node:zlib';
import tarStream from 'tar-stream';
import { compress as zstdCompress } from 'zstd-napi';

export type EntrySpec =
  | { path: string; type?: 'file'; content?: string | Uint8Array; mode?: number; uid?: number; gid?: number; xattrs?: Record<string, string> }
  | { path: string; type: 'dir'; mode?: number; uid?: number; gid?: number }
  | { path: string; type: 'symlink' | 'hardlink'; target: string }
  | { path: string; type: 'whiteout' }
  | { path: string; type: 'opaque' };

export type Compression = 'gzip' | 'zstd' | 'none';

export interface LayerSpec {
  entries: EntrySpec[];
  compression?: Compression;
  /** Overrides the OCI media type written in manifests. */
  mediaType?: string;
}

export interface ImageSpec {
  layers: LayerSpec[];
  architecture?: string;
  os?: string;
  variant?: string;
  /** Merged into the config's `config` (Entrypoint, Cmd, Env…). */
  containerConfig?: Record<string, unknown>;
  /** Extra top-level config fields. */
  extraConfig?: Record<string, unknown>;
}

export interface BuiltLayer {
  tar: Buffer;
  blob: Buffer;
  digest: string;
  diffId: string;
  compression: Compression;
  mediaType: string;
}

export interface BuiltImage {
  layers: BuiltLayer[];
  config: Record<string, unknown>;
  configBytes: Buffer;
  configDigest: string;
  /** The OCI manifest. */
  manifestBytes: Buffer;
  manifestDigest: string;
  platform: { os: string; architecture: string; variant?: string };
}

export const sha256 = (data: Uint8Array | string) => `sha256:${createHash('sha256').update(data).digest('hex')}`;
const hexOf = (digest: string) => digest.slice('sha256:'.length);
const json = (value: unknown) => Buffer.from(JSON.stringify(value));
const EPOCH = new Date(0);

type TarItem = { header: Partial<tarStream.Header> & { name: string }; body?: Buffer };

/** A tar of the items, in order, via tar-stream. */
export async function tarOf(items: TarItem[]): Promise<Buffer> {
  const pack = tarStream.pack();
  const chunks: Buffer[] = [];
  const done = (async () => {
    for await (const chunk of pack as AsyncIterable<Buffer>) chunks.push(chunk);
  })();
  for (const item of items) {
    await new Promise<void>((resolve, reject) => {
      pack.entry({ mtime: EPOCH, uid: 0, gid: 0, ...item.header }, item.body ?? Buffer.alloc(0), (error) => (error ? reject(error) : resolve()));
    });
  }
  pack.finalize();
  await done;
  return Buffer.concat(chunks);
}

function entryItems(entry: EntrySpec): TarItem {
  switch (entry.type) {
    case 'dir':
      return { header: { name: entry.path.replace(/\/?$/, '/'), type: 'directory', mode: entry.mode ?? 0o755, ...owner(entry) } };
    case 'symlink':
      return { header: { name: entry.path, type: 'symlink', linkname: entry.target, mode: 0o777 } };
    case 'hardlink':
      return { header: { name: entry.path, type: 'link', linkname: entry.target, mode: 0o644 } };
    case 'whiteout': {
      const slash = entry.path.lastIndexOf('/');
      return { header: { name: `${entry.path.slice(0, slash + 1)}.wh.${entry.path.slice(slash + 1)}`, type: 'file', mode: 0o644 } };
    }
    case 'opaque':
      return { header: { name: `${entry.path.replace(/\/?$/, '/')}.wh..wh..opq`, type: 'file', mode: 0o644 } };
    default: {
      const body = Buffer.from(entry.content ?? '');
      const pax = entry.xattrs ? Object.fromEntries(Object.entries(entry.xattrs).map(([key, value]) => [`SCHILY.xattr.${key}`, value])) : undefined;
      return { header: { name: entry.path, type: 'file', mode: entry.mode ?? 0o644, size: body.length, ...owner(entry), ...(pax ? { pax } : {}) }, body };
    }
  }
}

/** The entry's uid/gid when set (tarOf defaults both to 0). */
function owner(entry: { uid?: number; gid?: number }): { uid?: number; gid?: number } {
  return { ...(entry.uid === undefined ? {} : { uid: entry.uid }), ...(entry.gid === undefined ? {} : { gid: entry.gid }) };
}

export function compressBytes(tar: Buffer, compression: Compression): Buffer {
  if (compression === 'gzip') return gzipSync(tar, { level: 6 });
  if (compression === 'zstd') return zstdCompress(tar);
  return tar;
}

const OCI_LAYER: Record<Compression, string> = {
  none: 'application/vnd.oci.image.layer.v1.tar',
  gzip: 'application/vnd.oci.image.layer.v1.tar+gzip',
  zstd: 'application/vnd.oci.image.layer.v1.tar+zstd',
};

export async function buildLayer(spec: LayerSpec): Promise<BuiltLayer> {
  const tar = await tarOf(spec.entries.map(entryItems));
  const compression = spec.compression ?? 'gzip';
  const blob = compressBytes(tar, compression);
  return { tar, blob, digest: sha256(blob), diffId: sha256(tar), compression, mediaType: spec.mediaType ?? OCI_LAYER[compression] };
}

export async function buildImage(spec: ImageSpec): Promise<BuiltImage> {
  const layers = await Promise.all(spec.layers.map(buildLayer));
  const platform = { os: spec.os ?? 'linux', architecture: spec.architecture ?? 'amd64', ...(spec.variant ? { variant: spec.variant } : {}) };
  const config: Record<string, unknown> = {
    ...platform,
    created: '2024-01-01T00:00:00Z',
    config: { Env: ['PATH=/usr/bin:/bin'], Cmd: ['/bin/sh'], ...spec.containerConfig },
    rootfs: { type: 'layers', diff_ids: layers.map((layer) => layer.diffId) },
    history: layers.map((_, index) => ({ created: '2024-01-01T00:00:00Z', created_by: `layer ${index}` })),
    ...spec.extraConfig,
  };
  return withConfig({ layers, config, platform });
}

/** Re-derives config bytes and the OCI manifest after the config or layers changed. */
export function withConfig(image: Pick<BuiltImage, 'layers' | 'config' | 'platform'>): BuiltImage {
  const configBytes = json(image.config);
  const configDigest = sha256(configBytes);
  const manifestBytes = json({
    schemaVersion: 2,
    mediaType: 'application/vnd.oci.image.manifest.v1+json',
    config: { mediaType: 'application/vnd.oci.image.config.v1+json', digest: configDigest, size: configBytes.length },
    layers: image.layers.map((layer) => ({ mediaType: layer.mediaType, digest: layer.digest, size: layer.blob.length })),
  });
  return { ...image, configBytes, configDigest, manifestBytes, manifestDigest: sha256(manifestBytes) };
}

/** Files of a format, by name: bytes, or a symlink to another member. */
export type FileMap = Map<string, Buffer | { symlink: string }>;

export interface Breakage {
  /** Flip one byte of layer N's stored blob (same size, wrong digest). */
  corruptLayer?: number;
  /** Remove layer N's blob. */
  missingLayer?: number;
  /** Replace a JSON file's content by invalid JSON. */
  badJson?: 'index.json' | 'manifest' | 'config' | 'manifest.json' | 'oci-layout';
  /** Flip one byte of the config blob (OCI: its descriptor no longer matches). */
  corruptConfig?: boolean;
  /** Flip one byte of the manifest blob. */
  corruptManifest?: boolean;
}

function flipLastByte(data: Buffer): Buffer {
  const copy = Buffer.from(data);
  copy[copy.length - 1] = copy[copy.length - 1]! ^ 0xff;
  return copy;
}

const BAD_JSON = Buffer.from('{"schemaVersion": 2, ');

export interface OciLayoutOptions {
  /** ref.name per image (undefined: none). */
  refNames?: Array<string | undefined>;
  /** Replaces index.json's manifests entirely (for nested indexes, custom descriptors). */
  indexManifests?: unknown[] | null;
  /** Extra blobs (nested indexes, manifest lists). */
  extraBlobs?: Buffer[];
  breakage?: Breakage;
}

function blobName(digest: string): string {
  return `blobs/sha256/${hexOf(digest)}`;
}

export function ociLayoutFiles(images: BuiltImage[], options: OciLayoutOptions = {}): FileMap {
  const files: FileMap = new Map();
  const breakage = options.breakage ?? {};
  files.set('oci-layout', breakage.badJson === 'oci-layout' ? BAD_JSON : json({ imageLayoutVersion: '1.0.0' }));
  for (const image of images) {
    for (const [index, layer] of image.layers.entries()) {
      if (breakage.missingLayer === index) continue;
      files.set(blobName(layer.digest), breakage.corruptLayer === index ? flipLastByte(layer.blob) : layer.blob);
    }
    const config = breakage.badJson === 'config' ? BAD_JSON : breakage.corruptConfig ? flipLastByte(image.configBytes) : image.configBytes;
    files.set(blobName(image.configDigest), config);
    const manifest = breakage.badJson === 'manifest' ? BAD_JSON : breakage.corruptManifest ? flipLastByte(image.manifestBytes) : image.manifestBytes;
    files.set(blobName(image.manifestDigest), manifest);
  }
  for (const blob of options.extraBlobs ?? []) files.set(blobName(sha256(blob)), blob);
  const manifests =
    options.indexManifests !== undefined
      ? options.indexManifests
      : images.map((image, index) => ({
          mediaType: 'application/vnd.oci.image.manifest.v1+json',
          digest: image.manifestDigest,
          size: breakage.badJson === 'manifest' ? BAD_JSON.length : image.manifestBytes.length,
          platform: image.platform,
          ...(options.refNames?.[index] !== undefined ? { annotations: { 'org.opencontainers.image.ref.name': options.refNames[index] } } : {}),
        }));
  files.set(
    'index.json',
    breakage.badJson === 'index.json' ? BAD_JSON : json({ schemaVersion: 2, mediaType: 'application/vnd.oci.image.index.v1+json', manifests }),
  );
  return files;
}

export interface DockerArchiveOptions {
  /** `legacy`: `<id>/layer.tar` (compressed layers as `<digest>.tar.gz`/`.tar.zst`); `docker25`: an OCI layout inside. */
  style: 'legacy' | 'docker25';
  /** RepoTags per image. */
  tags?: string[][];
  /** docker25: write `"manifests": null` in index.json. */
  nullIndex?: boolean;
  /** Write `./manifest.json` instead of `manifest.json`. */
  dotSlash?: boolean;
  /** legacy: store layer N of the last image as a symlink to the same layer of the first image. */
  symlinkSharedLayer?: boolean;
  /** Name config members `<name>.json` instead of `<digest>.json` (legacy). */
  configName?: (image: BuiltImage, index: number) => string;
  breakage?: Breakage;
}

function legacyLayerName(layer: BuiltLayer, chainSeed: string): string {
  if (layer.compression === 'none') return `${hexOf(sha256(chainSeed + layer.diffId))}/layer.tar`;
  return `${hexOf(layer.digest)}${layer.compression === 'gzip' ? '.tar.gz' : '.tar.zst'}`;
}

export function dockerArchiveFiles(images: BuiltImage[], options: DockerArchiveOptions): FileMap {
  const breakage = options.breakage ?? {};
  const files: FileMap =
    options.style === 'docker25'
      ? ociLayoutFiles(images, {
          breakage: { ...breakage, badJson: undefined },
          refNames: images.map((_, index) => options.tags?.[index]?.[0]?.split(':').at(-1)),
          indexManifests: options.nullIndex ? null : undefined,
        })
      : new Map();
  const entries = images.map((image, imageIndex) => {
    const config = breakage.badJson === 'config' ? BAD_JSON : image.configBytes;
    const configName = options.style === 'docker25' ? blobName(image.configDigest) : (options.configName?.(image, imageIndex) ?? `${hexOf(image.configDigest)}.json`);
    files.set(configName, config);
    const layerNames = image.layers.map((layer, layerIndex) => {
      const name = options.style === 'docker25' ? blobName(layer.digest) : legacyLayerName(layer, `${imageIndex}/${layerIndex}`);
      if (options.style === 'legacy') {
        if (breakage.missingLayer !== layerIndex) files.set(name, breakage.corruptLayer === layerIndex ? flipLastByte(layer.blob) : layer.blob);
        if (name.endsWith('/layer.tar')) {
          files.set(name.replace('layer.tar', 'VERSION'), Buffer.from('1.0'));
          files.set(name.replace('layer.tar', 'json'), json({ id: name.split('/')[0] }));
        }
      }
      return name;
    });
    if (options.symlinkSharedLayer && imageIndex === images.length - 1 && imageIndex > 0) {
      const target = images[0]!.layers[0]!;
      const own = layerNames[0]!;
      const targetName = legacyLayerName(target, '0/0');
      files.set(own, { symlink: `../${targetName}` });
    }
    return { Config: configName, RepoTags: options.tags?.[imageIndex] ?? null, Layers: layerNames };
  });
  if (breakage.missingLayer !== undefined && options.style === 'docker25') {
    for (const image of images) files.delete(blobName(image.layers[breakage.missingLayer]!.digest));
  }
  files.set(options.dotSlash ? './manifest.json' : 'manifest.json', breakage.badJson === 'manifest.json' ? BAD_JSON : json(entries));
  const repositories: Record<string, Record<string, string>> = {};
  for (const [index, tags] of (options.tags ?? []).entries()) {
    for (const tag of tags) {
      const colon = tag.lastIndexOf(':');
      (repositories[tag.slice(0, colon)] ??= {})[tag.slice(colon + 1)] = hexOf(images[index]!.layers.at(-1)?.diffId ?? sha256(''));
    }
  }
  if (Object.keys(repositories).length > 0) files.set('repositories', json(repositories));
  return files;
}

/** A tar of a file map (directories implied by names are added first, as GNU tar would). */
export async function fileMapTar(files: FileMap): Promise<Buffer> {
  const directories = new Set<string>();
  for (const name of files.keys()) {
    const parts = name.replace(/^\.\//, '').split('/');
    for (let i = 1; i < parts.length; i++) directories.add(parts.slice(0, i).join('/'));
  }
  const items: TarItem[] = [...directories].sort().map((name) => ({ header: { name: `${name}/`, type: 'directory', mode: 0o755 } }));
  for (const [name, content] of files) {
    if (Buffer.isBuffer(content)) items.push({ header: { name, type: 'file', mode: 0o644, size: content.length }, body: content });
    else items.push({ header: { name, type: 'symlink', linkname: content.symlink, mode: 0o777 } });
  }
  return tarOf(items);
}

export function writeFileMapDir(dir: string, files: FileMap): void {
  for (const [name, content] of files) {
    const path = join(dir, name);
    mkdirSync(dirname(path), { recursive: true });
    if (!Buffer.isBuffer(content)) throw new Error('symlinks are only written into tars');
    writeFileSync(path, content);
  }
}

export type FixtureFormat = 'docker-legacy' | 'docker25' | 'oci-layout' | 'oci-archive';

/** Writes `images` in `format` at `path` (a directory for oci-layout, else a tar file). */
export async function writeFixture(
  format: FixtureFormat,
  path: string,
  images: BuiltImage[],
  options: { tags?: string[][]; breakage?: Breakage } = {},
): Promise<void> {
  const refNames = options.tags?.map((tags) => tags[0]);
  if (format === 'oci-layout') return writeFileMapDir(path, ociLayoutFiles(images, { refNames, breakage: options.breakage }));
  const files =
    format === 'oci-archive'
      ? ociLayoutFiles(images, { refNames, breakage: options.breakage })
      : dockerArchiveFiles(images, { style: format === 'docker25' ? 'docker25' : 'legacy', tags: options.tags, breakage: options.breakage });
  writeFileSync(path, await fileMapTar(files));
}

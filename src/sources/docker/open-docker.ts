/**
 * Reading a `docker save` archive (legacy `<id>/layer.tar` layout, or Docker ≥ 25 with an OCI
 * layout inside). The config digest is computed from its bytes (member names are not trusted).
 * Docker ≥ 25: the saved OCI manifest is used. Otherwise a Docker v2 schema 2 manifest is
 * synthesised from the stored layers, and its digest is the image's manifestDigest.
 */
import { Digester, sniffCompression } from '../../archive/index.js';
import {
  layerMediaType,
  MediaType,
  parseImageConfig,
  parseJson,
  shortDigest,
  type Descriptor,
  type ImageConfig,
  type ImageManifest,
  type OpenImageOptions,
  type ResolvedImage,
} from '../../image/index.js';
import { InputError, IntegrityError } from '../../shared/errors.js';
import { assembleImage } from '../assemble.js';
import { digestBytes, digestFromName, readHead, readRequiredFile, readSmallFile } from '../blobs.js';
import type { Container, ContainerFile } from '../container/types.js';
import type { ResolvedManifest } from '../oci/resolve.js';
import { parseDockerManifest, selectDockerEntry } from './manifest-json.js';
import { findSavedManifest } from './saved-manifest.js';

/** manifest.json lists every image of the archive, so it may be larger than one manifest. */
const MANIFEST_JSON_LIMIT = 16 * 1024 * 1024;

export async function openDockerArchive(container: Container, options: OpenImageOptions, close: () => Promise<void>): Promise<ResolvedImage> {
  const where = container.displayPath;
  const label = `${where}: manifest.json`;
  const entries = parseDockerManifest(parseJson(await readRequiredFile(container, 'manifest.json', label, MANIFEST_JSON_LIMIT), label), label);
  const { entry, reference } = selectDockerEntry(entries, options.selector, where);

  const configFile = await container.stat(entry.Config);
  if (!configFile) throw new InputError(`${where}: config ${entry.Config} named in manifest.json is missing`, { code: 'E_MISSING' });
  const configBytes = await readSmallFile(container, configFile, `${where}: config ${entry.Config}`);
  const configDigest = digestBytes(configBytes);
  const configLabel = `${where}: config ${shortDigest(configDigest)}`;
  const config = parseImageConfig(parseJson(configBytes, configLabel), configLabel, entry.Layers.length);

  const layerFiles: ContainerFile[] = [];
  for (const [index, name] of entry.Layers.entries()) {
    const file = await container.stat(name);
    if (!file) throw new InputError(`${where}: layer ${index + 1} ${name} named in manifest.json is missing`, { code: 'E_MISSING' });
    layerFiles.push(file);
  }

  const saved = await findSavedManifest(container, configDigest, layerFiles);
  saved?.manifest.layers.forEach((descriptor, index) => {
    const file = layerFiles[index]!;
    if (descriptor.size !== file.size) {
      throw new IntegrityError(`${where}: layer ${index + 1} ${file.name} is ${file.size} bytes, but the image manifest says ${descriptor.size}`, {
        code: 'E_SIZE_MISMATCH',
      });
    }
  });
  const resolved = saved ?? (await synthesiseManifest(container, configBytes, configDigest, config, layerFiles));
  return assembleImage(
    {
      format: 'docker-archive',
      manifest: resolved.manifest,
      manifestBytes: resolved.bytes,
      manifestDigest: resolved.descriptor.digest,
      manifestMediaType: resolved.mediaType,
      config,
      configBytes,
      configDigest,
      reference,
      tags: entry.RepoTags,
      layerFiles,
    },
    container,
    close,
  );
}

/**
 * The Docker v2 schema 2 manifest of a legacy save, serialised as go-containerregistry
 * serialises manifests (field order schemaVersion, mediaType, config, layers; size before digest).
 */
async function synthesiseManifest(
  container: Container,
  configBytes: Uint8Array,
  configDigest: string,
  config: ImageConfig,
  layerFiles: ContainerFile[],
): Promise<ResolvedManifest> {
  const layers: Descriptor[] = [];
  for (const [index, file] of layerFiles.entries()) {
    layers.push(await describeStoredLayer(container, file, index, config.rootfs.diff_ids[index]!));
  }
  const manifest: ImageManifest = {
    schemaVersion: 2,
    mediaType: MediaType.dockerManifest,
    config: { mediaType: MediaType.dockerConfig, size: configBytes.length, digest: configDigest },
    layers,
  };
  const bytes = new TextEncoder().encode(JSON.stringify(manifest));
  const descriptor: Descriptor = { mediaType: MediaType.dockerManifest, digest: digestBytes(bytes), size: bytes.length };
  return { descriptor, bytes, manifest, mediaType: MediaType.dockerManifest };
}

/**
 * Descriptor of a stored layer member. Media type from the bytes' magic. Digest: for an
 * uncompressed layer, its diff_id; for a compressed one, the digest its layout-style name states
 * (`blobs/sha256/<hex>`, `<hex>.tar.gz`), else computed now. Either way LayerBlob.open() verifies it.
 */
async function describeStoredLayer(container: Container, file: ContainerFile, index: number, diffId: string): Promise<Descriptor> {
  const head = await readHead(container, file, 512);
  const compression = sniffCompression(head);
  if (compression !== 'gzip' && compression !== 'zstd' && compression !== 'none') {
    throw new InputError(
      `${container.displayPath}: layer ${index + 1} (${file.name}) is ${compression === 'unknown' ? 'in an unknown format' : `${compression}-compressed`}; imgslim reads gzip, zstd and uncompressed layers`,
      { code: 'E_UNSUPPORTED_COMPRESSION' },
    );
  }
  const mediaType = layerMediaType('docker', compression);
  if (compression === 'none') return { mediaType, size: file.size, digest: diffId };
  const claimed = digestFromName(file.resolvedName) ?? digestFromName(file.name);
  if (claimed !== null) return { mediaType, size: file.size, digest: claimed };
  const digester = new Digester();
  for await (const chunk of container.read(file, 0, file.size)) digester.update(chunk);
  return { mediaType, size: file.size, digest: digester.digest() };
}

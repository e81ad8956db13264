/**
 * What an image looks like on disk, before any byte is written: config, manifest and index
 * JSON (canonical), and the list of files of the OCI layout (plus manifest.json and repositories
 * for a docker archive), sorted by name.
 */
import {
  blobPathOf,
  convertLayerMediaType,
  familiarName,
  formatReference,
  MediaType,
  parseDigest,
  parseReference,
  type Descriptor,
  type ImageReference,
  type Platform,
} from '../../image/index.js';
import { UsageError } from '../../shared/errors.js';
import { digestBytes } from '../blobs.js';
import { REF_NAME_ANNOTATION } from '../oci/select.js';
import { canonicalJsonBytes } from './canonical-json.js';

export type WriteFormat = 'docker-archive' | 'oci-layout' | 'oci-archive';

export interface WriteLayer {
  /** A file holding the stored (possibly compressed) layer bytes. */
  blobPath: string;
  digest: string;
  diffId: string;
  size: number;
  mediaType: string;
}

export interface WritableImage {
  config: object;
  layers: WriteLayer[];
  /** docker-archive: a Docker reference (`name[:tag]`); OCI: the `org.opencontainers.image.ref.name`. */
  tag?: string | null;
  /** RFC 3339 time: written as the config's `created`, and used as every file's mtime. */
  created?: string;
}

export type PlannedFile = { name: string; bytes: Uint8Array } | { name: string; layer: WriteLayer };

export interface ImagePlan {
  /** Regular files, sorted by name, blobs deduplicated. */
  files: PlannedFile[];
  /** Directories (`blobs`, `blobs/sha256`), sorted. */
  directories: string[];
  manifestDescriptor: Descriptor;
  configDigest: string;
  /** Seconds since the epoch for every entry. */
  mtime: number;
  /** The descriptor index.json lists (for merging into an existing layout). */
  indexEntry: Descriptor;
}

/** OCI ref.name grammar (image-spec annotations): components of alphanumerics joined by `-._:@/+` or `--`. */
const OCI_REF_NAME = /^[A-Za-z0-9]+(?:(?:[-._:@+/]|--)[A-Za-z0-9]+)*$/;

export function isOciRefName(text: string): boolean {
  return OCI_REF_NAME.test(text);
}

function dockerReference(tag: string): ImageReference {
  const ref = parseReference(tag);
  if (!ref || ref.digest !== null) throw new UsageError(`invalid tag "${tag}": expected a Docker reference name[:tag]`, { code: 'E_TAG' });
  return ref;
}

function mtimeOf(created: string | undefined): number {
  if (created === undefined) return 0;
  const millis = Date.parse(created);
  if (Number.isNaN(millis)) throw new UsageError(`invalid created time "${created}": expected an RFC 3339 date`, { code: 'E_CREATED' });
  return Math.max(0, Math.floor(millis / 1000));
}

function checkLayer(layer: WriteLayer, index: number): void {
  parseDigest(layer.digest, `layer ${index + 1} digest`);
  parseDigest(layer.diffId, `layer ${index + 1} diffId`);
  if (!Number.isSafeInteger(layer.size) || layer.size < 0) throw new UsageError(`layer ${index + 1}: invalid size ${layer.size}`, { code: 'E_LAYER' });
}

export function planImage(format: WriteFormat, image: WritableImage): ImagePlan {
  const family = format === 'docker-archive' ? 'docker' : 'oci';
  const tag = image.tag ?? null;
  const reference = tag !== null && family === 'docker' ? dockerReference(tag) : null;
  if (tag !== null && family === 'oci' && !isOciRefName(tag)) {
    throw new UsageError(`invalid tag "${tag}": an OCI ref.name is letters and digits joined by - . _ : @ / +`, { code: 'E_TAG' });
  }
  const mtime = mtimeOf(image.created);
  image.layers.forEach(checkLayer);

  const base = image.config as Record<string, unknown>;
  const config: Record<string, unknown> = { ...base, rootfs: { type: 'layers', diff_ids: image.layers.map((layer) => layer.diffId) } };
  if (image.created !== undefined) config.created = image.created;
  const configBytes = canonicalJsonBytes(config);
  const configDigest = digestBytes(configBytes);

  const manifestMediaType = family === 'docker' ? MediaType.dockerManifest : MediaType.ociManifest;
  const manifestBytes = canonicalJsonBytes({
    schemaVersion: 2,
    mediaType: manifestMediaType,
    config: { mediaType: family === 'docker' ? MediaType.dockerConfig : MediaType.ociConfig, digest: configDigest, size: configBytes.length },
    layers: image.layers.map((layer) => ({ mediaType: convertLayerMediaType(layer.mediaType, family), digest: layer.digest, size: layer.size })),
  });
  const manifestDescriptor: Descriptor = { mediaType: manifestMediaType, digest: digestBytes(manifestBytes), size: manifestBytes.length };

  const annotations: Record<string, string> = {};
  if (reference) {
    annotations['io.containerd.image.name'] = formatReference(reference);
    annotations[REF_NAME_ANNOTATION] = reference.tag ?? 'latest';
  } else if (tag !== null) annotations[REF_NAME_ANNOTATION] = tag;
  const platform: Platform = { architecture: String(base.architecture ?? ''), os: String(base.os ?? '') };
  if (typeof base.variant === 'string' && base.variant) platform.variant = base.variant;
  const indexEntry: Descriptor = { ...manifestDescriptor, platform };
  if (Object.keys(annotations).length > 0) indexEntry.annotations = annotations;

  const files = new Map<string, PlannedFile>();
  const addBlob = (digest: string, file: Omit<PlannedFile, 'name'>) => {
    const name = blobPathOf(parseDigest(digest, 'blob'));
    if (!files.has(name)) files.set(name, { name, ...file } as PlannedFile);
  };
  addBlob(configDigest, { bytes: configBytes });
  addBlob(manifestDescriptor.digest, { bytes: manifestBytes });
  for (const layer of image.layers) addBlob(layer.digest, { layer });
  const json = (name: string, value: unknown) => files.set(name, { name, bytes: canonicalJsonBytes(value) });
  json('oci-layout', { imageLayoutVersion: '1.0.0' });
  json('index.json', { schemaVersion: 2, mediaType: MediaType.ociIndex, manifests: [indexEntry] });
  if (family === 'docker') {
    const blobName = (digest: string) => blobPathOf(parseDigest(digest, 'blob'));
    json('manifest.json', [
      {
        Config: blobName(configDigest),
        RepoTags: reference ? [familiarRepoTag(reference)] : null,
        Layers: image.layers.map((layer) => blobName(layer.digest)),
      },
    ]);
    const top = image.layers.at(-1);
    if (reference && top) json('repositories', { [familiarName(reference)]: { [reference.tag ?? 'latest']: parseDigest(top.digest, 'layer').hex } });
  }
  const sorted = [...files.values()].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const directories = [...new Set(sorted.filter((file) => file.name.startsWith('blobs/')).flatMap((file) => ['blobs', file.name.split('/').slice(0, 2).join('/')]))].sort();
  return { files: sorted, directories, manifestDescriptor, configDigest, mtime, indexEntry };
}

function familiarRepoTag(reference: ImageReference): string {
  return `${familiarName(reference)}:${reference.tag ?? 'latest'}`;
}

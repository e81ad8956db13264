/**
 * Following a descriptor from an index down to one image manifest: nested OCI indexes and
 * Docker manifest lists are descended by platform; every blob read is digest-verified.
 */
import {
  isObject,
  manifestKindOf,
  MediaType,
  parseIndex,
  parseJson,
  parseManifest,
  type Descriptor,
  type ImageManifest,
  type ManifestKind,
  type Platform,
} from '../../image/index.js';
import { InputError } from '../../shared/errors.js';
import { readBlob } from '../blobs.js';
import type { Container } from '../container/types.js';
import { choosePlatform, describeDescriptor } from './select.js';

/** Deeper nesting than this is refused (real images use one or two levels). */
const MAX_DEPTH = 8;

export interface ResolvedManifest {
  /** The descriptor that named the manifest (from index.json or a nested index). */
  descriptor: Descriptor;
  bytes: Uint8Array;
  manifest: ImageManifest;
  /** The descriptor's media type (as go-containerregistry reports it), else the blob's own. */
  mediaType: string;
}

const KIND_WORD: Record<ManifestKind, string> = { index: 'an index', manifest: 'an image manifest' };

function kindOfBlob(json: unknown): { declared: ManifestKind | null; structural: ManifestKind | null } {
  if (!isObject(json)) return { declared: null, structural: null };
  const declared = typeof json.mediaType === 'string' ? manifestKindOf(json.mediaType) : null;
  const structural = json.config !== undefined ? 'manifest' : Array.isArray(json.manifests) || json.manifests === null ? 'index' : null;
  return { declared, structural };
}

/** Reads a descriptor's blob and checks it is the kind of object the descriptor says. */
async function readManifestBlob(container: Container, descriptor: Descriptor, where: string) {
  const label = `${where}: ${describeDescriptor(descriptor)}`;
  const stated = manifestKindOf(descriptor.mediaType);
  if (descriptor.mediaType !== '' && stated === null) {
    throw new InputError(`${label} has media type "${descriptor.mediaType}", which is neither an image manifest nor an index`, {
      code: 'E_MEDIA_TYPE',
    });
  }
  const bytes = await readBlob(container, descriptor, label);
  const json = parseJson(bytes, label);
  const blob = kindOfBlob(json);
  const kind = stated ?? blob.declared ?? blob.structural;
  if (kind === null) throw new InputError(`${label} is neither an image manifest nor an index`, { code: 'E_MEDIA_TYPE' });
  for (const other of [blob.declared, blob.structural]) {
    if (other !== null && other !== kind) {
      throw new InputError(`${label} is declared as ${KIND_WORD[kind]} but the blob is ${KIND_WORD[other]}`, { code: 'E_MEDIA_TYPE' });
    }
  }
  return { label, bytes, json, kind };
}

/** Descends from `descriptor` to an image manifest, choosing by `wanted` platform in indexes. */
export async function resolveManifest(
  container: Container,
  descriptor: Descriptor,
  wanted: Platform | null,
  where: string,
  depth = 0,
): Promise<ResolvedManifest> {
  if (depth > MAX_DEPTH) throw new InputError(`${where}: indexes nested more than ${MAX_DEPTH} levels deep`, { code: 'E_NESTING' });
  const { label, bytes, json, kind } = await readManifestBlob(container, descriptor, where);
  if (kind === 'index') {
    const index = parseIndex(json, label);
    const child = choosePlatform(index.manifests, wanted, `${where}: index ${describeDescriptor(descriptor)}`);
    return resolveManifest(container, child, wanted, where, depth + 1);
  }
  const manifest = parseManifest(json, label);
  const mediaType = descriptor.mediaType || manifest.mediaType || MediaType.ociManifest;
  return { descriptor, bytes, manifest, mediaType };
}

/**
 * Manifests from the registry: asked for with every media type imgslim reads (OCI index and
 * manifest, Docker v2 list and manifest), checked against the digest that named them, and
 * followed down indexes by platform as for files.
 */
import {
  isDockerManifestV1,
  isObject,
  manifestKindOf,
  MediaType,
  parseIndex,
  parseJson,
  parseManifest,
  shortDigest,
  type Descriptor,
  type ImageManifest,
  type Platform,
} from '../../image/index.js';
import { InputError, IntegrityError } from '../../shared/errors.js';
import { digestBytes, JSON_SIZE_LIMIT, verifyBytes } from '../blobs.js';
import { choosePlatform } from '../oci/select.js';
import type { RegistryClient } from './client.js';
import { readBody } from './http.js';

export const MANIFEST_ACCEPT = [MediaType.ociIndex, MediaType.ociManifest, MediaType.dockerManifestList, MediaType.dockerManifest].join(', ');

const MAX_DEPTH = 8;

export interface FetchedManifest {
  bytes: Uint8Array;
  digest: string;
  mediaType: string;
}

export function manifestPath(repository: string, reference: string): string {
  return `/v2/${repository}/manifests/${reference}`;
}

/** GETs a manifest by tag or digest; by digest (or when the registry states one) the bytes must match it. */
export async function fetchManifest(client: RegistryClient, repository: string, reference: string, where: string): Promise<FetchedManifest> {
  const label = `${where}: manifest ${reference.includes(':') ? shortDigest(reference) : reference}`;
  const response = await client.request({ method: 'GET', path: manifestPath(repository, reference), headers: { accept: MANIFEST_ACCEPT }, scopes: [`repository:${repository}:pull`] });
  if (response.status !== 200) throw await client.failure(response, label);
  const bytes = await readBody(response, JSON_SIZE_LIMIT, label);
  const stated = response.headers['docker-content-digest'];
  const expected = reference.includes(':') ? reference : typeof stated === 'string' && stated.startsWith('sha256:') ? stated : null;
  const digest = digestBytes(bytes, expected?.startsWith('sha512:') ? 'sha512' : 'sha256');
  if (expected !== null && digest !== expected) {
    throw new IntegrityError(`${label}: content digest is ${digest}, but ${expected} was asked for`, { code: 'E_DIGEST_MISMATCH' });
  }
  const contentType = (response.headers['content-type'] ?? '').split(';')[0]!.trim();
  const json = parseJson(bytes, label);
  const declared = isObject(json) && typeof json.mediaType === 'string' ? json.mediaType : '';
  const mediaType = manifestKindOf(contentType) ? contentType : declared || contentType;
  if (isDockerManifestV1(mediaType) || (isObject(json) && json.schemaVersion === 1)) {
    throw new InputError(`${label}: a Docker schema 1 manifest, which imgslim does not read (re-push the image with a current client)`, { code: 'E_UNSUPPORTED' });
  }
  return { bytes, digest, mediaType };
}

export interface RegistryManifest {
  bytes: Uint8Array;
  digest: string;
  mediaType: string;
  manifest: ImageManifest;
  /** The platform of the index entry that led here, if any. */
  platform?: Platform;
}

/** Descends from the named manifest to one image manifest, choosing by `wanted` platform. */
export async function resolveRegistryManifest(
  client: RegistryClient,
  repository: string,
  reference: string,
  wanted: Platform | null,
  where: string,
): Promise<RegistryManifest> {
  let fetched = await fetchManifest(client, repository, reference, where);
  let platform: Platform | undefined;
  for (let depth = 0; ; depth++) {
    const label = `${where}: manifest ${shortDigest(fetched.digest)}`;
    const json = parseJson(fetched.bytes, label);
    const kind = manifestKindOf(fetched.mediaType) ?? (isObject(json) && json.config !== undefined ? 'manifest' : isObject(json) && Array.isArray(json.manifests) ? 'index' : null);
    if (kind === null) throw new InputError(`${label} has media type "${fetched.mediaType}", which is neither an image manifest nor an index`, { code: 'E_MEDIA_TYPE' });
    if (kind === 'manifest') {
      const manifest = parseManifest(json, label);
      return { bytes: fetched.bytes, digest: fetched.digest, mediaType: fetched.mediaType || manifest.mediaType || MediaType.ociManifest, manifest, ...(platform ? { platform } : {}) };
    }
    if (depth >= MAX_DEPTH) throw new InputError(`${where}: indexes nested more than ${MAX_DEPTH} levels deep`, { code: 'E_NESTING' });
    const child: Descriptor = choosePlatform(parseIndex(json, label).manifests, wanted, `${where}: index ${shortDigest(fetched.digest)}`);
    fetched = await fetchManifest(client, repository, child.digest, where);
    verifyBytes(fetched.bytes, child, `${where}: manifest ${shortDigest(child.digest)}`);
    if (!fetched.mediaType && child.mediaType) fetched.mediaType = child.mediaType;
    platform = child.platform;
  }
}

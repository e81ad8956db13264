/**
 * Docker ≥ 25 writes an OCI layout inside `docker save` archives. manifest.json does not name the
 * image manifest, and index.json may list nothing (`"manifests": null`), so the manifest is found
 * by content: a blob whose config and layers are exactly this image's. Index entries are tried
 * first (they carry annotations), then the remaining small blobs.
 */
import { blobPathOf, isObject, manifestKindOf, MediaType, parseIndex, parseJson, parseManifest, tryParseDigest, type Descriptor } from '../../image/index.js';
import { ImgslimError } from '../../shared/errors.js';
import { digestFromName, readSmallFile, verifyBytes } from '../blobs.js';
import type { Container, ContainerFile } from '../container/types.js';
import type { ResolvedManifest } from '../oci/resolve.js';

/** Manifests are small; blobs bigger than this are not read while searching. */
const CANDIDATE_LIMIT = 1024 * 1024;
const MAX_DEPTH = 4;

async function readJsonBlob(container: Container, name: string): Promise<{ file: ContainerFile; bytes: Uint8Array; json: unknown } | null> {
  try {
    const file = await container.stat(name);
    if (!file || file.size > CANDIDATE_LIMIT) return null;
    const bytes = await readSmallFile(container, file, `${container.displayPath}: ${name}`, CANDIDATE_LIMIT);
    return { file, bytes, json: parseJson(bytes, name) };
  } catch (error) {
    if (error instanceof ImgslimError) return null;
    throw error;
  }
}

/** Manifest descriptors listed by index.json, nested indexes included (best effort: manifest.json is authoritative). */
async function indexedDescriptors(container: Container): Promise<Descriptor[]> {
  const found: Descriptor[] = [];
  const visit = async (json: unknown, depth: number): Promise<void> => {
    let manifests: Descriptor[];
    try {
      manifests = parseIndex(json, 'index').manifests;
    } catch {
      return;
    }
    for (const descriptor of manifests) {
      const kind = manifestKindOf(descriptor.mediaType);
      if (kind === 'manifest') found.push(descriptor);
      else if (kind === 'index' && depth < MAX_DEPTH) {
        const parsed = tryParseDigest(descriptor.digest);
        const nested = parsed ? await readJsonBlob(container, blobPathOf(parsed)) : null;
        if (nested) await visit(nested.json, depth + 1);
      }
    }
  };
  const index = await readJsonBlob(container, 'index.json');
  if (index) await visit(index.json, 0);
  return found;
}

function describesImage(json: unknown, configDigest: string, layerDigests: string[]): boolean {
  if (!isObject(json) || !isObject(json.config) || json.config.digest !== configDigest || !Array.isArray(json.layers)) return false;
  const layers = json.layers;
  return layers.length === layerDigests.length && layers.every((layer, index) => isObject(layer) && layer.digest === layerDigests[index]);
}

/**
 * The saved image manifest for this config and these layer members, or null (legacy archives,
 * and Docker 25.0.0 saves whose manifest lists only foreign layers).
 */
export async function findSavedManifest(container: Container, configDigest: string, layerFiles: ContainerFile[]): Promise<ResolvedManifest | null> {
  if (!(await container.has('index.json'))) return null;
  const layerDigests = layerFiles.map((file) => (file.resolvedName.startsWith('blobs/') ? digestFromName(file.resolvedName) : null));
  if (layerDigests.some((digest) => digest === null)) return null;
  const digests = layerDigests as string[];

  const indexed = await indexedDescriptors(container);
  const tried = new Set<string>();
  const candidates: Array<{ name: string; descriptor?: Descriptor }> = [];
  for (const descriptor of indexed) {
    const parsed = tryParseDigest(descriptor.digest);
    if (parsed) candidates.push({ name: blobPathOf(parsed), descriptor });
  }
  const known = new Set([configDigest, ...digests]);
  for (const name of await container.list('blobs')) {
    const digest = digestFromName(name);
    if (digest !== null && !known.has(digest)) candidates.push({ name });
  }

  for (const candidate of candidates) {
    if (tried.has(candidate.name)) continue;
    tried.add(candidate.name);
    const blob = await readJsonBlob(container, candidate.name);
    if (!blob || !describesImage(blob.json, configDigest, digests)) continue;
    const digest = digestFromName(candidate.name)!;
    const label = `${container.displayPath}: image manifest ${candidate.name}`;
    verifyBytes(blob.bytes, { digest, size: blob.file.size }, label);
    const manifest = parseManifest(blob.json, label);
    const descriptor: Descriptor = candidate.descriptor ?? { mediaType: manifest.mediaType ?? MediaType.ociManifest, digest, size: blob.file.size };
    return { descriptor, bytes: blob.bytes, manifest, mediaType: descriptor.mediaType || manifest.mediaType || MediaType.ociManifest };
  }
  return null;
}

/**
 * Pushing an image to a registry (distribution spec): HEAD each blob, mount it from the source
 * repository when it lives on the same registry, else upload it (POST a session, then one PUT, or
 * PATCH chunks and a closing PUT for big blobs); then PUT the manifest by tag or digest. The
 * manifest is the one an OCI layout of the image would hold (planImage), so its digest is known
 * before a byte is sent and checked against what the registry answers.
 */
import { createReadStream } from 'node:fs';
import type { RegistryAccess } from '../../image/index.js';
import { MediaType, shortDigest } from '../../image/index.js';
import { IntegrityError, UsageError } from '../../shared/errors.js';
import { planImage, type PlannedFile, type WritableImage } from '../write/plan.js';
import type { WrittenImage } from '../write/write-image.js';
import { blobPath } from './blob-stream.js';
import { RegistryClient } from './client.js';
import { discardBody } from './http.js';
import { manifestPath } from './manifest.js';
import { describeReference, parseRegistryReference, type RegistryReference } from './reference.js';

export interface PushOptions {
  registry?: RegistryAccess;
  /** Where the source image came from: blobs on the same registry are mounted, not uploaded. */
  mountFrom?: string | null;
  /** Blobs bigger than this are uploaded in chunks of this size (default 64 MiB). */
  chunkSize?: number;
}

export interface PushedImage extends WrittenImage {
  /** `docker://HOST/REPO@sha256:…`. */
  pushed: string;
}

const DEFAULT_CHUNK = 64 * 1024 * 1024;

type Blob = { digest: string; size: number; bytes?: Uint8Array; file?: string };

function blobsOf(files: PlannedFile[], manifestDigest: string): Blob[] {
  const blobs: Blob[] = [];
  for (const file of files) {
    if (!file.name.startsWith('blobs/')) continue;
    const digest = file.name.slice('blobs/'.length).replace('/', ':');
    if (digest === manifestDigest) continue;
    if ('bytes' in file) blobs.push({ digest, size: file.bytes.length, bytes: file.bytes });
    else blobs.push({ digest, size: file.layer.size, file: file.layer.blobPath });
  }
  // Layers before the config, as docker and skopeo push.
  return blobs.sort((a, b) => Number(a.bytes !== undefined) - Number(b.bytes !== undefined));
}

function body(blob: Blob, start = 0, end = blob.size): () => Uint8Array | NodeJS.ReadableStream {
  if (blob.bytes) return () => blob.bytes!.subarray(start, end);
  return () => createReadStream(blob.file!, { start, end: end - 1 });
}

class Pusher {
  private readonly scopes: string[];

  constructor(
    private readonly client: RegistryClient,
    private readonly ref: RegistryReference,
    private readonly mountFrom: RegistryReference | null,
    private readonly chunkSize: number,
  ) {
    this.scopes = [`repository:${ref.repository}:pull,push`];
    if (mountFrom) this.scopes.push(`repository:${mountFrom.repository}:pull`);
  }

  private where(blob: Blob): string {
    return `${describeReference(this.ref)}: blob ${shortDigest(blob.digest)}`;
  }

  async pushBlob(blob: Blob): Promise<void> {
    const head = await this.client.request({ method: 'HEAD', path: blobPath(this.ref.repository, blob.digest), scopes: this.scopes });
    await discardBody(head);
    if (head.status === 200) return;
    const query = this.mountFrom ? `?mount=${encodeURIComponent(blob.digest)}&from=${encodeURIComponent(this.mountFrom.repository)}` : '';
    const start = await this.client.request({ method: 'POST', path: `/v2/${this.ref.repository}/blobs/uploads/${query}`, headers: { 'content-length': '0' }, scopes: this.scopes });
    if (start.status === 201) return void (await discardBody(start));
    if (start.status !== 202 || typeof start.headers.location !== 'string') throw await this.client.failure(start, this.where(blob));
    await discardBody(start);
    let location = this.client.resolveLocation(start.headers.location);
    if (blob.size > this.chunkSize) {
      for (let offset = 0; offset < blob.size; offset += this.chunkSize) {
        const end = Math.min(blob.size, offset + this.chunkSize);
        const patch = await this.client.request({
          method: 'PATCH',
          path: location.href,
          headers: { 'content-type': 'application/octet-stream', 'content-length': String(end - offset), 'content-range': `${offset}-${end - 1}` },
          body: body(blob, offset, end) as () => Uint8Array,
          scopes: this.scopes,
        });
        if (patch.status !== 202 || typeof patch.headers.location !== 'string') throw await this.client.failure(patch, this.where(blob));
        await discardBody(patch);
        location = this.client.resolveLocation(patch.headers.location);
      }
    }
    location.searchParams.set('digest', blob.digest);
    const monolithic = blob.size <= this.chunkSize;
    const put = await this.client.request({
      method: 'PUT',
      path: location.href,
      headers: { 'content-type': 'application/octet-stream', 'content-length': String(monolithic ? blob.size : 0) },
      ...(monolithic ? { body: body(blob) as () => Uint8Array } : {}),
      scopes: this.scopes,
    });
    if (put.status !== 201) throw await this.client.failure(put, this.where(blob));
    await discardBody(put);
  }

  async pushManifest(bytes: Uint8Array, mediaType: string, digest: string): Promise<void> {
    const reference = this.ref.tag ?? digest;
    const put = await this.client.request({
      method: 'PUT',
      path: manifestPath(this.ref.repository, reference),
      headers: { 'content-type': mediaType, 'content-length': String(bytes.length) },
      body: () => bytes,
      scopes: this.scopes,
    });
    if (put.status !== 201) throw await this.client.failure(put, `${describeReference(this.ref)}: manifest`);
    await discardBody(put);
    const stated = put.headers['docker-content-digest'];
    if (typeof stated === 'string' && stated !== digest) {
      throw new IntegrityError(`${describeReference(this.ref)}: the registry stored the manifest as ${stated}, not ${digest}`, { code: 'E_DIGEST_MISMATCH' });
    }
  }
}

/** Pushes `image` to `docker://REF` (`reference` is the text after the prefix). */
export async function pushImage(reference: string, image: WritableImage, options: PushOptions = {}): Promise<PushedImage> {
  const ref = parseRegistryReference(reference);
  const plan = planImage('oci-layout', { ...image, tag: null });
  const manifestDigest = plan.manifestDescriptor.digest;
  if (ref.digest !== null && ref.digest !== manifestDigest) {
    throw new UsageError(`docker://${reference}: the slimmed image's digest is ${manifestDigest}; push it by tag, or by that digest`, { code: 'E_OUTPUT' });
  }
  const source = options.mountFrom ? parseRegistryReference(options.mountFrom) : null;
  const mountFrom = source && source.registry === ref.registry && source.repository !== ref.repository ? source : null;
  const client = new RegistryClient(ref.registry, ref.apiHost, options.registry ?? {});
  try {
    const pusher = new Pusher(client, ref, mountFrom, options.chunkSize ?? DEFAULT_CHUNK);
    for (const blob of blobsOf(plan.files, manifestDigest)) await pusher.pushBlob(blob);
    const manifestFile = plan.files.find((file) => file.name === `blobs/${manifestDigest.replace(':', '/')}`);
    if (!manifestFile || !('bytes' in manifestFile)) throw new UsageError('the planned image has no manifest');
    await pusher.pushManifest(manifestFile.bytes, MediaType.ociManifest, manifestDigest);
    return { manifestDigest, configDigest: plan.configDigest, pushed: describeReference({ ...ref, tag: null, digest: manifestDigest }) };
  } finally {
    client.close();
  }
}

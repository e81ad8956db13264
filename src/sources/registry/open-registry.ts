/**
 * A registry image behind the same ResolvedImage as files: manifest and config read whole and
 * verified, each layer streamed from the registry on open(), resumed when broken, its size and
 * digest verified in flight (IntegrityError at the end: the analysis then uses nothing).
 */
import { verifyStream } from '../../archive/index.js';
import {
  isImageConfigMediaType,
  isObject,
  parseImageConfig,
  parseJson,
  parsePlatform,
  shortDigest,
  type LayerBlob,
  type OpenImageOptions,
  type ResolvedImage,
} from '../../image/index.js';
import { InputError } from '../../shared/errors.js';
import { layerLabel, platformOf } from '../assemble.js';
import { JSON_SIZE_LIMIT, verifyBytes } from '../blobs.js';
import { streamBlob } from './blob-stream.js';
import { RegistryClient } from './client.js';
import { resolveRegistryManifest } from './manifest.js';
import { describeReference, manifestReference, parseRegistryReference } from './reference.js';

async function readWholeBlob(client: RegistryClient, repository: string, descriptor: { digest: string; size: number }, label: string): Promise<Uint8Array> {
  if (descriptor.size > JSON_SIZE_LIMIT) {
    throw new InputError(`${label} is ${descriptor.size} bytes, more than the ${JSON_SIZE_LIMIT}-byte limit for JSON metadata`, { code: 'E_TOO_LARGE' });
  }
  const parts: Uint8Array[] = [];
  for await (const chunk of verifyStream(streamBlob(client, repository, descriptor, label), descriptor, label)) parts.push(chunk);
  const bytes = Buffer.concat(parts);
  verifyBytes(bytes, descriptor, label);
  return bytes;
}

/** Opens `docker://REF` (the text after the prefix is `reference`); `display` names it in messages. */
export async function openRegistryImage(reference: string, display: string, options: OpenImageOptions): Promise<ResolvedImage> {
  const ref = parseRegistryReference(reference);
  const client = new RegistryClient(ref.registry, ref.apiHost, options.registry ?? {});
  try {
    const wanted = options.platform ? parsePlatform(options.platform) : null;
    const where = display;
    const resolved = await resolveRegistryManifest(client, ref.repository, manifestReference(ref), wanted, where);
    const { manifest } = resolved;
    const configLabel = `${where}: config ${shortDigest(manifest.config.digest)}`;
    const configBytes = await readWholeBlob(client, ref.repository, manifest.config, configLabel);
    const configJson = parseJson(configBytes, configLabel);
    if (!isImageConfigMediaType(manifest.config.mediaType) && !(isObject(configJson) && isObject(configJson.rootfs))) {
      throw new InputError(`${where}: not a container image: an OCI artifact (config media type "${manifest.config.mediaType}")`, { code: 'E_ARTIFACT' });
    }
    const config = parseImageConfig(configJson, configLabel, manifest.layers.length);
    const layers: LayerBlob[] = manifest.layers.map((descriptor, index) => {
      const label = layerLabel(where, index, manifest.layers.length, descriptor);
      // The worker copies each chunk into its ring at once; other readers get chunks they may keep.
      const stream = (transient: boolean) => streamBlob(client, ref.repository, descriptor, label, { transient });
      const unverified = { open: () => stream(true), label };
      return {
        index,
        descriptor,
        diffId: config.rootfs.diff_ids[index]!,
        open: () => verifyStream(stream(false), { digest: descriptor.digest, size: descriptor.size }, label),
        unverified,
      };
    });
    return {
      format: 'registry',
      path: display,
      manifest,
      manifestBytes: resolved.bytes,
      manifestDigest: resolved.digest,
      manifestMediaType: resolved.mediaType,
      config,
      configBytes,
      configDigest: manifest.config.digest,
      platform: platformOf(config, resolved.platform),
      reference: describeReference(ref).slice('docker://'.length),
      tags: ref.tag !== null ? [describeReference({ ...ref, digest: null }).slice('docker://'.length)] : [],
      layers,
      close: async () => client.close(),
    };
  } catch (error) {
    client.close();
    throw error;
  }
}

/** Reading an OCI image layout (a directory, or the same inside a tar: an OCI archive). */
import {
  isForeignLayer,
  isImageConfigMediaType,
  isObject,
  parseImageConfig,
  parseIndex,
  parseJson,
  parseOciLayoutFile,
  parsePlatform,
  shortDigest,
  type ImageIndex,
  type OpenImageOptions,
  type ResolvedImage,
  type SourceFormat,
} from '../../image/index.js';
import { InputError } from '../../shared/errors.js';
import { assembleImage, layerLabel } from '../assemble.js';
import { readBlob, readRequiredFile, statBlob } from '../blobs.js';
import type { Container, ContainerFile } from '../container/types.js';
import { resolveManifest } from './resolve.js';
import { chooseTopLevel, refNameOf } from './select.js';

/** Checks the `oci-layout` file: JSON with an `imageLayoutVersion` of 1.x. */
export async function checkLayoutFile(container: Container): Promise<void> {
  const label = `${container.displayPath}: oci-layout`;
  parseOciLayoutFile(parseJson(await readRequiredFile(container, 'oci-layout', label, 64 * 1024), label), label);
}

export async function readLayoutIndex(container: Container): Promise<ImageIndex> {
  const label = `${container.displayPath}: index.json`;
  return parseIndex(parseJson(await readRequiredFile(container, 'index.json', label), label), label);
}

export async function openOciImage(
  container: Container,
  index: ImageIndex,
  options: OpenImageOptions,
  format: SourceFormat,
  close: () => Promise<void>,
): Promise<ResolvedImage> {
  const where = container.displayPath;
  const wanted = options.platform ? parsePlatform(options.platform) : null;
  const position = chooseTopLevel(index.manifests, options.selector, wanted, where);
  const top = index.manifests[position]!;
  const resolved = await resolveManifest(container, top, wanted, where);
  const { manifest } = resolved;

  const configLabel = `${where}: config ${shortDigest(manifest.config.digest)}`;
  const configBytes = await readBlob(container, manifest.config, configLabel);
  const configJson = parseJson(configBytes, configLabel);
  if (!isImageConfigMediaType(manifest.config.mediaType) && !(isObject(configJson) && isObject(configJson.rootfs))) {
    throw new InputError(`${where}: not a container image: an OCI artifact (config media type "${manifest.config.mediaType}")`, {
      code: 'E_ARTIFACT',
    });
  }
  const config = parseImageConfig(configJson, configLabel, manifest.layers.length);

  const layerFiles: ContainerFile[] = [];
  for (const [layerIndex, descriptor] of manifest.layers.entries()) {
    const label = layerLabel(where, layerIndex, manifest.layers.length, descriptor);
    try {
      layerFiles.push(await statBlob(container, descriptor, label));
    } catch (error) {
      if (error instanceof InputError && error.code === 'E_BLOB_MISSING' && isForeignLayer(descriptor.mediaType)) {
        throw new InputError(`${label}: a foreign layer (${descriptor.mediaType}) whose blob is not in the image`, { code: 'E_BLOB_MISSING' });
      }
      throw error;
    }
  }

  const selectedByName = options.selector !== undefined && refNameOf(top) === options.selector;
  const tags = [...new Set(index.manifests.filter((entry) => entry.digest === top.digest).flatMap((entry) => refNameOf(entry) ?? []))];
  return assembleImage(
    {
      format,
      manifest,
      manifestBytes: resolved.bytes,
      manifestDigest: resolved.descriptor.digest,
      manifestMediaType: resolved.mediaType,
      config,
      configBytes,
      configDigest: manifest.config.digest,
      descriptorPlatform: resolved.descriptor.platform,
      reference: selectedByName ? options.selector! : null,
      tags,
      layerFiles,
    },
    container,
    close,
  );
}

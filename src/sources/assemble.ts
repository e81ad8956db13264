/** Builds the ResolvedImage every source returns from what the format-specific reader found. */
import { shortDigest, type Descriptor, type ImageConfig, type LayerBlob, type Platform, type ResolvedImage } from '../image/index.js';
import { openVerified } from './blobs.js';
import type { Container, ContainerFile } from './container/types.js';

export interface ImageParts extends Omit<ResolvedImage, 'path' | 'platform' | 'layers' | 'close'> {
  /** Platform from the index entry that led to the manifest, if any. */
  descriptorPlatform?: Platform;
  /** The file holding each layer, in manifest order. */
  layerFiles: ContainerFile[];
}

/** The image's platform: the config's, with the variant / OS version of the index entry when the config lacks them. */
export function platformOf(config: ImageConfig, fromIndex?: Platform): Platform {
  const platform: Platform = { os: config.os, architecture: config.architecture };
  const variant = config.variant ?? fromIndex?.variant;
  if (variant) platform.variant = variant;
  const osVersion = config['os.version'] ?? fromIndex?.['os.version'];
  if (osVersion) platform['os.version'] = osVersion;
  return platform;
}

export function layerLabel(displayPath: string, index: number, count: number, descriptor: Descriptor): string {
  return `${displayPath}: layer ${index + 1}/${count} ${shortDigest(descriptor.digest)}`;
}

export function assembleImage(parts: ImageParts, container: Container, close: () => Promise<void>): ResolvedImage {
  const count = parts.manifest.layers.length;
  const layers: LayerBlob[] = parts.manifest.layers.map((descriptor, index) => {
    const file = parts.layerFiles[index]!;
    const label = layerLabel(container.displayPath, index, count, descriptor);
    const layer: LayerBlob = {
      index,
      descriptor,
      diffId: parts.config.rootfs.diff_ids[index]!,
      open: () => openVerified(container, file, descriptor, label),
    };
    // A file of another size fails open()'s check; only the stream reports that.
    if (file.size === descriptor.size) layer.file = { ...container.locate(file), size: file.size, digest: descriptor.digest, label };
    return layer;
  });
  return {
    format: parts.format,
    path: container.displayPath,
    manifest: parts.manifest,
    manifestBytes: parts.manifestBytes,
    manifestDigest: parts.manifestDigest,
    manifestMediaType: parts.manifestMediaType,
    config: parts.config,
    configBytes: parts.configBytes,
    configDigest: parts.configDigest,
    platform: platformOf(parts.config, parts.descriptorPlatform),
    reference: parts.reference,
    tags: parts.tags,
    layers,
    close,
  };
}

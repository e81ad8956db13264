/**
 * OCI and Docker media types, and what kind of object each one names. Unknown types are
 * passed through for layers (artifacts use their own), but never guessed for manifests.
 */

export const MediaType = {
  ociLayout: 'application/vnd.oci.layout.header.v1+json',
  ociIndex: 'application/vnd.oci.image.index.v1+json',
  ociManifest: 'application/vnd.oci.image.manifest.v1+json',
  ociConfig: 'application/vnd.oci.image.config.v1+json',
  ociLayer: 'application/vnd.oci.image.layer.v1.tar',
  ociLayerGzip: 'application/vnd.oci.image.layer.v1.tar+gzip',
  ociLayerZstd: 'application/vnd.oci.image.layer.v1.tar+zstd',
  ociLayerNondistributable: 'application/vnd.oci.image.layer.nondistributable.v1.tar',
  ociLayerNondistributableGzip: 'application/vnd.oci.image.layer.nondistributable.v1.tar+gzip',
  ociLayerNondistributableZstd: 'application/vnd.oci.image.layer.nondistributable.v1.tar+zstd',
  dockerManifestList: 'application/vnd.docker.distribution.manifest.list.v2+json',
  dockerManifest: 'application/vnd.docker.distribution.manifest.v2+json',
  dockerManifestV1: 'application/vnd.docker.distribution.manifest.v1+json',
  dockerManifestV1Signed: 'application/vnd.docker.distribution.manifest.v1+prettyjws',
  dockerConfig: 'application/vnd.docker.container.image.v1+json',
  dockerLayer: 'application/vnd.docker.image.rootfs.diff.tar',
  dockerLayerGzip: 'application/vnd.docker.image.rootfs.diff.tar.gzip',
  dockerLayerZstd: 'application/vnd.docker.image.rootfs.diff.tar.zstd',
  dockerForeignLayer: 'application/vnd.docker.image.rootfs.foreign.diff.tar.gzip',
} as const;

export type LayerCompression = 'gzip' | 'zstd' | 'none';

export type ManifestKind = 'index' | 'manifest';

/** `index` for OCI indexes and Docker manifest lists, `manifest` for image manifests, else null. */
export function manifestKindOf(mediaType: string | undefined): ManifestKind | null {
  switch (mediaType) {
    case MediaType.ociIndex:
    case MediaType.dockerManifestList:
      return 'index';
    case MediaType.ociManifest:
    case MediaType.dockerManifest:
      return 'manifest';
    default:
      return null;
  }
}

export function isDockerManifestV1(mediaType: string | undefined): boolean {
  return mediaType === MediaType.dockerManifestV1 || mediaType === MediaType.dockerManifestV1Signed;
}

export function isImageConfigMediaType(mediaType: string | undefined): boolean {
  return mediaType === MediaType.ociConfig || mediaType === MediaType.dockerConfig;
}

/** Layers that registries may refuse to host: their blob may legitimately be absent. */
export function isForeignLayer(mediaType: string): boolean {
  return mediaType === MediaType.dockerForeignLayer || mediaType.startsWith('application/vnd.oci.image.layer.nondistributable.');
}

/** The compression a layer media type declares, or null when the type does not say (artifacts). */
export function layerCompressionOf(mediaType: string): LayerCompression | null {
  switch (mediaType) {
    case MediaType.ociLayer:
    case MediaType.ociLayerNondistributable:
    case MediaType.dockerLayer:
      return 'none';
    case MediaType.ociLayerGzip:
    case MediaType.ociLayerNondistributableGzip:
    case MediaType.dockerLayerGzip:
    case MediaType.dockerForeignLayer:
      return 'gzip';
    case MediaType.ociLayerZstd:
    case MediaType.ociLayerNondistributableZstd:
    case MediaType.dockerLayerZstd:
      return 'zstd';
    default:
      return null;
  }
}

/** The layer media type for a compression in the OCI or the Docker family. */
export function layerMediaType(family: 'oci' | 'docker', compression: LayerCompression): string {
  if (family === 'oci') {
    return compression === 'gzip' ? MediaType.ociLayerGzip : compression === 'zstd' ? MediaType.ociLayerZstd : MediaType.ociLayer;
  }
  return compression === 'gzip' ? MediaType.dockerLayerGzip : compression === 'zstd' ? MediaType.dockerLayerZstd : MediaType.dockerLayer;
}

/**
 * Translates a layer media type into the OCI or Docker family, keeping its compression.
 * Types outside both families (artifacts, foreign layers) are returned unchanged.
 */
export function convertLayerMediaType(mediaType: string, family: 'oci' | 'docker'): string {
  if (isForeignLayer(mediaType)) return mediaType;
  const compression = layerCompressionOf(mediaType);
  return compression === null ? mediaType : layerMediaType(family, compression);
}

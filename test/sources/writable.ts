/** A built image as writeImage input: its layer blobs written to files under `dir`. */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { WritableImage } from '../../src/sources/index.js';
import type { BuiltImage } from '../helpers/image-builder.js';

/** The built image as writeImage input, its blobs written to files. */
export function writable(image: BuiltImage, dir: string, extra: Partial<WritableImage> = {}): WritableImage {
  mkdirSync(dir, { recursive: true });
  const layers = image.layers.map((layer, index) => {
    const blobPath = join(dir, `layer-${index}`);
    writeFileSync(blobPath, layer.blob);
    return { blobPath, digest: layer.digest, diffId: layer.diffId, size: layer.blob.length, mediaType: layer.mediaType };
  });
  return { config: image.config, layers, ...extra };
}

/** Opening container images from files, directories and stdin; writing them back out. */
import type { pushImage as push } from './registry/index.js';

export { openImage } from './open-image.js';
export { writeImage, type WriteTarget, type WrittenImage } from './write/write-image.js';
export { isOciRefName, type WritableImage, type WriteLayer, type WriteFormat } from './write/plan.js';
export { canonicalJson } from './write/canonical-json.js';
export type { PushOptions, PushedImage } from './registry/index.js';
export { parseImageSource, resolveImageArgument, isRegistryArgument, REGISTRY_PREFIX, type ImageSource } from './transport.js';

/** Pushes `image` (registry/push.ts); the registry client loads only when an image is pushed. */
export async function pushImage(...args: Parameters<typeof push>): ReturnType<typeof push> {
  return (await import('./registry/index.js')).pushImage(...args);
}

/** Opening container images from files, directories and stdin; writing them back out. */
export { openImage } from './open-image.js';
export { writeImage, type WriteTarget, type WrittenImage } from './write/write-image.js';
export { isOciRefName, type WritableImage, type WriteLayer, type WriteFormat } from './write/plan.js';
export { canonicalJson } from './write/canonical-json.js';
export { pushImage, type PushOptions, type PushedImage } from './registry/index.js';
export { parseImageSource, resolveImageArgument, isRegistryArgument, REGISTRY_PREFIX, type ImageSource } from './transport.js';

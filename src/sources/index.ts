/** Opening container images from files, directories and stdin; writing them back out. */
export { openImage } from './open-image.js';
export { writeImage, type WriteTarget, type WrittenImage } from './write/write-image.js';
export { isOciRefName, type WritableImage, type WriteLayer, type WriteFormat } from './write/plan.js';
export { canonicalJson } from './write/canonical-json.js';
export { parseImageSource, resolveImageArgument, isRegistryArgument, type ImageSource } from './transport.js';

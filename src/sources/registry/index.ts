/** Reading images from a registry and pushing them to one (the distribution spec). */
export { openRegistryImage } from './open-registry.js';
export { parseRegistryReference, describeReference, type RegistryReference } from './reference.js';
export { pushImage, type PushOptions, type PushedImage } from './push.js';

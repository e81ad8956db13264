/** The image model: types, media types, platforms, references, digests and JSON parsing. */
export type * from './types.js';
export { SOURCE_FORMATS } from './types.js';
export * from './media-types.js';
export * from './platform.js';
export * from './reference.js';
export * from './digest.js';
export { parseJson, parseIndex, parseManifest, parseImageConfig, parseDescriptor, parseOciLayoutFile, isObject } from './parse.js';
export { checkImageSchema, explainImageSchema, matchesImageSchema, type ImageSchemaName } from './schema/index.js';

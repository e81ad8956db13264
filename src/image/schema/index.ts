/**
 * Schemas of untrusted image JSON (OCI/Docker index, manifest, descriptor, config, oci-layout,
 * docker-save manifest.json), validated once at the boundary by validators compiled ahead of
 * time. Registry sources validate what they fetch with the same functions.
 */
export { checkImageSchema, explainImageSchema, matchesImageSchema, type ImageSchemaName } from './validate.js';

/** SBOMs of an analysed image: pure functions from a Report to CycloneDX 1.6 and SPDX 2.3 JSON documents. */
export { cyclonedxDocument } from './cyclonedx.js';
export { spdxDocument } from './spdx.js';
export type { SbomOptions } from './identity.js';
export { packagePurl, goModulePurl } from './purl.js';

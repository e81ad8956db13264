/**
 * The change set between two images, pure over their Reports. Light on purpose: types and
 * functions only; the TypeBox schema (`imgslim schema diff`) is in `diff/schema.js`.
 */
export { diffReports, hasFileDigests } from './diff.js';
export { DIFF_SCHEMA_VERSION } from './version.js';
export type * from './schema.js';

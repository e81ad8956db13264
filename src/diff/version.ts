/** The diff document's schema version (`imgslim diff --format json`); bump on any incompatible change to schema.ts. */
export const DIFF_SCHEMA_VERSION = '1.0.0';

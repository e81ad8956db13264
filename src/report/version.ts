/** The Report's schema version: bump it on any incompatible change to src/report/schema.ts. */
export const SCHEMA_VERSION = '1.10.0';

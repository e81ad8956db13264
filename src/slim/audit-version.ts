/** The audit file's format version: bump it on any incompatible change to audit-schema.ts. */
export const AUDIT_VERSION = '1.1.0';

/**
 * Document identity that depends only on the image and the tool: the same image analysed by
 * the same version gives the same SBOM byte for byte. The creation time is the image's own
 * (config `created`), or a fixed epoch when it has none; callers may set both.
 */
import { createHash } from 'node:crypto';
import type { Report } from '../report/index.js';

export interface SbomOptions {
  /** ISO 8601 time the document claims to be created (default: the image's `created`, else the Unix epoch). */
  created?: string;
  /** RFC 4122 UUID naming the document (default: a name-based UUID of the image digest, tool and format). */
  uuid?: string;
}

const EPOCH = '1970-01-01T00:00:00Z';
/** RFC 4122's URL namespace UUID, for name-based (version 5) UUIDs. */
const URL_NAMESPACE = Buffer.from('6ba7b8119dad11d180b400c04fd430c8', 'hex');

export function documentCreated(report: Report, options: SbomOptions): string {
  const created = options.created ?? report.config.created;
  if (!created) return EPOCH;
  const time = Date.parse(created);
  // Whole seconds in UTC, the form both formats show in their examples.
  return Number.isNaN(time) ? EPOCH : new Date(Math.floor(time / 1000) * 1000).toISOString().replace('.000Z', 'Z');
}

export function documentUuid(report: Report, format: string, options: SbomOptions): string {
  if (options.uuid) return options.uuid;
  return uuidV5(`imgslim:${report.tool.version}:${format}:${report.source.manifestDigest}`);
}

/** The version 5 (SHA-1, name-based) UUID of `name` in the URL namespace. */
export function uuidV5(name: string): string {
  const hash = createHash('sha1').update(URL_NAMESPACE).update(name, 'utf8').digest();
  hash[6] = (hash[6]! & 0x0f) | 0x50;
  hash[8] = (hash[8]! & 0x3f) | 0x80;
  const hex = hash.subarray(0, 16).toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** The image's display name: its reference or first tag, else the path it was read from. */
export function imageName(report: Report): string {
  return report.source.reference ?? report.source.tags[0] ?? report.source.path;
}

/** Hex of a `sha256:<hex>` digest, or null for another algorithm. */
export function sha256Hex(digest: string | null): string | null {
  return digest?.startsWith('sha256:') ? digest.slice(7) : null;
}

/** Hex SHA-256 inside a go.sum `h1:` hash (base64 of a SHA-256), as syft reports it; null otherwise. */
export function goSumSha256(sum: string | null): string | null {
  if (!sum?.startsWith('h1:')) return null;
  const bytes = Buffer.from(sum.slice(3), 'base64');
  return bytes.length === 32 ? bytes.toString('hex') : null;
}

/** Drops undefined fields: optional fields of both formats are absent, never null. */
export function compact(object: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(object).filter(([, value]) => value !== undefined));
}

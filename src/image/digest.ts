/**
 * Content digests (`sha256:<64 hex>`, `sha512:<128 hex>`). Validated strictly before any
 * digest becomes part of a path, so `sha256:../../etc/passwd` can never name a file.
 */
import { InputError } from '../shared/errors.js';

export type DigestAlgorithm = 'sha256' | 'sha512';

const HEX_LENGTH: Record<DigestAlgorithm, number> = { sha256: 64, sha512: 128 };

export interface ParsedDigest {
  algorithm: DigestAlgorithm;
  hex: string;
}

/** The digest's parts, or null when it is not a supported, well-formed digest. */
export function tryParseDigest(text: unknown): ParsedDigest | null {
  if (typeof text !== 'string') return null;
  const colon = text.indexOf(':');
  const algorithm = text.slice(0, colon);
  const hex = text.slice(colon + 1);
  if (algorithm !== 'sha256' && algorithm !== 'sha512') return null;
  if (hex.length !== HEX_LENGTH[algorithm] || !/^[0-9a-f]+$/.test(hex)) return null;
  return { algorithm, hex };
}

/** Parses a digest found in `where` (for the message), or throws InputError. */
export function parseDigest(text: unknown, where: string): ParsedDigest {
  const parsed = tryParseDigest(text);
  if (parsed) return parsed;
  const shown = typeof text === 'string' ? `"${text.length > 80 ? `${text.slice(0, 80)}…` : text}"` : String(text);
  throw new InputError(`${where}: invalid digest ${shown} (expected sha256:<64 hex> or sha512:<128 hex>)`, { code: 'E_DIGEST' });
}

/** `blobs/sha256/<hex>`: where an OCI image layout stores a blob. */
export function blobPathOf(digest: ParsedDigest): string {
  return `blobs/${digest.algorithm}/${digest.hex}`;
}

export { shortDigest } from '../shared/digest.js';

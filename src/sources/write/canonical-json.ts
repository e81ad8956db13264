/**
 * Canonical JSON: object keys sorted by UTF-16 code unit at every level, no insignificant
 * whitespace, `undefined` members dropped. The same value always gives the same bytes, hence the
 * same digest. Serialised by hand because JS objects put integer-like keys first. Nesting is
 * bounded: values come from validated, depth-checked JSON (shared/json.ts), so anything deeper
 * is a bug, reported as one rather than as a stack overflow.
 */
import { BugError } from '../../shared/errors.js';
import { MAX_JSON_DEPTH } from '../../shared/json.js';

/** Our own additions (a manifest around a config) sit a few levels above parsed JSON. */
const MAX_DEPTH = MAX_JSON_DEPTH + 8;

export function canonicalJson(value: unknown, depth = 0): string {
  if (value === null || typeof value === 'boolean' || typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new TypeError(`canonical JSON cannot hold ${value}`);
    return JSON.stringify(value);
  }
  if (typeof value === 'object' && depth >= MAX_DEPTH) throw new BugError(`canonical JSON: a value nested more than ${MAX_DEPTH} levels deep`);
  if (Array.isArray(value)) {
    return `[${value.map((item) => (item === undefined || typeof item === 'function' ? 'null' : canonicalJson(item, depth + 1))).join(',')}]`;
  }
  if (typeof value === 'object') {
    const object = value as Record<string, unknown>;
    const members = Object.keys(object)
      .filter((key) => object[key] !== undefined && typeof object[key] !== 'function')
      .sort()
      .map((key) => `${JSON.stringify(key)}:${canonicalJson(object[key], depth + 1)}`);
    return `{${members.join(',')}}`;
  }
  throw new TypeError(`canonical JSON cannot hold a ${typeof value}`);
}

export function canonicalJsonBytes(value: unknown): Uint8Array {
  return new TextEncoder().encode(canonicalJson(value));
}

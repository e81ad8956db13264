/**
 * OCI/AUFS whiteout names (image-spec layer.md "Whiteouts"): `.wh.NAME` deletes the sibling
 * NAME from lower layers; `.wh..wh..opq` makes its directory opaque. Validation follows
 * containerd's validateWhiteout: the deleted path must stay strictly inside the marker's
 * directory, so `.wh.` (itself), `.wh..` (the directory) and `.wh...` (its parent) are invalid.
 */
import { InputError } from '../shared/errors.js';
import { baseOf, joinPath, parentOf } from './paths.js';

export const WHITEOUT_PREFIX = '.wh.';
export const OPAQUE_MARKER = '.wh..wh..opq';

export type WhiteoutKind = { kind: 'whiteout'; target: string } | { kind: 'opaque'; dir: string };

/** Classifies a normalised path: a whiteout of `target`, an opaque marker for `dir`, or null for an ordinary entry. */
export function classifyWhiteout(path: string): WhiteoutKind | null {
  const base = baseOf(path);
  if (!base.startsWith(WHITEOUT_PREFIX)) return null;
  const dir = parentOf(path);
  if (base === OPAQUE_MARKER) return { kind: 'opaque', dir };
  const name = base.slice(WHITEOUT_PREFIX.length);
  if (name === '' || name === '.' || name === '..') {
    throw new InputError(`invalid whiteout ${JSON.stringify(path)}: it does not name an entry inside ${dir}`, {
      code: 'E_INVALID_WHITEOUT',
    });
  }
  return { kind: 'whiteout', target: joinPath(dir, name) };
}

/** The tar name (normalised) a whiteout or opaque entry was read from, for tools that key on it (dive). */
export function whiteoutMarkerPath(entry: { type: string; path: string }): string {
  if (entry.type === 'opaque') return joinPath(entry.path, OPAQUE_MARKER);
  if (entry.type === 'whiteout') return joinPath(parentOf(entry.path), WHITEOUT_PREFIX + baseOf(entry.path));
  return entry.path;
}

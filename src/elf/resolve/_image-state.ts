/**
 * Image-wide loader inputs (ld.so.cache, ld.so.conf, musl path files), read once per
 * FileLookup and shared by every resolution over it. Held in a WeakMap: no global state
 * outlives the lookup.
 */
import { isImgslimError } from '../../shared/errors.js';
import type { FileLookup } from '../types.js';
import { parseLdSoCache } from './ld-so-cache.js';
import { readLdSoConfEntries, type LdSoConfDir } from './ld-so-conf.js';
import type { ImageLibc, LdSoCacheEntry } from './types.js';

export const LD_SO_CACHE = '/etc/ld.so.cache';

export interface CacheState {
  /** Entries glibc would search; empty when the file is absent or unusable. */
  entries: LdSoCacheEntry[];
  /** The entries by library name, in cache order: a lookup is one Map get, not a scan. */
  byName: Map<string, LdSoCacheEntry[]>;
  present: boolean;
  /** Why a present cache is ignored (corrupt), else null. */
  error: string | null;
}

interface ImageState {
  cache?: CacheState;
  conf?: LdSoConfDir[];
  muslPath: Map<string, string | null>;
  libc: Map<string, ImageLibc>;
}

const states = new WeakMap<FileLookup, ImageState>();

function stateOf(lookup: FileLookup): ImageState {
  let state = states.get(lookup);
  if (!state) {
    state = { muslPath: new Map(), libc: new Map() };
    states.set(lookup, state);
  }
  return state;
}

/** A small file's bytes after following symlinks inside the image, or null. */
function readImageFile(lookup: FileLookup, path: string): Uint8Array | null {
  const found = lookup.resolve(path);
  return found?.kind === 'file' ? lookup.readFile(found.path) : null;
}

export function ldSoCache(lookup: FileLookup): CacheState {
  const state = stateOf(lookup);
  if (!state.cache) {
    const bytes = readImageFile(lookup, LD_SO_CACHE);
    if (!bytes) state.cache = { entries: [], byName: new Map(), present: false, error: null };
    else {
      try {
        const entries = parseLdSoCache(bytes);
        state.cache = { entries, byName: indexByName(entries), present: true, error: null };
      } catch (error) {
        if (!isImgslimError(error)) throw error;
        state.cache = { entries: [], byName: new Map(), present: true, error: error.message };
      }
    }
  }
  return state.cache;
}

function indexByName(entries: readonly LdSoCacheEntry[]): Map<string, LdSoCacheEntry[]> {
  const byName = new Map<string, LdSoCacheEntry[]>();
  for (const entry of entries) {
    const list = byName.get(entry.name);
    if (list) list.push(entry);
    else byName.set(entry.name, [entry]);
  }
  return byName;
}

export function ldSoConf(lookup: FileLookup): LdSoConfDir[] {
  const state = stateOf(lookup);
  state.conf ??= readLdSoConfEntries(lookup);
  return state.conf;
}

/**
 * Contents of a musl `/etc/ld-musl-<arch>.path` file: null when absent, '' when it exists but
 * cannot be read (a directory: open succeeds, read fails). A regular file whose bytes the
 * lookup did not keep counts as absent (musl's default path is the closest guess).
 */
export function muslPathFile(lookup: FileLookup, file: string): string | null {
  const state = stateOf(lookup);
  if (!state.muslPath.has(file)) {
    const found = lookup.resolve(file);
    let value: string | null = null;
    // open() succeeds on anything that exists; a read that fails leaves musl with no system path.
    if (found?.kind === 'file') {
      const bytes = lookup.readFile(found.path);
      value = bytes ? Buffer.from(bytes).toString('utf8') : null;
    } else if (found) value = '';
    state.muslPath.set(file, value);
  }
  return state.muslPath.get(file) ?? null;
}

export function memoLibc(lookup: FileLookup, key: string, compute: () => ImageLibc): ImageLibc {
  const state = stateOf(lookup);
  let libc = state.libc.get(key);
  if (!libc) {
    libc = compute();
    state.libc.set(key, libc);
  }
  return libc;
}

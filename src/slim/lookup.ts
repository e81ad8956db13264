/**
 * A path lookup in the final filesystem that records every entry it touches, so the slimmed
 * image can hold the same lookup: each symlink followed on the way (`/lib64` → `usr/lib64`,
 * then `/usr/lib64/ld-linux-x86-64.so.2` → `/lib/x86_64-linux-gnu/…`, then `/lib` → `usr/lib`)
 * and the entry it ends at. Kernel rules: absolute targets restart at the root, `..` climbs the
 * real parent and never above `/`, at most 40 symlinks (ELOOP).
 */
import type { FinalEntry } from '../fs/index.js';

const MAX_SYMLINKS = 40;

export interface LookupTrail {
  /** The canonical path of the entry the lookup ends at, or null when it fails. */
  final: string | null;
  /** Canonical paths of the symlinks followed, in order. */
  symlinks: string[];
}

export function lookupTrail(entries: ReadonlyMap<string, FinalEntry<unknown>>, path: string, followLast = true): LookupTrail {
  const symlinks: string[] = [];
  const pending = names(path).reverse();
  let dir = '/';
  let hops = 0;
  for (let name = pending.pop(); name !== undefined; name = pending.pop()) {
    if (name === '..') {
      dir = parentOf(dir);
      continue;
    }
    const full = dir === '/' ? `/${name}` : `${dir}/${name}`;
    const entry = entries.get(full);
    if (!entry) return { final: null, symlinks };
    const last = pending.length === 0;
    if (entry.type === 'symlink' && (!last || followLast)) {
      const target = entry.linkTarget ?? '';
      if (target === '' || ++hops > MAX_SYMLINKS) return { final: null, symlinks };
      symlinks.push(full);
      if (target.startsWith('/')) dir = '/';
      pending.push(...names(target).reverse());
      continue;
    }
    if (last) return { final: full, symlinks };
    if (entry.type !== 'directory') return { final: null, symlinks };
    dir = full;
  }
  return { final: dir, symlinks };
}

function names(path: string): string[] {
  return path.split('/').filter((name) => name !== '' && name !== '.');
}

export function parentOf(path: string): string {
  const slash = path.lastIndexOf('/');
  return slash <= 0 ? '/' : path.slice(0, slash);
}

/** Every ancestor directory of a canonical path, `/` excluded, outermost first. */
export function ancestorsOf(path: string): string[] {
  const result: string[] = [];
  for (let at = path.indexOf('/', 1); at > 0; at = path.indexOf('/', at + 1)) result.push(path.slice(0, at));
  return result;
}

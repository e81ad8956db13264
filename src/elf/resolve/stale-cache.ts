/**
 * An image-wide check that /etc/ld.so.cache matches /etc/ld.so.conf. ldconfig records each
 * library of the configured directories under its SONAME (`dir/SONAME`); ld.so reads only the
 * cache, so a library installed after the last ldconfig run is invisible unless it also sits
 * in a system directory. Directories are compared by canonical path: on a merged-/usr image
 * (/lib → usr/lib) ldconfig records /usr/lib/x86_64-linux-gnu's libraries once, under the first
 * name ld.so.conf gives it (/lib/x86_64-linux-gnu), and checks that directory once.
 */
import type { FileLookup } from '../types.js';
import { ldSoCache, ldSoConf, LD_SO_CACHE } from './_image-state.js';
import { archFacts } from './_machine.js';
import { joinPath } from './_search-path.js';

/** One line per ld.so.conf directory whose libraries the cache lacks (empty when the cache is current). */
export function staleLdSoCache(lookup: FileLookup): string[] {
  const conf = ldSoConf(lookup);
  if (conf.length === 0) return [];
  const cache = ldSoCache(lookup);
  const canonical = canonicalDirs(lookup);
  const cached = new Map<string, number[]>(); // canonical dir/name → the flags recorded for it
  for (const entry of cache.entries) {
    const slash = entry.path.lastIndexOf('/');
    const key = joinPath(canonical(entry.path.slice(0, slash) || '/'), entry.path.slice(slash + 1));
    cached.set(key, [...(cached.get(key) ?? []), entry.flags]);
  }
  const checked = new Set<string>();
  const notes: string[] = [];
  for (const { dir, source } of conf) {
    const dirKey = canonical(dir);
    if (checked.has(dirKey)) continue;
    checked.add(dirKey);
    const missing: string[] = [];
    for (const name of lookup.list(dir) ?? []) {
      if (!/\.so(\.[\w.]+)?$/.test(name)) continue;
      const found = lookup.resolve(joinPath(dir, name));
      const elf = found?.kind === 'file' ? lookup.elf(found.path) : null;
      const soname = elf?.type === 'DYN' ? elf.dynamic?.soname : null;
      if (!elf || !soname || missing.includes(soname)) continue;
      const accepted = archFacts(elf).cacheFlags.accepted;
      const flags = cached.get(joinPath(dirKey, soname)) ?? [];
      if (!flags.some((flag) => accepted.includes(flag))) missing.push(soname);
    }
    if (missing.length === 0) continue;
    const names = missing.length <= 3 ? missing.join(', ') : `${missing.slice(0, 3).join(', ')} and ${missing.length - 3} more`;
    notes.push(
      cache.present && !cache.error
        ? `${LD_SO_CACHE} is stale: ${dir} (listed in ${source}) has ${names}, which the cache lacks (run ldconfig in the image build)`
        : `${dir} (listed in ${source}) has ${names}, but the image has no usable ${LD_SO_CACHE} and ld.so never reads ld.so.conf (run ldconfig in the image build)`,
    );
  }
  return notes;
}

/** The canonical path of a directory in the image (symlinks followed inside it), memoised; itself when it cannot be resolved. */
function canonicalDirs(lookup: FileLookup): (dir: string) => string {
  const known = new Map<string, string>();
  return (dir) => {
    let path = known.get(dir);
    if (path === undefined) {
      const found = lookup.resolve(dir);
      path = found?.kind === 'directory' ? found.path : dir;
      known.set(dir, path);
    }
    return path;
  };
}

/**
 * /etc/ld.so.conf as glibc's ldconfig (elf/ldconfig.c `parse_conf`, `parse_conf_include`,
 * `add_dir_1`) reads it. The loader never reads it at run time: only the cache ldconfig
 * builds from it counts, so this is used to explain a stale or missing cache.
 */
import type { FileLookup } from '../types.js';
import { globPaths } from './_glob.js';

export interface LdSoConfDir {
  dir: string;
  /** The configuration file that listed it. */
  source: string;
}

const MAX_INCLUDE_DEPTH = 16;

/** Library directories listed by `path` and the files it includes, in ldconfig's order. */
export function readLdSoConf(lookup: FileLookup, path = '/etc/ld.so.conf'): string[] {
  return readLdSoConfEntries(lookup, path).map((entry) => entry.dir);
}

export function readLdSoConfEntries(lookup: FileLookup, path = '/etc/ld.so.conf'): LdSoConfDir[] {
  const out: LdSoConfDir[] = [];
  const seen = new Set<string>();
  parseConf(lookup, path, 0, (dir, source) => {
    if (seen.has(dir)) return;
    seen.add(dir);
    out.push({ dir, source });
  });
  return out;
}

function parseConf(lookup: FileLookup, file: string, depth: number, add: (dir: string, source: string) => void): void {
  if (depth > MAX_INCLUDE_DEPTH) return;
  const found = lookup.resolve(file);
  const bytes = found?.kind === 'file' ? lookup.readFile(found.path) : null;
  if (!bytes) return;
  for (const raw of Buffer.from(bytes).toString('utf8').split('\n')) {
    const hash = raw.indexOf('#');
    const line = (hash >= 0 ? raw.slice(0, hash) : raw).replace(/^\s+/, '');
    if (line === '') continue;
    if (/^include[ \t]/.test(line)) {
      for (const pattern of line.slice(8).split(/[ \t]/)) {
        if (pattern === '') continue;
        // A relative pattern is taken from the including file's directory.
        const absolute = pattern.startsWith('/') ? pattern : `${dirname(file)}/${pattern}`;
        for (const included of globPaths(lookup, absolute)) parseConf(lookup, included, depth + 1, add);
      }
    } else if (/^hwcap[ \t]/i.test(line)) {
      continue; // "hwcap directive ignored" since glibc 2.37; older versions only used it for legacy subdirs.
    } else {
      const dir = cleanDir(line);
      if (dir) add(dir, file);
    }
  }
}

/** `add_dir_1`: drop a `=TYPE` suffix, trailing whitespace and trailing slashes; only absolute paths are used. */
function cleanDir(line: string): string | null {
  const equal = line.indexOf('=');
  let dir = (equal >= 0 ? line.slice(0, equal) : line).replace(/\s+$/, '');
  while (dir.length > 1 && dir.endsWith('/')) dir = dir.slice(0, -1);
  return dir.startsWith('/') ? dir : null;
}

function dirname(path: string): string {
  const slash = path.lastIndexOf('/');
  return slash <= 0 ? '' : path.slice(0, slash);
}

/**
 * `--keep PATH_OR_GLOB`: paths the user names, looked up like a process would (symlinks on the way
 * kept), directories with their subtrees, ELF files with their closures. A glob's leading literal
 * directories are resolved first, so `/lib/x86_64-linux-gnu/libnss_*` matches on a merged-/usr
 * image where /lib is a symlink. A pattern that matches nothing is a risk, never silently ignored.
 */
import { globToRegExp, hasGlob } from './glob.js';
import { lookupTrail } from './lookup.js';
import type { Planner } from './planner.js';

export function keepPatterns(p: Planner, patterns: readonly string[]): void {
  for (const raw of patterns) {
    const pattern = raw.startsWith('/') ? raw : `/${raw}`;
    const reason = `--keep ${raw}`;
    const matched = hasGlob(pattern) ? keepGlob(p, pattern, reason) : keepPath(p, pattern.replace(/\\(.)/g, '$1'), reason);
    if (!matched) p.risk(null, `--keep ${raw}: nothing in the image matches it`);
  }
}

function keepPath(p: Planner, path: string, reason: string): boolean {
  const found = p.fs.resolveEntry(path);
  if (!found) {
    // A dangling symlink is still something to keep.
    const trail = lookupTrail(p.analysis.merged.entries, path, false);
    if (trail.final === null) return false;
    p.keep.keepLookup(path, reason, { followLast: false });
    return true;
  }
  if (found.entry.type === 'directory') p.keep.keepTree(path, reason);
  else p.keep.keepLookup(path, reason);
  return true;
}

function keepGlob(p: Planner, pattern: string, reason: string): boolean {
  const parts = pattern.split('/');
  const firstGlob = parts.findIndex((part) => hasGlob(part));
  const prefix = parts.slice(0, firstGlob).join('/') || '/';
  const trail = lookupTrail(p.analysis.merged.entries, prefix, true);
  if (trail.final === null) return false;
  const base = trail.final;
  const regex = globToRegExp(`${base === '/' ? '' : base}/${parts.slice(firstGlob).join('/')}`);
  const matches = [...p.keep.below(base)].filter((path) => regex.test(path));
  if (matches.length === 0) return false;
  for (const link of trail.symlinks) p.keep.keepEntry(link, reason);
  for (const match of matches) {
    if (p.analysis.merged.entries.get(match)?.type === 'directory') p.keep.keepTree(match, reason);
    else p.keep.keepLookup(match, reason, { followLast: true });
  }
  return true;
}

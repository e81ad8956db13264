/**
 * `--keep PATH_OR_GLOB`: paths the user names, looked up like a process would (symlinks on the way
 * kept), directories with their subtrees, ELF files with their closures. A glob's leading literal
 * directories are resolved first, so `/lib/x86_64-linux-gnu/libnss_*` matches on a merged-/usr
 * image where /lib is a symlink. A pattern that matches nothing is a risk, never silently ignored.
 * Globs are the shared dialect (`shared/glob`), the same as policy `paths:`.
 */
import { UsageError } from '../shared/errors.js';
import { compileGlob, hasGlob, type PathMatcher } from '../shared/glob/index.js';
import { lookupTrail } from './lookup.js';
import type { Planner } from './planner.js';

/** Compiles every `--keep` glob, so a malformed one is a usage error before any layer is read. */
export function checkKeepPatterns(patterns: readonly string[]): void {
  for (const pattern of patterns) if (hasGlob(pattern)) keepMatcher(pattern);
}

function keepMatcher(pattern: string): PathMatcher {
  try {
    return compileGlob(pattern);
  } catch (error) {
    throw new UsageError(`--keep: ${(error as Error).message}`, { cause: error });
  }
}

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
  const matcher = keepMatcher(`${base === '/' ? '' : base}/${parts.slice(firstGlob).join('/')}`);
  const matches = [...p.keep.below(base)].filter(matcher);
  if (matches.length === 0) return false;
  for (const link of trail.symlinks) p.keep.keepEntry(link, reason);
  for (const match of matches) {
    if (p.analysis.merged.entries.get(match)?.type === 'directory') p.keep.keepTree(match, reason);
    else p.keep.keepLookup(match, reason, { followLast: true });
  }
  return true;
}

/**
 * Lookups in the final filesystem as a process inside the container sees it: symlinks
 * resolved inside the image root (absolute targets start at the image root, `..` stops at
 * `/`), at most 40 of them (Linux MAXSYMLINKS, then ELOOP). Nothing touches the host.
 */
import { walk } from './_walk.js';
import { treeOf } from './merge.js';
import { sortBytewise } from './paths.js';
import type { MergedFilesystem, ResolvedPath } from './types.js';
import { lexicalPath } from '../shared/lexical-path.js';

/** Linux follows at most 40 symlinks in one lookup before failing with ELOOP. */
export const MAX_SYMLINK_HOPS = 40;

/**
 * Resolves `path` (absolute; a relative one is taken from `/`). With `followLast` (the
 * default) a symlink in the last component is followed too, like stat(2); without, like lstat(2).
 * null when a component is missing, a non-directory is traversed, or a loop exceeds 40 hops.
 */
export function resolvePath<P>(
  fs: MergedFilesystem<P>,
  path: string,
  options: { followLast?: boolean } = {},
): ResolvedPath<P> | null {
  const tree = treeOf(fs);
  const names = path.split('/');
  const chain = [lexicalPath(names)];
  const result = walk(tree, names, {
    followLast: options.followLast ?? true,
    maxHops: MAX_SYMLINK_HOPS,
    onHop: (next) => chain.push(next),
  });
  if (result.kind !== 'found') return null;
  const entry = result.node.entry;
  if (chain[chain.length - 1] !== entry.path) chain.push(entry.path);
  return { path: entry.path, chain, entry };
}

/** Names in directory `dir` (symlinks to directories followed, like `ls dir/`), byte-sorted; null if it is not a directory. */
export function listDirectory<P>(fs: MergedFilesystem<P>, dir: string): string[] | null {
  const result = walk(treeOf(fs), dir.split('/'), { followLast: true, maxHops: MAX_SYMLINK_HOPS });
  if (result.kind !== 'found' || !result.node.children) return null;
  return sortBytewise([...result.node.children.keys()]);
}


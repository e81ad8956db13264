/**
 * Path lookup inside the image root, the way the kernel does it under chroot and the way
 * containerd's fs.RootPath bounds it: symlinks are followed component by component, absolute
 * targets restart at the image root, `..` never climbs above it, and a hop budget stops
 * loops. Components that do not exist are carried lexically (RootPath treats a missing
 * component as a plain name, so the caller can create it). Iterative: a pending-name stack.
 */
import type { FsNode, FsTree } from './_tree.js';

export type WalkResult<P> =
  | { kind: 'found'; node: FsNode<P> }
  /** `dir` is the deepest existing directory; `rest` are the names below it that do not exist. */
  | { kind: 'missing'; dir: FsNode<P>; rest: string[] }
  /** `node` is not a directory but a further name was looked up inside it (ENOTDIR). */
  | { kind: 'notdir'; node: FsNode<P> }
  /** More symlinks than the budget (ELOOP). */
  | { kind: 'loop' }
  /** A symlink with an empty target (ENOENT). */
  | { kind: 'broken'; node: FsNode<P> };

export interface WalkOptions {
  /** Follow a symlink in the last component (stat vs lstat). */
  followLast: boolean;
  maxHops: number;
  /** Called after every hop with the full path the walk continues from. */
  onHop?: (path: string) => void;
}

// Scratch stacks reused across calls (walk never re-enters itself).
const pending: string[] = [];
const missing: string[] = [];

export function walk<P>(tree: FsTree<P>, names: readonly string[], options: WalkOptions): WalkResult<P> {
  pending.length = 0;
  missing.length = 0;
  pushNames(pending, names);
  let current = tree.root;
  let hops = 0;

  for (let name = pending.pop(); name !== undefined; name = pending.pop()) {
    if (name === '..') {
      if (missing.length > 0) missing.pop();
      else current = current.parent ?? current;
      continue;
    }
    if (missing.length > 0) {
      missing.push(name);
      continue;
    }
    const child = current.children!.get(name);
    if (!child) {
      missing.push(name);
      continue;
    }
    const isLast = pending.length === 0;
    if (child.entry.type === 'symlink' && (!isLast || options.followLast)) {
      const target = child.entry.linkTarget ?? '';
      if (target === '') return { kind: 'broken', node: child };
      if (++hops > options.maxHops) return { kind: 'loop' };
      if (target.startsWith('/')) current = tree.root;
      pushNames(pending, target.split('/'));
      options.onHop?.(describe(current, pending));
      continue;
    }
    if (isLast) return { kind: 'found', node: child };
    if (child.children === null) return { kind: 'notdir', node: child };
    current = child;
  }
  return missing.length > 0 ? { kind: 'missing', dir: current, rest: [...missing] } : { kind: 'found', node: current };
}

/** Pushes names so that the first one is popped first, dropping empty and `.` names. */
function pushNames(pending: string[], names: readonly string[]): void {
  for (let i = names.length - 1; i >= 0; i--) {
    const name = names[i]!;
    if (name !== '' && name !== '.') pending.push(name);
  }
}

/** `current` + the pending names, `..` folded lexically (for display in symlink chains). */
function describe<P>(current: FsNode<P>, pending: readonly string[]): string {
  const parts = current.entry.path === '/' ? [] : current.entry.path.slice(1).split('/');
  for (let i = pending.length - 1; i >= 0; i--) {
    const name = pending[i]!;
    if (name === '..') parts.pop();
    else parts.push(name);
  }
  return '/' + parts.join('/');
}

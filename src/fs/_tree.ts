/**
 * The mutable directory tree the merge builds: nodes linked to their parent, directories
 * holding their children by name, and a path index kept in sync so every final path is one
 * Map lookup. All traversals are iterative.
 */
import { joinPath } from './paths.js';
import type { FinalEntry } from './types.js';

export interface FsNode<P> {
  name: string;
  parent: FsNode<P> | null;
  /** Non-null exactly for directories. */
  children: Map<string, FsNode<P>> | null;
  entry: FinalEntry<P>;
  /** The application step (one per layer, see FsTree.nextGeneration) that created this node. */
  born: number;
}

/** Metadata of a directory the runtime creates itself (containerd mkparent: 0755 root:root). */
export function implicitDirectory<P>(path: string, layer: number, inode: number): FinalEntry<P> {
  return { path, type: 'directory', size: 0, mode: 0o755, uid: 0, gid: 0, mtime: 0, linkTarget: null, layer, inode };
}

function depth(path: string): number {
  let count = 0;
  for (let i = 0; i < path.length; i++) if (path.charCodeAt(i) === 0x2f) count++;
  return count;
}

export class FsTree<P> {
  readonly root: FsNode<P>;
  /** Every path except `/`. */
  readonly index = new Map<string, FsNode<P>>();
  private lastInode = 1;
  private lastGeneration = 0;

  constructor() {
    this.root = { name: '', parent: null, children: new Map(), entry: implicitDirectory('/', -1, 1), born: 0 };
  }

  /** A tree over final entries built elsewhere (parents are created implicitly when absent). */
  static fromEntries<P>(root: FinalEntry<P> | undefined, entries: Iterable<FinalEntry<P>>): FsTree<P> {
    const tree = new FsTree<P>();
    if (root) tree.root.entry = root;
    const sorted = [...entries].sort((a, b) => depth(a.path) - depth(b.path));
    for (const entry of sorted) {
      if (entry.path === '/') continue;
      const names = entry.path.slice(1).split('/');
      const name = names.pop()!;
      let dir = tree.root;
      for (const part of names) {
        const next = dir.children?.get(part);
        dir = next ?? tree.add(dir, part, implicitDirectory<P>(joinPath(dir.entry.path, part), entry.layer, tree.newInode()), 0);
        if (!dir.children) break;
      }
      if (dir.children && !dir.children.has(name)) tree.add(dir, name, entry, 0);
    }
    return tree;
  }

  nextGeneration(): number {
    return ++this.lastGeneration;
  }

  newInode(): number {
    return ++this.lastInode;
  }

  get(path: string): FsNode<P> | undefined {
    return path === '/' ? this.root : this.index.get(path);
  }

  /** Adds `name` under directory `dir`; the caller has removed any previous node of that name. */
  add(dir: FsNode<P>, name: string, entry: FinalEntry<P>, generation: number): FsNode<P> {
    const node: FsNode<P> = {
      name,
      parent: dir,
      children: entry.type === 'directory' ? new Map() : null,
      entry,
      born: generation,
    };
    dir.children!.set(name, node);
    this.index.set(entry.path, node);
    return node;
  }

  /** Creates implicit directories for `names` below `dir` and returns the deepest one. */
  mkdirs(dir: FsNode<P>, names: readonly string[], layer: number, generation: number, onCreate: (node: FsNode<P>) => void): FsNode<P> {
    let current = dir;
    for (const name of names) {
      const path = joinPath(current.entry.path, name);
      current = this.add(current, name, implicitDirectory<P>(path, layer, this.newInode()), generation);
      onCreate(current);
    }
    return current;
  }

  /** Detaches `node` and everything below it; `onRemove` sees each removed node, parents first. */
  remove(node: FsNode<P>, onRemove: (node: FsNode<P>) => void): void {
    node.parent?.children?.delete(node.name);
    const stack = [node];
    for (let current = stack.pop(); current; current = stack.pop()) {
      this.index.delete(current.entry.path);
      onRemove(current);
      if (current.children) for (const child of current.children.values()) stack.push(child);
    }
  }

  /** Every node below `dir` (not `dir` itself), parents before children. */
  *descendants(dir: FsNode<P>): Generator<FsNode<P>> {
    const stack = dir.children ? [...dir.children.values()] : [];
    for (let current = stack.pop(); current; current = stack.pop()) {
      yield current;
      if (current.children) for (const child of current.children.values()) stack.push(child);
    }
  }
}

/**
 * What one layer changed, measured as a diff of the tree before and after it: every lower
 * entry the layer replaces or removes is recorded once, every node it creates is listed, and
 * both are compared with what is there once the layer is applied.
 */
import type { LayerChange, LayerFiles } from './types.js';
import { sortBytewise } from './paths.js';
import type { FsNode, FsTree } from './_tree.js';
import type { FinalEntry } from './types.js';

export class LayerChanges<P> {
  /** Entries the layer replaced or removed, as they were before it, by path. */
  private readonly before = new Map<string, FinalEntry<P>>();
  private readonly created: FsNode<P>[] = [];
  /** Regular-file contents this layer wrote, for reclaimable bytes. */
  readonly writtenFiles: Array<{ inode: number; size: number }> = [];

  constructor(
    readonly layer: number,
    /** The tree generation of this layer's nodes. */
    readonly generation: number,
    readonly entryCount: number,
  ) {}

  /** `node` is about to be replaced or removed. */
  touch(node: FsNode<P>): void {
    if (node.born !== this.generation && !this.before.has(node.entry.path)) this.before.set(node.entry.path, node.entry);
  }

  create(node: FsNode<P>): void {
    this.created.push(node);
  }

  /** The counts, and every changed path (what it is now, or was before a removal), sorted by path. */
  summarize(tree: FsTree<P>): { files: LayerFiles; changed: LayerChange[] } {
    const files: LayerFiles = { entries: this.entryCount, added: 0, modified: 0, removed: 0, addedBytes: 0, modifiedBytes: 0 };
    const changes: LayerChange[] = [];
    const record = (entry: FinalEntry<P>, change: LayerChange['change']) =>
      changes.push({ path: entry.path, change, type: entry.type, size: entry.type === 'file' ? entry.size : 0, linkTarget: entry.linkTarget });
    for (const [path, before] of this.before) {
      const after = tree.index.get(path)?.entry;
      if (!after) {
        files.removed++;
        record(before, 'removed');
      } else if (after !== before && !sameDirectory(before, after)) {
        files.modified++;
        if (after.type === 'file') files.modifiedBytes += after.size;
        record(after, 'modified');
      }
    }
    for (const node of this.created) {
      const path = node.entry.path;
      if (tree.index.get(path) !== node || this.before.has(path)) continue; // replaced, removed, or a modification
      files.added++;
      if (node.entry.type === 'file') files.addedBytes += node.entry.size;
      record(node.entry, 'added');
    }
    // Each path is recorded once, so sorting the paths (natively when byte order allows) and
    // looking each change up costs far less than a comparator sort.
    const byPath = new Map(changes.map((change) => [change.path, change]));
    return { files, changed: sortBytewise([...byPath.keys()]).map((path) => byPath.get(path)!) };
  }
}

/** A directory re-listed with identical metadata is not a change (Docker diffs repeat parents). */
function sameDirectory<P>(a: FinalEntry<P>, b: FinalEntry<P>): boolean {
  return (
    a.type === 'directory' &&
    b.type === 'directory' &&
    a.mode === b.mode &&
    a.uid === b.uid &&
    a.gid === b.gid &&
    a.mtime === b.mtime &&
    sameXattrs(a.xattrs, b.xattrs)
  );
}

function sameXattrs(a: Record<string, Uint8Array> = {}, b: Record<string, Uint8Array> = {}): boolean {
  const keys = Object.keys(a);
  if (keys.length !== Object.keys(b).length) return false;
  for (const key of keys) {
    const x = a[key]!;
    const y = b[key];
    if (!y || x.length !== y.length || x.some((byte, i) => byte !== y[i])) return false;
  }
  return true;
}

/**
 * What one layer changed, measured as a diff of the tree before and after it: every path the
 * layer touches is recorded with the entry it had before the layer (or null), then compared
 * with what is there once the layer is applied.
 */
import type { LayerFiles } from '../report/schema.js';
import type { FsTree } from './_tree.js';
import type { FinalEntry } from './types.js';

export class LayerChanges<P> {
  private readonly before = new Map<string, FinalEntry<P> | null>();
  /** Regular-file contents this layer wrote, for reclaimable bytes. */
  readonly writtenFiles: Array<{ inode: number; size: number }> = [];

  constructor(
    readonly layer: number,
    readonly entryCount: number,
  ) {}

  /** `entry` is about to be replaced or removed. */
  touchExisting(entry: FinalEntry<P>): void {
    if (!this.before.has(entry.path)) this.before.set(entry.path, entry);
  }

  /** `path` is about to be created where nothing is now. */
  touchNew(path: string): void {
    if (!this.before.has(path)) this.before.set(path, null);
  }

  summarize(tree: FsTree<P>): LayerFiles {
    const files: LayerFiles = { entries: this.entryCount, added: 0, modified: 0, removed: 0, addedBytes: 0, modifiedBytes: 0 };
    for (const [path, before] of this.before) {
      const after = tree.index.get(path)?.entry;
      if (!before) {
        if (!after) continue;
        files.added++;
        if (after.type === 'file') files.addedBytes += after.size;
      } else if (!after) {
        files.removed++;
      } else if (after !== before && !sameDirectory(before, after)) {
        files.modified++;
        if (after.type === 'file') files.modifiedBytes += after.size;
      }
    }
    return files;
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

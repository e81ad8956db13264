/**
 * The final filesystem exactly as a container runtime builds it from the layers, with what
 * each layer added, modified, removed and left unreachable. Pure: entry lists in, data out.
 */
import { LayerApplier } from './_apply.js';
import { FsTree } from './_tree.js';
import { sortBytewise } from './paths.js';
import type { FinalEntry, FsTotals, LayerEntries, LayerStats, MergedFilesystem, PathRedirect } from './types.js';

/** Applies `layers` in order (lowest first). Throws InputError where a runtime would fail to unpack. */
export function mergeLayers<P>(layers: LayerEntries<P>[]): MergedFilesystem<P> {
  const tree = new FsTree<P>();
  const redirects: PathRedirect[] = [];
  const applied = layers.map((layer) => {
    const { changes } = new LayerApplier(tree, layer, redirects);
    return { changes, ...changes.summarize(tree) };
  });

  const entries = new Map<string, FinalEntry<P>>();
  for (const [path, node] of tree.index) entries.set(path, node.entry);
  const { totals, visibleInodes } = measure(entries.values());

  const stats: LayerStats[] = applied.map(({ changes, files, changed }) => {
    let reclaimableBytes = 0;
    for (const { inode, size } of changes.writtenFiles) if (!visibleInodes.has(inode)) reclaimableBytes += size;
    return { index: changes.layer, ...files, reclaimableBytes, changed };
  });
  return new Merged(tree, entries, stats, totals, redirects);
}

class Merged<P> implements MergedFilesystem<P> {
  readonly reclaimableBytes: number;
  readonly root: FinalEntry<P>;
  private sorted: string[] | undefined;

  constructor(
    /** The tree behind `entries`, for directory listings and path resolution. */
    readonly tree: FsTree<P>,
    readonly entries: Map<string, FinalEntry<P>>,
    readonly layers: LayerStats[],
    readonly totals: FsTotals,
    readonly redirects: PathRedirect[],
  ) {
    this.reclaimableBytes = layers.reduce((sum, layer) => sum + layer.reclaimableBytes, 0);
    this.root = tree.root.entry;
  }

  sortedPaths(): string[] {
    this.sorted ??= sortBytewise([...this.entries.keys()]);
    return this.sorted;
  }
}

/** The tree behind a MergedFilesystem: mergeLayers' own, or one rebuilt (once) from `entries`. */
export function treeOf<P>(fs: MergedFilesystem<P>): FsTree<P> {
  if (fs instanceof Merged) return fs.tree as FsTree<P>;
  let tree = rebuilt.get(fs) as FsTree<P> | undefined;
  if (!tree) {
    tree = FsTree.fromEntries(fs.root, fs.entries.values());
    rebuilt.set(fs, tree);
  }
  return tree;
}

const rebuilt = new WeakMap<MergedFilesystem<unknown>, FsTree<unknown>>();

function measure<P>(entries: Iterable<FinalEntry<P>>): { totals: FsTotals; visibleInodes: Set<number> } {
  const totals: FsTotals = { files: 0, directories: 0, symlinks: 0, hardlinks: 0, other: 0, totalSize: 0 };
  const visibleInodes = new Set<number>();
  for (const entry of entries) {
    switch (entry.type) {
      case 'file':
      case 'hardlink':
        totals.files++;
        if (entry.type === 'hardlink') totals.hardlinks++;
        if (!visibleInodes.has(entry.inode)) {
          visibleInodes.add(entry.inode);
          totals.totalSize += entry.size;
        }
        break;
      case 'directory':
        totals.directories++;
        break;
      case 'symlink':
        totals.symlinks++;
        break;
      default:
        totals.other++;
    }
  }
  return { totals, visibleInodes };
}

/**
 * The `/` filter: one path substring (case-insensitive) applied to the Files tree and the
 * Binaries list. In the tree a match shows with every directory above it unfolded; directories
 * with no match below are hidden.
 */
import type { Binary } from '../../report/index.js';
import type { FileNode, FileTree, TreeRow } from './file-tree.js';

export function pathMatches(path: string, filter: string): boolean {
  return filter === '' || path.toLowerCase().includes(filter.toLowerCase());
}

/** The binaries whose path matches, with their index in the unfiltered list. */
export function filterBinaries(binaries: readonly Binary[], filter: string): Array<{ binary: Binary; index: number }> {
  const all = binaries.map((binary, index) => ({ binary, index }));
  return filter === '' ? all : all.filter(({ binary }) => pathMatches(binary.path, filter));
}

/** Depth-first rows of the matching nodes and the directories that lead to them (folds do not apply). */
export function filteredRows(tree: FileTree, filter: string): TreeRow[] {
  const needle = filter.toLowerCase();
  const rows: TreeRow[] = [];
  const visit = (node: FileNode, depth: number): boolean => {
    const at = rows.length;
    const row: TreeRow = { node, depth, folded: false };
    rows.push(row);
    const self = node.path.toLowerCase().includes(needle);
    let below = false;
    if (node.kind === 'dir') for (const child of node.children) below = visit(child, depth + 1) || below;
    if (!self && !below) {
      rows.length = at; // nothing below was kept either
      return false;
    }
    // A directory that matches only by its own name is shown folded: its contents did not match.
    row.folded = node.kind === 'dir' && !below && node.children.length > 0;
    return true;
  };
  for (const child of tree.root.children) visit(child, 0);
  return rows;
}

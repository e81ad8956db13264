/**
 * The filesystem as a tree with sizes, and for a slim run which files were kept (and why) or
 * dropped. Built once per Report; folding is UI state (a set of directory paths), and
 * `visibleRows` flattens only what is unfolded, so huge trees stay cheap to scroll.
 */
import type { FsEntry, LayerChange, Report } from '../../report/index.js';

export type FileStatus = 'kept' | 'dropped' | 'mixed' | 'plain';
export type FileKind = 'dir' | 'file' | 'symlink' | 'hardlink' | 'other';
/** What a layer did to the path (layer trees only; null in the merged image and for untouched parents). */
export type FileChange = LayerChange['change'] | null;

export interface FileNode {
  name: string;
  /** Absolute path; `/` for the root. */
  path: string;
  kind: FileKind;
  /** Content bytes; a directory's is the sum below it (hard links count 0: their inode is counted once). */
  size: number;
  keptSize: number;
  /** Regular files at or below this node. */
  files: number;
  keptFiles: number;
  linkTarget: string | null;
  /** Why slim kept it. */
  reasons: string[];
  status: FileStatus;
  change: FileChange;
  /** Largest first, then by name. */
  children: FileNode[];
}

export interface FileTree {
  root: FileNode;
  /** `diff`: the paths changed between two images (`imgslim diff`), each marked. */
  mode: 'slim' | 'analyze' | 'diff';
  /** The layer whose changes this tree shows, or null for the merged image (and for a diff). */
  layer: number | null;
}

/** One changed path, as a layer (or a diff of two images) changed it. */
export type ChangedPath = Pick<LayerChange, 'path' | 'change' | 'type' | 'size' | 'linkTarget'>;

/** Whether the tree shows changes (a layer's, or a diff's) with added/modified/removed marks. */
export function showsChanges(tree: FileTree): boolean {
  return tree.layer !== null || tree.mode === 'diff';
}

/** What the Files tree shows: which layer's changes (null: the merged image) with which directories folded. */
export interface TreeView {
  folded: ReadonlySet<string>;
  layer: number | null;
  /** The `/` filter on paths ('' for none); it applies to the Binaries list too. */
  filter: string;
}

export interface TreeRow {
  node: FileNode;
  depth: number;
  folded: boolean;
}

/** In a layer's tree, directories with at most this many entries below start unfolded. */
const LAYER_OPEN_LIMIT = 24;

/** Shared empties: most nodes are files with no reasons and no children. */
const NO_REASONS: string[] = [];
const NO_CHILDREN: FileNode[] = [];

/** A node while the tree is built; every field is set up front so all nodes share one shape. */
type Building = FileNode & { byName: Map<string, Building> | null; listed: boolean };

function newNode(name: string, path: string, kind: FileKind): Building {
  return {
    name,
    path,
    kind,
    size: 0,
    keptSize: 0,
    files: 0,
    keptFiles: 0,
    linkTarget: null,
    reasons: NO_REASONS,
    status: 'plain',
    change: null,
    children: NO_CHILDREN,
    byName: null,
    listed: false,
  };
}

function normalise(path: string): string {
  if (path.startsWith('/') && !path.endsWith('/')) return path;
  const trimmed = path.replace(/\/+$/, '');
  return trimmed.startsWith('/') ? trimmed : `/${trimmed}`;
}

/** Finds or creates the node at `path` (absolute), creating parent directories on the way. */
function nodeAt(root: Building, path: string): Building {
  let node = root;
  for (let start = 1; start < path.length; ) {
    let end = path.indexOf('/', start);
    if (end < 0) end = path.length;
    if (end > start) {
      const name = path.slice(start, end);
      let child = node.byName?.get(name);
      if (!child) {
        child = newNode(name, path.slice(0, end), 'dir');
        (node.byName ??= new Map()).set(name, child);
      }
      node = child;
    }
    start = end + 1;
  }
  return node;
}

function kindOf(entry: Pick<FsEntry, 'type'>): FileKind {
  if (entry.type === 'directory') return 'dir';
  if (entry.type === 'file' || entry.type === 'symlink' || entry.type === 'hardlink') return entry.type;
  return 'other';
}

/** Post-order: sums sizes and counts, settles statuses, turns child maps into sorted arrays. */
function finish(node: Building, slim: boolean, kept: ReadonlyMap<string, { reasons: string[] }>): void {
  if (node.kind !== 'dir') {
    node.status = slim ? (kept.has(node.path) ? 'kept' : 'dropped') : 'plain';
    if (node.status === 'kept') node.keptSize = node.size;
    if (node.kind === 'file' || node.kind === 'hardlink') {
      node.files = 1;
      node.keptFiles = node.status === 'kept' ? 1 : 0;
    }
    return;
  }
  const children = node.byName ? [...node.byName.values()] : [];
  node.byName = null;
  let keptChildren = 0;
  let droppedChildren = 0;
  for (const child of children) {
    finish(child, slim, kept);
    // A layer's removals are shown with what they held, but the layer adds no bytes for them.
    if (child.change === 'removed') continue;
    node.size += child.size;
    node.keptSize += child.keptSize;
    node.files += child.files;
    node.keptFiles += child.keptFiles;
    if (child.status === 'kept') keptChildren++;
    else if (child.status === 'dropped') droppedChildren++;
  }
  children.sort((a, b) => b.size - a.size || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  node.children = children;
  if (!slim) node.status = 'plain';
  else if (children.length === 0) node.status = kept.has(node.path) ? 'kept' : 'dropped';
  else node.status = keptChildren === children.length ? 'kept' : droppedChildren === children.length ? 'dropped' : 'mixed';
}

export function buildFileTree(report: Report): FileTree {
  const root = newNode('/', '/', 'dir');
  const kept = new Map<string, { size: number; reasons: string[] }>();
  for (const file of report.slim?.kept ?? []) kept.set(normalise(file.path), file);
  for (const entry of report.filesystem.entries) {
    const path = normalise(entry.path);
    if (path === '/') continue;
    const node = nodeAt(root, path);
    node.listed = true;
    node.kind = kindOf(entry);
    node.size = entry.type === 'file' ? entry.size : 0;
    node.linkTarget = entry.linkTarget;
  }
  // Kept paths the filesystem listing does not mention (a report trimmed by hand) still show.
  for (const [path, file] of kept) {
    const node = nodeAt(root, path);
    if (!node.listed && !node.byName) {
      node.kind = 'file';
      node.size = file.size;
    }
    node.reasons = file.reasons;
  }
  finish(root, report.slim !== undefined, kept);
  return { root, mode: report.slim ? 'slim' : 'analyze', layer: null };
}

/** What one layer changed as a tree (dive's layer view): each changed path marked, its parents plain. */
export function buildLayerTree(report: Report, layer: number): FileTree {
  return buildChangeTree(report.layers[layer]?.changes ?? [], 'analyze', layer);
}

/** Changed paths as a tree: each marked, its parents plain (a layer's changes, or a diff's). */
export function buildChangeTree(changes: Iterable<ChangedPath>, mode: 'analyze' | 'diff', layer: number | null): FileTree {
  const root = newNode('/', '/', 'dir');
  for (const changed of changes) {
    const path = normalise(changed.path);
    if (path === '/') continue;
    const node = nodeAt(root, path);
    node.kind = kindOf(changed);
    node.size = changed.type === 'file' ? changed.size : 0;
    node.change = changed.change;
    node.linkTarget = changed.linkTarget;
  }
  finish(root, false, new Map());
  return { root, mode, layer };
}

/**
 * What starts folded. Analyze: every directory but the root and chains of lone directories
 * (`/app/bin/` opens straight to its files). Slim: directories where nothing was kept.
 */
export function defaultFolded(tree: FileTree): Set<string> {
  const folded = new Set<string>();
  const visit = (node: FileNode, open: boolean): void => {
    for (const child of node.children) {
      if (child.kind !== 'dir') continue;
      const onlyChild = node.children.length === 1;
      // Changes (a layer's, a diff's) open where they are few (dive shows them unfolded); the merged image opens lone chains only.
      const childOpen =
        tree.mode === 'slim' ? child.status !== 'dropped' : showsChanges(tree) ? child.files + child.children.length <= LAYER_OPEN_LIMIT || (open && onlyChild) : open && onlyChild;
      if (!childOpen) folded.add(child.path);
      visit(child, childOpen);
    }
  };
  visit(tree.root, true);
  return folded;
}

/** Depth-first rows of everything not hidden inside a folded directory (the root itself is not a row). */
export function visibleRows(tree: FileTree, folded: ReadonlySet<string>): TreeRow[] {
  const rows: TreeRow[] = [];
  const stack: Array<{ node: FileNode; depth: number }> = [];
  for (let i = tree.root.children.length - 1; i >= 0; i--) stack.push({ node: tree.root.children[i]!, depth: 0 });
  for (let item = stack.pop(); item; item = stack.pop()) {
    const isFolded = item.node.kind === 'dir' && folded.has(item.node.path);
    rows.push({ node: item.node, depth: item.depth, folded: isFolded });
    if (item.node.kind !== 'dir' || isFolded) continue;
    const children = item.node.children;
    for (let i = children.length - 1; i >= 0; i--) stack.push({ node: children[i]!, depth: item.depth + 1 });
  }
  return rows;
}

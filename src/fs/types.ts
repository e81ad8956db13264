/**
 * Layer entries and the merged (final) filesystem. Paths are absolute and normalised
 * (`/usr/bin/env`, root is `/`). Entries carry an opaque `payload` that the analysis
 * attaches (parsed ELF, captured config files) and the merge carries through untouched.
 */
export const ENTRY_TYPES = ['file', 'directory', 'symlink', 'hardlink', 'char', 'block', 'fifo'] as const;
export type EntryType = (typeof ENTRY_TYPES)[number];

/** What one layer did to the paths below it (the Report's `layers[].files`). */
export interface LayerFiles {
  /** Tar entries in the layer, whiteouts included. */
  entries: number;
  /** Paths that did not exist below this layer. */
  added: number;
  /** Paths that existed below and are replaced. */
  modified: number;
  /** Paths removed by whiteouts (a whited-out directory counts every path under it). */
  removed: number;
  /** Content bytes of added and modified regular files. */
  addedBytes: number;
  modifiedBytes: number;
}

export const LAYER_CHANGE_KINDS = ['added', 'modified', 'removed'] as const;

/** One path a layer changed (dive's per-layer tree): what it is after the layer, or was before a removal. */
export interface LayerChange {
  path: string;
  change: (typeof LAYER_CHANGE_KINDS)[number];
  type: EntryType;
  /** Content bytes (0 but for regular files). */
  size: number;
  /** Symlink target, or the path a hard link points at. */
  linkTarget: string | null;
}

export interface LayerEntry<P = unknown> {
  path: string;
  /** `whiteout` removes `path`; `opaque` hides everything below directory `path` from lower layers. */
  type: EntryType | 'whiteout' | 'opaque';
  /** Content bytes for regular files; 0 otherwise. */
  size: number;
  /** Permission bits and setuid/setgid/sticky (`mode & 0o7777`). */
  mode: number;
  uid: number;
  gid: number;
  mtime: number;
  /** Symlink target as stored; for hard links the normalised absolute path of the target. */
  linkTarget: string | null;
  xattrs?: Record<string, Uint8Array>;
  uname?: string;
  gname?: string;
  devmajor?: number;
  devminor?: number;
  /** Raw path bytes when the tar name was not valid UTF-8. */
  rawPath?: Uint8Array;
  /** A sparse file's data map (offset and length in the logical file); `size` stays the logical size. */
  sparse?: Array<{ offset: number; length: number }>;
  payload?: P;
}

export interface LayerEntries<P = unknown> {
  index: number;
  entries: LayerEntry<P>[];
}

export interface FinalEntry<P = unknown> extends LayerEntry<P> {
  type: EntryType;
  /** The layer that provided this entry. */
  layer: number;
  /**
   * Identity of the content: hard links share the inode of their target as it was when the
   * link was made (a later overwrite of the target does not change the link's content).
   */
  inode: number;
}

/** Per-layer change statistics: the Report's `LayerFiles` plus the layer's reclaimable bytes. */
export interface LayerStats extends LayerFiles {
  /** The layer's `LayerEntries.index`. */
  index: number;
  /** Bytes of this layer's regular-file content that are not visible in the final filesystem. */
  reclaimableBytes: number;
  /** Every path the layer added, modified or removed, sorted by path. */
  changed: LayerChange[];
}

export interface FsTotals {
  /** Regular files and hard links. */
  files: number;
  directories: number;
  symlinks: number;
  hardlinks: number;
  /** Devices and FIFOs. */
  other: number;
  /** Bytes of regular files, each inode counted once. */
  totalSize: number;
}

/**
 * An entry (or a whiteout) whose parent path went through a symlink, so it landed somewhere
 * other than its literal name says, exactly as containerd resolves parents inside the root.
 */
export interface PathRedirect {
  layer: number;
  kind: 'entry' | 'whiteout' | 'opaque' | 'hardlink-target';
  /** The path as written in the layer. */
  path: string;
  /** Where it applied. */
  resolved: string;
}

export interface MergedFilesystem<P = unknown> {
  /** Every final path except `/`, implicit parent directories included. */
  entries: Map<string, FinalEntry<P>>;
  /** The root directory (metadata from the last `./` entry, else 0755 root:root). */
  root: FinalEntry<P>;
  layers: LayerStats[];
  totals: FsTotals;
  /** Σ of the layers' reclaimable bytes. */
  reclaimableBytes: number;
  redirects: PathRedirect[];
  /** Final paths in byte (UTF-8) order, computed once. */
  sortedPaths(): string[];
}

/** dive's efficiency figures (the Report's `Efficiency` without `reclaimableBytes`, which comes from the merge). */
export interface DiveEfficiency {
  score: number;
  wastedBytes: number;
  userWastedPercent: number;
  topWasted: Array<{ path: string; count: number; cumulativeSize: number }>;
}

export interface ResolvedPath<P = unknown> {
  /** The final path after following symlinks. */
  path: string;
  /** The path at the start and after every symlink hop; the last element is `path`. */
  chain: string[];
  entry: FinalEntry<P>;
}

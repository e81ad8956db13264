/**
 * Layer entries and the merged (final) filesystem. Paths are absolute and normalised
 * (`/usr/bin/env`, root is `/`). Entries carry an opaque `payload` that the analysis
 * attaches (parsed ELF, captured config files) and the merge carries through untouched.
 */
import type { EntryType } from '../report/schema.js';

export type { EntryType };

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

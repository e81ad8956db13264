/**
 * The slimmed image's one layer, laid out before any content is read: entries in byte order of
 * their paths, ownership, modes, mtimes and xattrs as in the source (mtimes clamped to the image's
 * created time); hard links as hard links (the first kept name of an inode carries the content,
 * the others link to it). Every
 * header's and body's offset in the uncompressed tar is known up front, so content can be written
 * in whatever order the source layers deliver it.
 */
import { Buffer } from 'node:buffer';
import type { EntryPayload, ImageAnalysis } from '../analysis/index.js';
import { encodeSparseMap, encodeTarHeaders, tarPadding, TAR_END, type TarWriteEntry } from '../archive/index.js';
import { compareBytewise, type FinalEntry } from '../fs/index.js';
import { BugError } from '../shared/errors.js';
import type { KeepPlan } from './types.js';

/** A regular file's body in the output tar and where its bytes come from. */
export interface PlacedContent {
  path: string;
  offset: number;
  /** Bytes at `offset`: the content, or a sparse file's mapped bytes (its map is written with the headers). */
  size: number;
  /** The file's logical size (differs from `size` for a sparse file). */
  logicalSize: number;
  /** Written as a sparse file: the source's stored bytes go here in order, holes are not written. */
  sparse: boolean;
  source: { payload: EntryPayload } | { bytes: Uint8Array };
}

export interface Layout {
  /** Length of the uncompressed tar, end-of-archive marker included. */
  tarSize: number;
  entries: number;
  /** Regular files (hard links included) and their content bytes (each inode once). */
  files: number;
  contentBytes: number;
  contents: PlacedContent[];
}

export interface LayoutOptions {
  /** No mtime is later than this (seconds): the image's created time, or SOURCE_DATE_EPOCH. */
  mtimeLimit: number;
  /** Receives each entry's header blocks with their offset (to write them); omitted for a dry run. */
  onHeader?: (bytes: Uint8Array, offset: number) => void;
}

export function layoutLayer(analysis: ImageAnalysis, plan: KeepPlan, options: LayoutOptions): Layout {
  const { merged, fs } = analysis;
  const paths = [...new Set([...plan.kept.keys(), ...plan.replacements.keys()])].sort(compareBytewise);
  const firstNameOfInode = new Map<number, string>();
  const contents: PlacedContent[] = [];
  let offset = 0;
  let files = 0;
  let contentBytes = 0;
  for (const path of paths) {
    const replacement = plan.replacements.get(path);
    const entry = replacement?.kind === 'entry' ? replacement.entry : merged.entries.get(path);
    if (!entry) throw new BugError(`slim: kept path ${path} is not in the final filesystem`);
    const content = replacement?.kind === 'content' ? replacement.content : null;
    const header = tarEntry(entry, options.mtimeLimit);
    let body: PlacedContent['source'] | null = null;
    if (entry.type === 'file' || entry.type === 'hardlink') {
      files++;
      const linkedTo = content === null ? firstNameOfInode.get(entry.inode) : undefined;
      if (linkedTo !== undefined) {
        header.type = 'hardlink';
        header.linkname = relativeName(linkedTo);
      } else {
        if (content === null) firstNameOfInode.set(entry.inode, path);
        header.type = 'file';
        header.size = content?.length ?? entry.size;
        if (content === null && hasHoles(entry)) header.sparse = entry.sparse;
        if (header.size > 0) {
          const payload = content === null ? fs.payload(path) : undefined;
          if (content === null && !payload) throw new BugError(`slim: no content recorded for ${path}`);
          body = content !== null ? { bytes: content } : { payload: payload! };
        }
      }
    }
    // A sparse file's map starts its body; it is written with the headers, the mapped bytes follow.
    const headers = header.sparse ? Buffer.concat([encodeTarHeaders(header), encodeSparseMap(header.sparse)]) : encodeTarHeaders(header);
    options.onHeader?.(headers, offset);
    offset += headers.length;
    if (body) {
      const logicalSize = header.size ?? 0;
      const size = header.sparse ? mappedBytes(header.sparse) : logicalSize;
      contents.push({ path, offset, size, logicalSize, sparse: header.sparse !== undefined, source: body });
      contentBytes += logicalSize;
      offset += size + tarPadding(size);
    }
  }
  return { tarSize: offset + TAR_END.length, entries: paths.length, files, contentBytes, contents };
}

function tarEntry(entry: FinalEntry<unknown>, mtimeLimit: number): TarWriteEntry {
  const name = entry.type === 'directory' ? `${relativeName(entry.path)}/` : relativeName(entry.path);
  const header: TarWriteEntry = {
    name,
    type: entry.type === 'hardlink' ? 'file' : entry.type,
    mode: entry.mode & 0o7777,
    uid: entry.uid,
    gid: entry.gid,
    // The source's own times: python checks a .pyc against its source's mtime, make and rsync compare them.
    mtime: Math.min(entry.mtime, mtimeLimit),
  };
  // Names that were not UTF-8 were decoded as latin1: encoding them back gives the original bytes.
  if (entry.rawPath) header.rawName = Buffer.from(entry.type === 'directory' ? `${entry.path.slice(1)}/` : entry.path.slice(1), 'latin1');
  if (entry.uname) header.uname = entry.uname;
  if (entry.gname) header.gname = entry.gname;
  if (entry.type === 'symlink') header.linkname = entry.linkTarget ?? '';
  if (entry.type === 'char' || entry.type === 'block') {
    header.devmajor = entry.devmajor ?? 0;
    header.devminor = entry.devminor ?? 0;
  }
  if (entry.xattrs && Object.keys(entry.xattrs).length > 0) header.xattrs = entry.xattrs;
  return header;
}

/** A sparse file whose holes are worth keeping: one written out in full would be bigger than its data. */
function hasHoles(entry: FinalEntry<unknown>): boolean {
  return entry.sparse !== undefined && mappedBytes(entry.sparse) < entry.size;
}

function mappedBytes(sparse: ReadonlyArray<{ length: number }>): number {
  let total = 0;
  for (const { length } of sparse) total += length;
  return total;
}

/** `usr/bin/env`: tar names are relative to the root. */
function relativeName(path: string): string {
  return path.slice(1);
}

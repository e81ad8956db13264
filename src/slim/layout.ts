/**
 * The slimmed image's one layer, laid out before any content is read: entries in byte order of
 * their paths, ownership, modes and xattrs as in the source, one fixed mtime; hard links as hard
 * links (the first kept name of an inode carries the content, the others link to it). Every
 * header's and body's offset in the uncompressed tar is known up front, so content can be written
 * in whatever order the source layers deliver it.
 */
import { Buffer } from 'node:buffer';
import type { EntryPayload, ImageAnalysis } from '../analysis/index.js';
import { encodeTarHeaders, tarPadding, TAR_END, type TarWriteEntry } from '../archive/index.js';
import { compareBytewise, type FinalEntry } from '../fs/index.js';
import { BugError } from '../shared/errors.js';
import type { KeepPlan } from './types.js';

/** A regular file's body in the output tar and where its bytes come from. */
export interface PlacedContent {
  path: string;
  offset: number;
  size: number;
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
  /** Seconds since the epoch for every entry. */
  mtime: number;
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
    const header = tarEntry(entry, options.mtime);
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
        if (header.size > 0) {
          const payload = content === null ? fs.payload(path) : undefined;
          if (content === null && !payload) throw new BugError(`slim: no content recorded for ${path}`);
          body = content !== null ? { bytes: content } : { payload: payload! };
        }
      }
    }
    const headers = encodeTarHeaders(header);
    options.onHeader?.(headers, offset);
    offset += headers.length;
    if (body) {
      const size = header.size ?? 0;
      contents.push({ path, offset, size, source: body });
      contentBytes += size;
      offset += size + tarPadding(size);
    }
  }
  return { tarSize: offset + TAR_END.length, entries: paths.length, files, contentBytes, contents };
}

function tarEntry(entry: FinalEntry<unknown>, mtime: number): TarWriteEntry {
  const name = entry.type === 'directory' ? `${relativeName(entry.path)}/` : relativeName(entry.path);
  const header: TarWriteEntry = {
    name,
    type: entry.type === 'hardlink' ? 'file' : entry.type,
    mode: entry.mode & 0o7777,
    uid: entry.uid,
    gid: entry.gid,
    mtime,
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

/** `usr/bin/env`: tar names are relative to the root. */
function relativeName(path: string): string {
  return path.slice(1);
}

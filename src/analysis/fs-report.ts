/** The Report's `filesystem` section: every final path with its metadata and decoded capabilities. */
import type { FinalEntry, MergedFilesystem } from '../fs/index.js';
import type { Filesystem, FsEntry } from '../report/index.js';
import { decodeCapabilities } from './capabilities.js';

export function filesystemReport<P>(merged: MergedFilesystem<P>): Filesystem {
  const entries: FsEntry[] = [];
  for (const path of merged.sortedPaths()) {
    const entry = merged.entries.get(path);
    if (entry) entries.push(fsEntry(entry));
  }
  return { ...merged.totals, entries };
}

function fsEntry<P>(entry: FinalEntry<P>): FsEntry {
  const capability = entry.xattrs?.['security.capability'];
  return {
    path: entry.path,
    type: entry.type,
    size: entry.size,
    mode: entry.mode & 0o7777,
    uid: entry.uid,
    gid: entry.gid,
    linkTarget: entry.linkTarget,
    layer: entry.layer,
    xattrs: Object.keys(entry.xattrs ?? {}).sort(),
    capabilities: capability ? decodeCapabilities(capability) : null,
  };
}

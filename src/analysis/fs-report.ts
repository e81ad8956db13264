/** The Report's `filesystem` section: every final path with its metadata and decoded capabilities. */
import type { FinalEntry, MergedFilesystem } from '../fs/index.js';
import type { Filesystem, FsEntry } from '../report/index.js';
import { decodeCapabilities } from './capabilities.js';

/** `digestOf` (when the scan hashed every file) gives each regular file's `sha256:` content digest. */
export function filesystemReport<P>(merged: MergedFilesystem<P>, digestOf?: (path: string) => string | undefined): Filesystem {
  const entries: FsEntry[] = [];
  for (const path of merged.sortedPaths()) {
    const entry = merged.entries.get(path);
    if (!entry) continue;
    const record = fsEntry(entry);
    const digest = digestOf && (entry.type === 'file' || entry.type === 'hardlink') ? digestOf(path) : undefined;
    if (digest) record.digest = digest;
    entries.push(record);
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

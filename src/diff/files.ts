/** Paths added, removed and changed between two final filesystems (content by digest, then mode, owner, link target, xattrs). */
import type { FsEntry } from '../report/index.js';
import type { DiffFile, FileAspect, FileChange, ImageDiff } from './schema.js';

export function diffFiles(a: readonly FsEntry[], b: readonly FsEntry[]): ImageDiff['files'] {
  const before = new Map(a.map((entry) => [entry.path, entry]));
  const added: DiffFile[] = [];
  const changed: FileChange[] = [];
  let unchanged = 0;
  for (const entry of b) {
    const old = before.get(entry.path);
    if (!old) {
      added.push(diffFile(entry));
      continue;
    }
    before.delete(entry.path);
    const changes = fileAspects(old, entry);
    if (changes.length === 0) unchanged++;
    else changed.push({ path: entry.path, changes, before: diffFile(old), after: diffFile(entry) });
  }
  const removed = [...before.values()].map(diffFile);
  return { added: byPath(added), removed: byPath(removed), changed: byPath(changed), unchanged };
}

function fileAspects(a: FsEntry, b: FsEntry): FileAspect[] {
  const aspects: FileAspect[] = [];
  if (kind(a) !== kind(b)) aspects.push('type');
  else if (kind(a) === 'file' && (a.size !== b.size || (a.digest ?? null) !== (b.digest ?? null))) aspects.push('content');
  if (a.mode !== b.mode && a.type !== 'symlink' && b.type !== 'symlink') aspects.push('mode');
  if (a.uid !== b.uid || a.gid !== b.gid) aspects.push('owner');
  if (a.type === 'symlink' && b.type === 'symlink' && a.linkTarget !== b.linkTarget) aspects.push('link');
  if (a.xattrs.join('\0') !== b.xattrs.join('\0') || (a.capabilities ?? []).join(',') !== (b.capabilities ?? []).join(',')) aspects.push('xattrs');
  return aspects;
}

/** A hard link is a regular file (it names an inode's content), so file ↔ hardlink is not a type change. */
function kind(entry: FsEntry): string {
  return entry.type === 'hardlink' ? 'file' : entry.type;
}

function diffFile(entry: FsEntry): DiffFile {
  return {
    path: entry.path,
    type: entry.type,
    size: entry.size,
    mode: entry.mode,
    uid: entry.uid,
    gid: entry.gid,
    digest: entry.digest ?? null,
    linkTarget: entry.linkTarget,
    layer: entry.layer,
  };
}

function byPath<T extends { path: string }>(items: T[]): T[] {
  return items.sort((x, y) => (x.path < y.path ? -1 : x.path > y.path ? 1 : 0));
}

/**
 * Applies one layer to the tree, following containerd's applier (pkg/archive/tar.go
 * applyNaive, fs.RootPath, mkparent, hardlinkRootPath) with the OCI rule that whiteouts
 * apply to lower layers only: the layer's whiteouts and opaque markers go first, against
 * the tree as the lower layers left it, then its entries in tar order. So entries of the
 * same layer survive an opaque marker or whiteout wherever it sits in the tar.
 */
import { InputError } from '../shared/errors.js';
import type { FsNode, FsTree } from './_tree.js';
import { LayerChanges } from './_layer-changes.js';
import { walk, type WalkResult } from './_walk.js';
import { baseOf, checkPathLimits, joinPath, layerName, normalizeLinkTarget, PATH_MAX } from './paths.js';
import type { FinalEntry, LayerEntries, LayerEntry, PathRedirect } from './types.js';

/** Strings shorter than these (UTF-16 units, at most 3 UTF-8 bytes each) cannot break PATH_MAX or NAME_MAX. */
const SHORT_PATH = Math.floor((PATH_MAX - 1) / 3);
const SHORT_NAME = 85;

/** containerd's RootPath gives up after 255 symlinks (errTooManyLinks). */
export const APPLY_MAX_SYMLINKS = 255;

export class LayerApplier<P> {
  readonly changes: LayerChanges<P>;
  private readonly layer: number;
  private readonly generation: number;

  constructor(
    private readonly tree: FsTree<P>,
    layer: LayerEntries<P>,
    private readonly redirects: PathRedirect[],
  ) {
    this.layer = layer.index;
    this.generation = tree.nextGeneration();
    this.changes = new LayerChanges(layer.index, this.generation, layer.entries.length);
    const blocked: Array<{ names: string[]; literal: string }> = [];
    for (const entry of layer.entries) if (entry.type === 'whiteout' || entry.type === 'opaque') this.applyWhiteout(entry, blocked);
    for (const entry of layer.entries) if (entry.type !== 'whiteout' && entry.type !== 'opaque') this.applyEntry(entry);
    // A marker below a non-directory deletes nothing from lower layers. It is fine if this layer
    // turns that path into a directory (in tar order containerd would have made it one first);
    // otherwise containerd's mkparent fails with ENOTDIR, and so do we.
    for (const { names, literal } of blocked) {
      const result = walk(this.tree, names, { followLast: true, maxHops: APPLY_MAX_SYMLINKS });
      if (result.kind === 'notdir' || (result.kind === 'found' && !result.node.children)) this.expectDirectory(result, literal);
    }
  }

  private applyWhiteout(entry: LayerEntry<P>, blocked: Array<{ names: string[]; literal: string }>): void {
    const names = this.components(entry.path);
    const name = entry.type === 'opaque' ? undefined : names.pop()!;
    const result = walk(this.tree, names, { followLast: true, maxHops: APPLY_MAX_SYMLINKS });
    if (result.kind === 'notdir' || (result.kind === 'found' && !result.node.children)) {
      blocked.push({ names, literal: entry.path });
      return;
    }
    const dir = this.settle(result, entry.path, name === undefined ? 'opaque' : 'whiteout');
    if (name === undefined) {
      // Lower content goes; implicit directories this layer's markers created stay.
      for (const child of [...dir.children!.values()]) if (child.born !== this.generation) this.remove(child);
      return;
    }
    const victim = dir.children!.get(name);
    // A whiteout of a symlink removes the link itself: the last component is never followed.
    if (victim && victim.born !== this.generation) this.remove(victim);
  }

  private applyEntry(entry: LayerEntry<P>): void {
    if (entry.path === '/') {
      // containerd ignores the root entry; Docker applies its metadata. Keep it for display.
      if (entry.type === 'directory') this.tree.root.entry = finalEntry(entry, '/', 'directory', this.layer, 1);
      return;
    }
    const names = this.components(entry.path);
    const name = names.pop()!;
    const dir = this.directory(names, entry.path, 'entry');
    const path = isParentOf(dir.entry.path, entry.path, name) ? entry.path : joinPath(dir.entry.path, name);
    const existing = dir.children!.get(name);
    if (existing && existing.children && entry.type === 'directory') {
      // A directory over a directory merges: children stay, metadata comes from the upper.
      this.changes.touch(existing);
      existing.entry = finalEntry(entry, path, 'directory', this.layer, existing.entry.inode);
      return;
    }
    if (existing) this.remove(existing);
    const final = entry.type === 'hardlink' ? this.hardLink(entry, path) : this.plain(entry, path);
    this.changes.create(this.tree.add(dir, name, final, this.generation));
    if (final.type === 'file') this.changes.writtenFiles.push({ inode: final.inode, size: final.size });
  }

  private plain(entry: LayerEntry<P>, path: string): FinalEntry<P> {
    return finalEntry(entry, path, entry.type as FinalEntry['type'], this.layer, this.tree.newInode());
  }

  /** A hard link shares its target's inode as it is now; later changes to the target path do not touch it. */
  private hardLink(entry: LayerEntry<P>, path: string): FinalEntry<P> {
    const targetPath = normalizeLinkTarget(entry.linkTarget ?? '');
    const names = this.components(targetPath);
    const name = names.pop();
    const parent = name === undefined ? undefined : this.existingDirectory(names);
    const target = name === undefined ? this.tree.root : parent?.children!.get(name);
    const where = `${layerName(this.layer)}: invalid hard link ${entry.path} → ${targetPath}`;
    if (!target) throw new InputError(`${where}: the target does not exist in this layer before the link or in a lower layer`, { code: 'E_INVALID_LINK' });
    if (target.children) throw new InputError(`${where}: the target is a directory`, { code: 'E_INVALID_LINK' });
    if (target.entry.path !== targetPath) {
      this.redirects.push({ layer: this.layer, kind: 'hardlink-target', path: targetPath, resolved: target.entry.path });
    }
    const shared = target.entry;
    const type = shared.type === 'file' || shared.type === 'hardlink' ? 'hardlink' : shared.type;
    const linked = finalEntry(entry, path, type, this.layer, shared.inode);
    linked.size = shared.size;
    linked.linkTarget = shared.type === 'symlink' ? shared.linkTarget : shared.path;
    if (shared.devmajor !== undefined) linked.devmajor = shared.devmajor;
    if (shared.devminor !== undefined) linked.devminor = shared.devminor;
    if (entry.payload === undefined && shared.payload !== undefined) linked.payload = shared.payload;
    return linked;
  }

  /** Resolves a parent path inside the root and creates what is missing (containerd mkparent). */
  private directory(names: string[], literal: string, kind: PathRedirect['kind']): FsNode<P> {
    return this.settle(walk(this.tree, names, { followLast: true, maxHops: APPLY_MAX_SYMLINKS }), literal, kind);
  }

  /** The directory a walk ended in (created if missing), with a redirect recorded when symlinks moved it. */
  private settle(result: WalkResult<P>, literal: string, kind: PathRedirect['kind']): FsNode<P> {
    const dir = this.expectDirectory(result, literal);
    const moved = kind === 'opaque' ? dir.entry.path !== literal : !isParentOf(dir.entry.path, literal, baseOf(literal));
    if (moved) {
      const resolved = kind === 'opaque' ? dir.entry.path : joinPath(dir.entry.path, literal.slice(literal.lastIndexOf('/') + 1));
      this.redirects.push({ layer: this.layer, kind, path: literal, resolved });
    }
    return dir;
  }

  private existingDirectory(names: string[]): FsNode<P> | undefined {
    const result = walk(this.tree, names, { followLast: true, maxHops: APPLY_MAX_SYMLINKS });
    return result.kind === 'found' && result.node.children ? result.node : undefined;
  }

  private expectDirectory(result: WalkResult<P>, literal: string): FsNode<P> {
    const where = `${layerName(this.layer)}: cannot apply ${literal}`;
    switch (result.kind) {
      case 'found':
        if (result.node.children) return result.node;
        throw new InputError(`${where}: ${result.node.entry.path} is not a directory`, { code: 'E_NOT_A_DIRECTORY' });
      case 'notdir':
        throw new InputError(`${where}: ${result.node.entry.path} is not a directory`, { code: 'E_NOT_A_DIRECTORY' });
      case 'loop':
        throw new InputError(`${where}: more than ${APPLY_MAX_SYMLINKS} symbolic links on the way (a symlink loop)`, { code: 'E_SYMLINK_LOOP' });
      case 'broken':
        throw new InputError(`${where}: symlink ${result.node.entry.path} has an empty target`, { code: 'E_INVALID_LINK' });
      case 'missing':
        return this.mkdirs(result.dir, result.rest);
    }
  }

  private mkdirs(dir: FsNode<P>, names: string[]): FsNode<P> {
    return this.tree.mkdirs(dir, names, this.layer, this.generation, (node) => this.changes.create(node));
  }

  private remove(node: FsNode<P>): void {
    this.tree.remove(node, (removed) => this.changes.touch(removed));
  }

  /** Names of a normalised absolute path; rejects anything layerEntryFromTar would not produce. */
  private components(path: string): string[] {
    if (path.charCodeAt(0) !== 0x2f) {
      throw new InputError(`${layerName(this.layer)}: entry path ${JSON.stringify(path)} is not absolute`, { code: 'E_UNSAFE_PATH' });
    }
    const names = path.length === 1 ? [] : path.slice(1).split('/');
    let suspect = path.length >= SHORT_PATH; // only long strings can exceed the byte limits
    for (const name of names) {
      if (name === '' || name === '.' || name === '..') {
        throw new InputError(`${layerName(this.layer)}: entry path ${JSON.stringify(path)} is not normalised`, { code: 'E_UNSAFE_PATH' });
      }
      if (name.length > SHORT_NAME) suspect = true;
    }
    if (suspect) {
      try {
        checkPathLimits(path);
      } catch (error) {
        throw new InputError(`${layerName(this.layer)}: ${(error as Error).message}`, { code: 'E_PATH_TOO_LONG', cause: error });
      }
    }
    return names;
  }
}

/** Whether `path` (whose last component is `name`) is `dir` + `/` + `name`, without building the string. */
function isParentOf(dir: string, path: string, name: string): boolean {
  const prefix = dir === '/' ? 1 : dir.length + 1;
  return path.length === prefix + name.length && path.startsWith(dir) && path.charCodeAt(prefix - 1) === 0x2f;
}

/** A FinalEntry with one fixed shape (spreading the layer entry is measurably slower at 100k entries). */
function finalEntry<P>(entry: LayerEntry<P>, path: string, type: FinalEntry['type'], layer: number, inode: number): FinalEntry<P> {
  const final: FinalEntry<P> = {
    path,
    type,
    size: entry.size,
    mode: entry.mode,
    uid: entry.uid,
    gid: entry.gid,
    mtime: entry.mtime,
    linkTarget: entry.linkTarget,
    layer,
    inode,
  };
  if (entry.xattrs !== undefined) final.xattrs = entry.xattrs;
  if (entry.uname !== undefined) final.uname = entry.uname;
  if (entry.gname !== undefined) final.gname = entry.gname;
  if (entry.devmajor !== undefined) final.devmajor = entry.devmajor;
  if (entry.devminor !== undefined) final.devminor = entry.devminor;
  if (entry.rawPath !== undefined) final.rawPath = entry.rawPath;
  if (entry.sparse !== undefined) final.sparse = entry.sparse;
  if (entry.payload !== undefined) final.payload = entry.payload;
  return final;
}

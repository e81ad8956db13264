/**
 * What goes into the benchmark image, as plain data: the real files to copy from this machine,
 * split into layers of at most LAYER_CAP bytes, plus a last layer that wastes bytes (whiteouts
 * of earlier files and rewrites of identical ones). No project imports.
 */
import { existsSync, lstatSync, readdirSync } from 'node:fs';
import path from 'node:path';

const MiB = 1024 * 1024;

/** Trees copied from this machine (relative to /), in this order. */
export const SOURCE_ROOTS = ['usr/bin', 'usr/lib/x86_64-linux-gnu', 'usr/share/perl'];
/** Upper bound of a content layer's uncompressed file bytes (a bigger single file goes alone). */
export const LAYER_CAP = 128 * MiB;
/** Files the base layer copies from this machine's /etc. */
export const BASE_ETC = ['etc/passwd', 'etc/group', 'etc/nsswitch.conf', 'etc/ld.so.conf', 'etc/ld.so.conf.d'];
/** Merged-/usr symlinks of Debian 12, made in the base layer. */
export const BASE_SYMLINKS = [
  ['bin', 'usr/bin'],
  ['lib', 'usr/lib'],
  ['lib64', 'usr/lib64'],
  ['sbin', 'usr/sbin'],
  ['usr/lib64/ld-linux-x86-64.so.2', '/lib/x86_64-linux-gnu/ld-linux-x86-64.so.2'],
];
/** The waste layer: these earlier paths are deleted (whiteouts) or written again unchanged. */
export const WASTE = {
  deleted: ['usr/lib/x86_64-linux-gnu/libicudata.a', 'usr/lib/x86_64-linux-gnu/libcrypto.a'],
  deletedDirs: ['usr/lib/x86_64-linux-gnu/valgrind'],
  rewritten: ['usr/lib/x86_64-linux-gnu/libLLVM-15.so.1', 'usr/lib/x86_64-linux-gnu/libicudata.so.72.1'],
};
/** A real dynamic binary of the image (needs libc, libm, libcrypt) that runs without modules. */
export const ENTRYPOINT = ['/usr/bin/perl'];
export const CMD = ['-e', 'print qq(hello from perl\\n)'];

/**
 * Every directory, regular file and symlink under `roots` (relative to `fsRoot`; absent roots
 * are skipped), sorted by path; sockets, FIFOs and devices are skipped.
 */
export function walkRoots(fsRoot, roots) {
  const entries = [];
  const visit = (relative) => {
    const stat = lstatSync(path.join(fsRoot, relative));
    if (stat.isDirectory()) {
      entries.push({ path: relative, type: 'dir', size: 0 });
      for (const name of readdirSync(path.join(fsRoot, relative)).sort()) visit(`${relative}/${name}`);
    } else if (stat.isFile()) {
      entries.push({ path: relative, type: 'file', size: stat.size, inode: `${stat.dev}:${stat.ino}` });
    } else if (stat.isSymbolicLink()) {
      entries.push({ path: relative, type: 'symlink', size: 0 });
    }
  };
  for (const root of roots.filter((relative) => existsSync(path.join(fsRoot, relative)))) visit(root);
  return entries;
}

/** Ancestor directories of a relative path, outermost first ("a/b/c" -> ["a", "a/b"]). */
function ancestors(relative) {
  const parts = relative.split('/');
  return parts.slice(1).map((_, index) => parts.slice(0, index + 1).join('/'));
}

/**
 * Splits the walked entries into content layers: a new layer starts when the next file would
 * push the current one past `cap`. Each layer lists its files' ancestor directories first, once
 * (GNU tar --no-recursion then writes exactly these entries). A second name of a hard link
 * costs nothing in the layer that already holds the first (tar writes a link entry).
 */
export function chunkLayers(entries, cap = LAYER_CAP) {
  const layers = [];
  let current = null;
  for (const entry of entries) {
    if (entry.type === 'dir') continue;
    let bytes = entry.type === 'file' && !current?.inodes.has(entry.inode) ? entry.size : 0;
    if (current === null || (current.bytes + bytes > cap && current.bytes > 0)) {
      current = { paths: [], files: [], dirs: new Set(), inodes: new Set(), bytes: 0 };
      layers.push(current);
      bytes = entry.size;
    }
    if (entry.inode) current.inodes.add(entry.inode);
    for (const dir of ancestors(entry.path)) {
      if (!current.dirs.has(dir)) {
        current.dirs.add(dir);
        current.paths.push(dir);
      }
    }
    current.paths.push(entry.path);
    current.files.push(entry.path);
    current.bytes += bytes;
  }
  return layers.map(({ paths, files, bytes }) => ({ paths, files, bytes }));
}

/** The waste layer's content, keeping only the paths this machine has. */
export function wastePlan(entries) {
  const byPath = new Map(entries.map((entry) => [entry.path, entry]));
  const isFile = (p) => byPath.get(p)?.type === 'file';
  return {
    deleted: WASTE.deleted.filter(isFile),
    deletedDirs: WASTE.deletedDirs.filter((p) => byPath.get(p)?.type === 'dir'),
    rewritten: WASTE.rewritten.filter(isFile),
  };
}

/** Bytes of regular files under `dir` (or the file itself) among the walked entries. */
export function bytesUnder(entries, target) {
  return entries
    .filter((entry) => entry.type === 'file' && (entry.path === target || entry.path.startsWith(`${target}/`)))
    .reduce((sum, entry) => sum + entry.size, 0);
}

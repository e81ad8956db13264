/**
 * A FileLookup over a directory tree on disk (`imgslim elf --root DIR`), with the kernel's
 * chroot semantics: symlinks are followed component by component INSIDE the root (absolute
 * targets restart at the root, `..` stops at it), at most 40 hops (then ELOOP → null). Every
 * component is lstat'ed below the root, so no host path outside it is ever followed.
 */
import { lstatSync, readdirSync, readlinkSync, type Stats } from 'node:fs';
import path from 'node:path';
import type { ByteSource, ElfInfo, FileLookup, LookupResult } from '../types.js';
import { fileByteSource } from '../byte-source.js';
import { lexicalPath } from '../../shared/lexical-path.js';

const MAX_SYMLINK_HOPS = 40;
/** Largest file `readFile` returns (ld.so.cache of a big distro is ~200 KiB). */
const MAX_READ = 4 * 1024 * 1024;
const ELF_MAGIC = [0x7f, 0x45, 0x4c, 0x46];

export function createDirLookup(root: string, parse: (source: ByteSource) => ElfInfo): FileLookup {
  const base = path.resolve(root);
  const hostPath = (imagePath: string) => path.join(base, ...imagePath.split('/'));
  const elfCache = new Map<string, ElfInfo | null>();

  const stat = (imagePath: string): Stats | null => {
    try {
      return lstatSync(hostPath(imagePath));
    } catch {
      return null;
    }
  };

  // The tree is read as a snapshot: each path is resolved once (loaders probe the same candidates again and again).
  const resolved = new Map<string, LookupResult | null>();
  const resolve = (requested: string): LookupResult | null => {
    if (!resolved.has(requested)) resolved.set(requested, walk(requested));
    return resolved.get(requested) ?? null;
  };

  const walk = (requested: string): LookupResult | null => {
    const chain = [lexicalPath(requested.split('/'))];
    const pending = pushNames([], requested.split('/'));
    const parts: string[] = [];
    let hops = 0;
    for (let name = pending.pop(); name !== undefined; name = pending.pop()) {
      if (name === '..') {
        parts.pop();
        continue;
      }
      const current = `/${[...parts, name].join('/')}`;
      const stats = stat(current);
      if (!stats) return null;
      if (stats.isSymbolicLink()) {
        let target: string;
        try {
          target = readlinkSync(hostPath(current));
        } catch {
          return null;
        }
        if (target === '' || ++hops > MAX_SYMLINK_HOPS) return null;
        if (target.startsWith('/')) parts.length = 0;
        pushNames(pending, target.split('/'));
        chain.push(describe(parts, pending));
        continue;
      }
      if (pending.length > 0 && !stats.isDirectory()) return null;
      parts.push(name);
    }
    const final = `/${parts.join('/')}`;
    if (chain[chain.length - 1] !== final) chain.push(final);
    const stats = final === '/' ? lstatSync(base) : stat(final);
    if (!stats) return null;
    return { path: final, chain, kind: stats.isFile() ? 'file' : stats.isDirectory() ? 'directory' : 'other' };
  };

  return {
    resolve,
    elf(imagePath) {
      // Resolve first: a host path is only ever built from symlink-free components.
      const found = resolve(imagePath);
      if (found?.kind !== 'file') return null;
      if (!elfCache.has(found.path)) elfCache.set(found.path, parseFile(hostPath(found.path), parse));
      return elfCache.get(found.path) ?? null;
    },
    readFile(imagePath) {
      const found = resolve(imagePath);
      if (found?.kind !== 'file') return null;
      const source = fileByteSource(hostPath(found.path));
      try {
        return source.size > MAX_READ ? null : (source.read(0, source.size) ?? null);
      } finally {
        source.close();
      }
    },
    list(dir) {
      const found = resolve(dir);
      if (found?.kind !== 'directory') return null;
      try {
        return readdirSync(hostPath(found.path)).sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b)));
      } catch {
        return null;
      }
    },
  };
}

function parseFile(file: string, parse: (source: ByteSource) => ElfInfo): ElfInfo | null {
  const source = fileByteSource(file);
  try {
    const head = source.read(0, Math.min(4, source.size));
    if (!head || head.length < 4 || !ELF_MAGIC.every((byte, i) => head[i] === byte)) return null;
    return parse(source);
  } finally {
    source.close();
  }
}

/** Pushes names so the first is popped first, dropping empty and `.` names. */
function pushNames(pending: string[], names: readonly string[]): string[] {
  for (let i = names.length - 1; i >= 0; i--) {
    const name = names[i]!;
    if (name !== '' && name !== '.') pending.push(name);
  }
  return pending;
}

/** The resolved prefix plus the names still to walk, `..` folded lexically: the path after a hop. */
function describe(parts: readonly string[], pending: readonly string[]): string {
  const out = [...parts];
  for (let i = pending.length - 1; i >= 0; i--) {
    const name = pending[i]!;
    if (name === '..') out.pop();
    else out.push(name);
  }
  return `/${out.join('/')}`;
}

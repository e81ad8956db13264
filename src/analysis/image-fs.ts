/**
 * The final filesystem as the rest of the analysis reads it: symlink resolution inside the
 * image root, captured payloads (hard links share their inode's), and the resolver's port.
 */
import type { ElfInfo, FileLookup, LookupResult } from '../elf/index.js';
import { listDirectory, resolvePath, type FinalEntry, type MergedFilesystem } from '../fs/index.js';
import { isOversizedDatabaseFile, type PackageFiles } from '../packages/index.js';
import type { EntryPayload } from './capture.js';

export class ImageFs implements FileLookup, PackageFiles {
  private readonly payloadByInode = new Map<number, EntryPayload>();
  /** resolve()'s answers (shared: callers never modify them): the tree no longer changes, and closures probe the same paths over and over. */
  private readonly resolved = new Map<string, LookupResult | null>();

  constructor(readonly merged: MergedFilesystem<EntryPayload>) {
    for (const entry of merged.entries.values()) {
      if (entry.payload && !this.payloadByInode.has(entry.inode)) this.payloadByInode.set(entry.inode, entry.payload);
    }
  }

  /** The entry at exactly `path` (symlinks not followed). */
  entry(path: string): FinalEntry<EntryPayload> | undefined {
    return this.merged.entries.get(path);
  }

  /** Follows symlinks inside the root; null when missing, dangling or looping. */
  resolveEntry(path: string): { path: string; chain: string[]; entry: FinalEntry<EntryPayload> } | null {
    return resolvePath(this.merged, path, { followLast: true });
  }

  payload(path: string): EntryPayload | undefined {
    const entry = this.merged.entries.get(path);
    if (!entry) return undefined;
    return entry.payload ?? this.payloadByInode.get(entry.inode);
  }

  resolve(path: string): LookupResult | null {
    let result = this.resolved.get(path);
    if (result === undefined) {
      const found = this.resolveEntry(path);
      const type = found?.entry.type;
      const kind = type === 'file' || type === 'hardlink' ? 'file' : type === 'directory' ? 'directory' : 'other';
      result = found ? { path: found.path, chain: found.chain, kind } : null;
      this.resolved.set(path, result);
    }
    return result;
  }

  elf(path: string): ElfInfo | null {
    return this.payload(path)?.elf ?? null;
  }

  readFile(path: string): Uint8Array | null {
    return this.payload(path)?.content ?? null;
  }

  list(dir: string): string[] | null {
    return listDirectory(this.merged, dir);
  }

  read(path: string): Uint8Array | null {
    return this.readFile(path);
  }

  exists(path: string): boolean {
    return this.merged.entries.has(path);
  }

  isDirectory(path: string): boolean {
    return this.merged.entries.get(path)?.type === 'directory';
  }

  realpath(path: string): string | null {
    if (path === '/') return '/';
    return this.resolveEntry(path)?.path ?? null;
  }

  tooLarge(path: string): boolean {
    const entry = this.merged.entries.get(path);
    return entry?.type === 'file' && isOversizedDatabaseFile(path, entry.size);
  }

  /** Text of a captured file after following symlinks, or null. */
  readText(path: string): string | null {
    const found = this.resolve(path);
    const bytes = found ? this.readFile(found.path) : null;
    return bytes ? Buffer.from(bytes).toString('utf8') : null;
  }
}

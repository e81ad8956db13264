/**
 * The set of final-filesystem entries the slimmed image keeps, each with its reasons. Paths are
 * canonical (the literal paths of entries, directories real); lookups keep every symlink they
 * follow, trees keep what their symlinks point at, and ELF files are queued so their dependency
 * closures get kept too.
 */
import { compareBytewise, type FinalEntry } from '../fs/index.js';
import { ancestorsOf, lookupTrail } from './lookup.js';

export interface KeepSource {
  entries: ReadonlyMap<string, FinalEntry<unknown>>;
  /** Every final path, byte-sorted. */
  sortedPaths: readonly string[];
  /** Whether `path` is an ELF file the analysis resolved a closure for. */
  isBinary(path: string): boolean;
}

export class KeepSet {
  readonly reasons = new Map<string, string[]>();
  private readonly queue: string[] = [];
  private readonly queued = new Set<string>();
  private readonly trees = new Set<string>();

  constructor(private readonly source: KeepSource) {}

  has(path: string): boolean {
    return this.reasons.has(path);
  }

  entry(path: string): FinalEntry<unknown> | undefined {
    return this.source.entries.get(path);
  }

  /** Keeps the entry at exactly `path`; false when there is none. */
  keepEntry(path: string, reason: string): boolean {
    if (!this.source.entries.has(path)) return false;
    const reasons = this.reasons.get(path);
    if (!reasons) this.reasons.set(path, [reason]);
    else if (!reasons.includes(reason)) reasons.push(reason);
    return true;
  }

  /**
   * Looks `path` up as a process would and keeps every symlink on the way and the entry it ends
   * at (an ELF file is queued for its closure). Returns that entry's canonical path, or null.
   */
  keepLookup(path: string, reason: string, options: { followLast?: boolean; program?: boolean } = {}): string | null {
    const trail = lookupTrail(this.source.entries, path, options.followLast ?? true);
    for (const link of trail.symlinks) this.keepEntry(link, reason);
    if (trail.final === null || trail.final === '/') return trail.final;
    this.keepEntry(trail.final, reason);
    if (options.program !== false) this.queueBinary(trail.final);
    return trail.final;
  }

  /**
   * Keeps a directory and everything below it. Symlinks inside keep what they point at; one
   * that points at a directory keeps that directory's tree too (never `/` or an enclosing tree).
   * `leaveOut` skips entries below `dir` (they are not kept, nor followed).
   */
  keepTree(dir: string, reason: string, leaveOut?: (path: string) => boolean): void {
    const root = lookupTrail(this.source.entries, dir, true);
    for (const link of root.symlinks) this.keepEntry(link, reason);
    if (root.final === null) return;
    const top = root.final;
    if (top !== '/') this.keepEntry(top, reason);
    if (this.source.entries.get(top)?.type !== 'directory' && top !== '/') {
      this.queueBinary(top);
      return;
    }
    if (this.trees.has(top)) return;
    this.trees.add(top);
    const links: string[] = [];
    for (const path of this.below(top)) {
      if (leaveOut?.(path)) continue;
      this.keepEntry(path, reason);
      const entry = this.source.entries.get(path)!;
      if (entry.type === 'symlink') links.push(path);
      else this.queueBinary(path);
    }
    for (const link of links) {
      const target = this.keepLookup(link, `target of ${link} (${reason})`);
      if (target === null || this.source.entries.get(target)?.type !== 'directory') continue;
      const enclosing = target === '/' || [...this.trees].some((tree) => target === tree || target.startsWith(`${tree}/`) || tree.startsWith(`${target}/`));
      if (!enclosing) this.keepTree(target, `target of ${link} (${reason})`, leaveOut);
    }
  }

  /** Queues an ELF file whose closure must be kept (once). */
  queueBinary(path: string): void {
    if (this.queued.has(path) || !this.source.isBinary(path)) return;
    this.queued.add(path);
    this.queue.push(path);
  }

  /** The next queued ELF file, or undefined when every one was taken. */
  nextBinary(): string | undefined {
    return this.queue.shift();
  }

  /** Adds every ancestor directory of the kept paths (reason: "parent directory"). */
  addParents(): void {
    for (const path of [...this.reasons.keys()]) {
      for (const dir of ancestorsOf(path)) if (!this.reasons.has(dir)) this.keepEntry(dir, PARENT_REASON);
    }
  }

  /** Canonical paths strictly below `dir` (byte-sorted), from the sorted listing by binary search. */
  *below(dir: string): Generator<string> {
    const prefix = dir === '/' ? '/' : `${dir}/`;
    const sorted = this.source.sortedPaths;
    let low = 0;
    let high = sorted.length;
    while (low < high) {
      const mid = (low + high) >>> 1;
      if (compareBytewise(sorted[mid]!, prefix) < 0) low = mid + 1;
      else high = mid;
    }
    for (let i = low; i < sorted.length && sorted[i]!.startsWith(prefix); i++) yield sorted[i]!;
  }
}

export const PARENT_REASON = 'parent directory of kept paths';

/**
 * Public shapes of the loader-faithful resolver. `ResolvedDependency` mirrors the Report's
 * schema type structurally (elf/ may not import report/).
 */
import type { SearchOutcome } from './_glibc.js';

export type ResolveVia =
  | 'interpreter'
  | 'path'
  | 'rpath'
  | 'ld-library-path'
  | 'runpath'
  | 'ld.so.cache'
  | 'ld.so.conf'
  | 'default-path'
  | 'musl-path'
  | 'musl-builtin'
  | 'vdso'
  | 'already-loaded'
  | 'not-found';

export interface ResolvedDependency {
  /** The DT_NEEDED (or interpreter) name as written. */
  name: string;
  /** Absolute path in the image after following symlinks, or null when not found / not a file. */
  path: string | null;
  via: ResolveVia;
  /** The directory or file that matched, e.g. `/lib/x86_64-linux-gnu` or `/etc/ld.so.cache`. */
  viaDetail: string | null;
  /** Absolute path of the object whose DT_NEEDED named it (the binary itself for direct deps). */
  neededBy: string;
  /** Symlink chain from the first candidate path to `path`. */
  chain: string[];
  /** Depth in the dependency tree: 1 for the binary's own DT_NEEDED (and its interpreter). */
  depth: number;
  /** Why this dependency will not load, when it won't. */
  problem: string | null;
}

/**
 * What closures over one unchanging image may share (createResolveMemo): the glibc searches that
 * do not depend on the requester, per process ABI and loader (searchGlibcMemo).
 */
export interface ResolveMemo {
  readonly searches: Map<string, Map<string, SearchOutcome>>;
}

export interface ResolveContext {
  /** The image config's Env, `KEY=VALUE` (LD_LIBRARY_PATH is read from here, never from the host). */
  env: string[];
  /** The image config's WorkingDir: what empty and relative search-path entries mean. */
  workingDir?: string | null;
  /** Shared by every closure resolved over the same lookup, which must not change meanwhile. */
  memo?: ResolveMemo;
}

export type LoaderFlavour = 'glibc' | 'musl' | 'other' | 'none';

export interface ResolutionResult {
  /** Which loader semantics were applied. */
  flavour: LoaderFlavour;
  /** The interpreter first, then every DT_NEEDED edge in the loader's breadth-first load order. */
  deps: ResolvedDependency[];
  /** One line each: why it will fail at run time. */
  problems: string[];
  /** Missing symbol versions (a subset of `problems`). */
  versionProblems: string[];
  /** Printed by the loader but not fatal: weak versions, unversioned libraries, stale ld.so.cache hints. */
  warnings: string[];
}

/** One /etc/ld.so.cache entry. */
export interface LdSoCacheEntry {
  /** The key ldconfig stored: the SONAME (or file name in glibc-hwcaps subdirectories). */
  name: string;
  /** Absolute path the loader opens. */
  path: string;
  /** ldconfig flags: low byte the type (1 ELF, 3 ELF libc6), high byte the arch (`0x0300` x86-64 lib64…). */
  flags: number;
  /** Legacy hwcap bits, or the glibc-hwcaps marker with an index (new format only; 0n otherwise). */
  hwcap: bigint;
  /** The glibc-hwcaps subdirectory (`x86-64-v3`…) for entries that live in one, else null. */
  hwcapsSubdir: string | null;
  /** Which table the entry came from. */
  format: 'old' | 'new';
}

export interface ImageLibc {
  glibc: { loader: string; libc: string | null; maxVersion: string | null } | null;
  musl: { loader: string } | null;
}

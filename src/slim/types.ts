/** Public shapes of `imgslim slim`: options, the keep plan and the result. */
import type { FinalEntry } from '../fs/index.js';
import type { Entrypoint, SlimSummary, SourceFormat } from '../report/index.js';

export type SlimCompression = 'gzip' | 'zstd' | 'none';

export interface PlanOptions {
  /** `--keep`: paths or globs (`*`, `**`, `?`, `[…]`); a directory keeps its subtree. */
  keep?: readonly string[];
  /**
   * `--entrypoint`: replaces the config's Entrypoint and clears its Cmd, as
   * `docker run --entrypoint` does. The slimmed image's config carries it.
   */
  entrypoint?: readonly string[];
  /**
   * Paths found in use by other means (`slim --probe`: what the traced probes opened, executed,
   * listed…), looked up like a process would: kept with the symlinks on the way and, for ELF
   * files, their closures; paths the image lacks are skipped.
   */
  extraPaths?: readonly ExtraPath[];
  /**
   * The extra paths are what probes used: a program they ran keeps, of what static rules would
   * add for it (its package's private programs, the other plugins of a directory, the programs
   * its strings name), only the programs and shared objects they touched (src/slim/probe-narrowing.ts).
   * `slim --probe` sets it unless --keep-unprobed.
   */
  narrowToProbes?: boolean;
  /** `--force`: write the image even when its entrypoint could not start (see KeepPlan.startProblems). */
  force?: boolean;
}

/** A path some process used, absolute, with why it is kept (e.g. "used by probe 'app --check'"). */
export interface ExtraPath {
  path: string;
  reason: string;
  /** false when the process did not follow a final symlink (lstat, readlink, O_NOFOLLOW): the link is kept, not its target. Default true. */
  followLast?: boolean;
}

export interface Risk {
  path: string | null;
  message: string;
}

/** An entry of the slimmed image that is not the source's entry as is. */
export type Replacement =
  /** Same metadata, other content (e.g. /etc/passwd reduced to root and the User). */
  | { kind: 'content'; content: Uint8Array; note: string }
  /** An entry the source lacks (e.g. /tmp), or whose metadata changes (mode 1777). */
  | { kind: 'entry'; entry: FinalEntry<unknown>; note: string };

export interface KeepPlan {
  /** Canonical paths of the source's final filesystem that are kept, each with its reasons. */
  kept: Map<string, string[]>;
  /** Kept paths written differently from the source, and paths the source lacks. */
  replacements: Map<string, Replacement>;
  risks: Risk[];
  /** The Entrypoint and Cmd the slimmed image's config carries (after --entrypoint). */
  entrypoint: string[] | null;
  cmd: string[] | null;
  /** How that entrypoint resolves in the source image. */
  resolved: Entrypoint | null;
  /** Why the slimmed image's entrypoint could not start (static analysis); empty when it can. slim refuses unless `force`. */
  startProblems: string[];
}

export interface SlimOutput {
  path: string;
  format: SourceFormat;
  compression: SlimCompression;
  manifestDigest: string;
  configDigest: string;
  /** The one layer: digest of the stored blob and of the uncompressed tar. */
  layerDigest: string;
  diffId: string;
  compressedSize: number;
  tarSize: number;
}

export interface SlimResult {
  summary: SlimSummary;
  plan: KeepPlan;
  /** null for a dry run. */
  output: SlimOutput | null;
}

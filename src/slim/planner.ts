/**
 * What every keep rule works with: the analysed image, the keep set, the risks found so far and
 * the replacements (rewritten or created entries). Rules are functions over a Planner.
 */
import { envMap, type EntrypointPlan, type ImageAnalysis, type ImageFs } from '../analysis/index.js';
import type { ElfInfo } from '../elf/index.js';
import type { Binary, ImageConfigSummary } from '../report/index.js';
import { KeepSet } from './keep-set.js';
import { ProbeNarrowing } from './probe-narrowing.js';
import type { ExtraPath, Replacement, Risk } from './types.js';

export class Planner {
  readonly keep: KeepSet;
  readonly risks: Risk[] = [];
  readonly replacements = new Map<string, Replacement>();
  readonly binaries: ReadonlyMap<string, Binary>;
  readonly env: Map<string, string>;
  readonly fs: ImageFs;
  /** Patterns given with --keep, for rules that step aside when the user named a path. */
  readonly keepPatterns: readonly string[];
  /** Every program the entrypoint starts, as resolved exec plans: the entrypoint's own first, then wrapped commands and shell-form programs. */
  readonly execPlans: EntrypointPlan[] = [];
  /** With probes (and without --keep-unprobed): what they showed programs not to use (probe-narrowing.ts). */
  readonly narrowing: ProbeNarrowing | null;
  /** Accounts kept config files name (`user www-data;`), each with the file that names it: plan-accounts keeps their entries. */
  readonly accountNames = { users: new Map<string, string>(), groups: new Map<string, string>() };

  constructor(
    readonly analysis: ImageAnalysis,
    /** The config as the slimmed image will run it (--entrypoint applied). */
    readonly config: ImageConfigSummary,
    readonly entrypoint: EntrypointPlan | null,
    keepPatterns: readonly string[],
    probed: readonly ExtraPath[] | null = null,
  ) {
    this.fs = analysis.fs;
    this.binaries = new Map(analysis.binaries.binaries.map((binary) => [binary.path, binary]));
    this.env = envMap(config.env);
    this.keepPatterns = keepPatterns;
    if (entrypoint) this.execPlans.push(entrypoint);
    const sortedPaths = analysis.merged.sortedPaths();
    this.keep = new KeepSet({
      entries: analysis.merged.entries,
      sortedPaths,
      isBinary: (path) => this.binaries.has(path),
    });
    this.narrowing = probed ? new ProbeNarrowing(analysis.merged.entries, probed, (path) => this.binaries.has(path)) : null;
  }

  risk(path: string | null, message: string): void {
    if (!this.risks.some((risk) => risk.path === path && risk.message === message)) this.risks.push({ path, message });
  }

  elf(path: string): ElfInfo | null {
    return this.fs.elf(path);
  }

  /** Kept paths that are ELF files the analysis described, in byte order. */
  keptBinaries(): Binary[] {
    const result: Binary[] = [];
    for (const path of this.keep.reasons.keys()) {
      const binary = this.binaries.get(path);
      if (binary) result.push(binary);
    }
    return result.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  }

  /**
   * The probe that would show what static analysis cannot: the entrypoint's command line run
   * traced (`--probe '…'`), and for a server, an HTTP request to its first exposed TCP port.
   */
  probeHint(): string {
    const argv = this.entrypoint?.entrypoint.argv ?? [];
    const port = Object.keys(this.config.exposedPorts ?? {}).map((key) => /^(\d+)(?:\/tcp)?$/.exec(key)?.[1]).find((x) => x !== undefined);
    if (port) return `--probe-http ${port}/`;
    return argv.length > 0 ? `--probe ${shellQuote(argv.map(shellQuote).join(' '))}` : "--probe 'COMMAND'";
  }

  /** Canonical paths of the programs the entrypoint starts (its program, interpreters, wrapped commands). */
  entrypointPrograms(): string[] {
    const programs = new Set<string>();
    for (const plan of this.execPlans) {
      const ep = plan.entrypoint;
      for (const program of [ep.binary, ep.path, ...ep.interpreters]) {
        const real = program ? this.fs.resolveEntry(program)?.path : undefined;
        if (real) programs.add(real);
      }
    }
    return [...programs];
  }

  /** The config's WorkingDir, `/` when unset. */
  get workingDir(): string {
    return this.config.workingDir ?? '/';
  }
}

/** A word as a POSIX shell reads it back: bare when safe, else single-quoted. */
export function shellQuote(word: string): string {
  return /^[A-Za-z0-9_@%+=:,./-]+$/.test(word) ? word : `'${word.replace(/'/g, "'\\''")}'`;
}

/**
 * With probes, what the probes showed a program not to use. Four static rules keep programs a
 * program *might* run or load: its package's private programs (git's /usr/lib/git-core), the
 * other plugins of a plugin's directory, the tree of a directory a config file names
 * (ImageMagick's configure.xml names its coders directory), and programs its strings name (git
 * names scalar). Once a probe has run that program (read that config file, loaded that plugin),
 * such a program or shared object that no probe touched is left out, with a risk that names what
 * was left and the --keep that keeps it.
 * Data files (templates, static assets, .la files, XML) are never narrowed: a request a probe
 * did not make may read them. `--keep-unprobed` turns narrowing off.
 */
import path from 'node:path/posix';
import { lookupTrail } from './lookup.js';
import type { ExtraPath } from './types.js';
import type { FinalEntry } from '../fs/index.js';

export class ProbeNarrowing {
  /** Canonical paths the probes touched (entries and the symlinks on their way). */
  private readonly used = new Set<string>();
  /** What was left out, by what the probes showed (e.g. "the probes ran /usr/bin/git and never used these programs of git's data"). */
  private readonly left = new Map<string, { ran: string; paths: string[] }>();

  constructor(
    private readonly entries: ReadonlyMap<string, FinalEntry<unknown>>,
    probed: readonly ExtraPath[],
    private readonly isBinary: (path: string) => boolean,
  ) {
    for (const extra of probed) {
      const trail = lookupTrail(entries, extra.path, extra.followLast ?? true);
      for (const link of trail.symlinks) this.used.add(link);
      if (trail.final !== null) this.used.add(trail.final);
    }
  }

  /** Whether a probe touched `canonical` (an entry's own path). */
  touched(canonical: string): boolean {
    return this.used.has(canonical);
  }

  /**
   * True when `candidate`, a program or shared object that a static rule would keep because of
   * `ran`, is to be left out: `ran` was touched by the probes and `candidate` was not. `finding`
   * says what the probes showed, for the risk. Records it.
   */
  leaveOut(candidate: string, ran: string, finding: string): boolean {
    if (!this.used.has(ran)) return false;
    const trail = lookupTrail(this.entries, candidate, true);
    if (trail.final === null || !this.isProgram(trail.final)) return false;
    if ([...trail.symlinks, trail.final].some((item) => this.used.has(item))) return false;
    const group = this.left.get(finding) ?? { ran, paths: [] };
    if (!group.paths.includes(candidate)) group.paths.push(candidate);
    this.left.set(finding, group);
    return true;
  }

  /**
   * One risk per finding: what was left out (each file once), and the --keep that keeps it.
   * A file another rule kept after all (`isKept`) is not told.
   */
  risks(isKept: (path: string) => boolean): Array<{ path: string; message: string }> {
    const result = [];
    const told = new Set<string>();
    for (const [finding, group] of this.left) {
      // A file two rules would have kept is told once, by the first.
      const paths = group.paths.filter((item) => !told.has(item) && !isKept(item));
      if (paths.length === 0) continue;
      for (const item of paths) told.add(item);
      const ran = group.ran;
      const shown = paths.slice(0, 3).join(', ') + (paths.length > 3 ? `, … (${paths.length} in all)` : '');
      const keep = paths.length <= 3 ? paths.map((item) => `--keep ${item}`).join(' ') : [...new Set(paths.map((item) => `--keep '${path.dirname(item)}/**'`))].slice(0, 3).join(' ');
      result.push({
        path: ran,
        message: `${finding}, so they were left out: ${shown}; a workload the probes did not cover may need them: ${keep} (or --keep-unprobed) keeps them`,
      });
    }
    return result;
  }

  /** An ELF file or an executable file (`final`: a canonical path): what a program runs or loads, not data it reads. */
  private isProgram(final: string): boolean {
    const entry = this.entries.get(final);
    if (!entry || (entry.type !== 'file' && entry.type !== 'hardlink')) return false;
    return this.isBinary(final) || (entry.mode & 0o111) !== 0;
  }
}

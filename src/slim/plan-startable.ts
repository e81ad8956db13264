/**
 * Fail closed: whether the slimmed image's entrypoint can start, as static analysis sees it. Every
 * path the exec chain touches (argv[0] and its symlinks, interpreters, the shell and its programs)
 * must be kept, every ELF file that runs must have no problem in the source (wrong libc, missing
 * loader) and every library of its closure must be kept. slim refuses to write an image that
 * fails this, unless --force.
 */
import type { ResolvedDependency } from '../report/index.js';
import { lookupTrail } from './lookup.js';
import type { Planner } from './planner.js';

/** Why the planned image's entrypoint cannot start; empty when it can (or nothing is configured to run). */
export function startProblems(p: Planner): string[] {
  const problems: string[] = [];
  const entrypoint = p.entrypoint?.entrypoint;
  if (!entrypoint || entrypoint.argv.length === 0) return problems;
  if (!entrypoint.startable) problems.push(`the entrypoint cannot start in the source image either: ${entrypoint.reasons.slice(-2).join('; ')}`);
  for (const plan of p.execPlans) {
    for (const step of plan.paths) {
      const trail = lookupTrail(p.analysis.merged.entries, step);
      const touched = [...trail.symlinks, trail.final].filter((path): path is string => path !== null && path !== '/');
      const missing = touched.find((path) => !p.keep.has(path));
      if (trail.final === null) problems.push(`${step} is not in the image`);
      else if (missing) problems.push(`${missing} (on the way to ${step}) would not be kept`);
    }
    for (const elf of plan.elfs) {
      const binary = p.binaries.get(p.fs.resolveEntry(elf)?.path ?? elf);
      if (!binary) continue;
      for (const problem of binary.problems) problems.push(`${binary.path}: ${problem}`);
      for (const dep of binary.resolved) {
        const lost = lostDependency(p, dep);
        if (lost) problems.push(`${binary.path}: ${lost}`);
      }
    }
  }
  return [...new Set(problems)];
}

function lostDependency(p: Planner, dep: ResolvedDependency): string | null {
  if (dep.via === 'not-found') return `${dep.name} (NEEDED by ${dep.neededBy}) is not in the image`;
  if (dep.path === null || dep.via === 'vdso' || dep.via === 'already-loaded' || dep.via === 'musl-builtin') return null;
  return p.keep.has(dep.path) ? null : `${dep.name} (NEEDED by ${dep.neededBy}) at ${dep.path} would not be kept`;
}

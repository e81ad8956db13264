/** no-missing-deps: every interpreter and DT_NEEDED resolves and every symbol version is provided. */
import type { Binary, Report } from '../../report/index.js';
import type { RawViolation } from '../types.js';
import { fileViolation, flagRule, isLoadable } from './evidence.js';

/** Finding ids of problems that are not about dependencies (an executable for another CPU). */
const NOT_DEPENDENCY_FINDINGS = new Set(['wrong-architecture']);

export const noMissingDeps = flagRule({
  name: 'no-missing-deps',
  title: 'Every dependency resolves',
  description:
    "Every executable's and shared library's interpreter and DT_NEEDED libraries resolve the way the image's own loader searches (RPATH, LD_LIBRARY_PATH from Env, RUNPATH, ld.so.cache, default paths), with the right class and machine, and every required symbol version is defined by the library that provides it.",
  scope: 'files',
  evaluate: (report) => {
    const excluded = excludedProblems(report);
    return report.binaries.filter(isLoadable).flatMap((binary) => dependencyViolations(binary, excluded));
  },
});

/** `path\0message` of the problems the findings classify as not about dependencies. */
function excludedProblems(report: Report): Set<string> {
  return new Set(report.findings.filter((finding) => NOT_DEPENDENCY_FINDINGS.has(finding.id)).map((finding) => `${finding.path}\0${finding.message}`));
}

function dependencyViolations(binary: Binary, excluded: Set<string>): RawViolation[] {
  const problems = new Map<string, string>();
  for (const problem of binary.problems) {
    if (!excluded.has(`${binary.path}\0${problem}`)) problems.set(problem, problemKey(problem, binary));
  }
  // The closure's own records, in case a problem is only there (or to add where it was searched).
  for (const dep of binary.resolved) {
    if (dep.via !== 'not-found' && dep.problem === null) continue;
    const problem = dep.problem ?? `${dep.name} not found (needed by ${dep.neededBy})`;
    if (![...problems.keys()].some((known) => known.includes(problem) || problem.includes(known))) {
      problems.set(problem, `${dep.neededBy} ${dep.name}`);
    }
  }
  return [...problems].map(([problem, key]) => fileViolation(binary.path, `will not load: ${problem}`, key));
}

/** A stable key for a problem line: the dependency it is about when the closure says which. */
function problemKey(problem: string, binary: Binary): string {
  const dep = binary.resolved.find((candidate) => candidate.problem === problem);
  return dep ? `${dep.neededBy} ${dep.name}` : problem;
}

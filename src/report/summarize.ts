/**
 * The Report's `summary` block, derived from the rest of the Report by one pure function: the
 * entrypoint verdict, image-wide counts, findings grouped by kind and the order binaries are
 * listed in. Text, the terminal UI and JSON all show this, so they agree.
 */
import { compareVersionParts, glibcVersionParts } from '../elf/index.js';
import type { Binary, BinaryStatus, EntrypointVerdict, Finding, FindingGroup, Report, ReportSummary, Severity } from './schema.js';

export type SummaryInput = Pick<Report, 'binaries' | 'entrypoint' | 'findings' | 'source' | 'config'>;

const SEVERITY_RANK: Record<Severity, number> = { error: 0, warning: 1, info: 2 };
const STATUS_RANK: Record<BinaryStatus, number> = { 'will-fail': 0, unknown: 1, ok: 2 };
const GROUP_EXAMPLES = 3;

export function summarizeReport(report: SummaryInput): ReportSummary {
  const byPath = new Map(report.binaries.map((binary) => [binary.path, binary]));
  const program = report.entrypoint?.binary ? byPath.get(report.entrypoint.binary) : undefined;
  const pinned = program ? closurePaths(program).filter((path) => byPath.has(path)) : [];
  return {
    entrypoint: entrypointVerdict(report, program, byPath),
    counts: countAll(report),
    findingGroups: groupFindings(report.findings, new Set(pinned)),
    binaryOrder: binaryOrder(report.binaries, pinned),
  };
}

/** The program first, then every object its closure loads, in load order, each once. */
function closurePaths(program: Binary): string[] {
  return [...new Set([program.path, ...program.resolved.flatMap((dep) => (dep.path ? [dep.path] : []))])];
}

function binaryOrder(binaries: readonly Binary[], pinned: readonly string[]): string[] {
  const pinnedSet = new Set(pinned);
  const rest = binaries
    .filter((binary) => !pinnedSet.has(binary.path))
    .sort(
      (a, b) =>
        STATUS_RANK[a.status] - STATUS_RANK[b.status] ||
        Number(a.role !== 'executable') - Number(b.role !== 'executable') ||
        compareText(a.path, b.path),
    );
  return [...pinned, ...rest.map((binary) => binary.path)];
}

function groupFindings(findings: readonly Finding[], pinned: ReadonlySet<string>): FindingGroup[] {
  const byId = new Map<string, Finding[]>();
  for (const finding of findings) byId.set(finding.id, [...(byId.get(finding.id) ?? []), finding]);
  const worst = (list: Finding[]) => list.reduce((best, f) => (SEVERITY_RANK[f.severity] < SEVERITY_RANK[best] ? f.severity : best), 'info' as Severity);
  const groups = [...byId].map(([id, list]): FindingGroup => {
    const severity = worst(list);
    const examples = list
      .filter((finding) => finding.severity === severity)
      .sort((a, b) => Number(!pinned.has(a.path ?? '')) - Number(!pinned.has(b.path ?? '')) || compareText(a.path ?? '', b.path ?? ''))
      .slice(0, GROUP_EXAMPLES)
      .map((finding) => ({ path: finding.path, message: finding.message }));
    return { id, severity, count: list.length, examples };
  });
  return groups.sort((a, b) => SEVERITY_RANK[a.severity] - SEVERITY_RANK[b.severity] || b.count - a.count || compareText(a.id, b.id));
}

function countAll(report: SummaryInput): ReportSummary['counts'] {
  const counts: ReportSummary['counts'] = {
    binaries: 0,
    paths: report.binaries.length,
    executables: 0,
    libraries: 0,
    failing: 0,
    neverLoaded: 0,
    unknown: 0,
    linkage: { static: 0, 'static-pie': 0, dynamic: 0 },
    libc: { glibc: 0, musl: 0, none: 0, other: 0 },
    findings: { error: 0, warning: 0, info: 0 },
  };
  for (const binary of report.binaries) {
    // A file with hard links is counted once, at its least name.
    if (binary.hardLinks.some((name) => compareText(name, binary.path) < 0)) continue;
    counts.binaries++;
    if (binary.role === 'executable') counts.executables++;
    else if (binary.role === 'library') counts.libraries++;
    if (binary.neverLoaded !== null) counts.neverLoaded++;
    else if (binary.status === 'will-fail') counts.failing++;
    else if (binary.status === 'unknown') counts.unknown++;
    counts.linkage[binary.linkage]++;
    counts.libc[binary.libc === 'glibc' || binary.libc === 'musl' || binary.libc === 'none' ? binary.libc : 'other']++;
  }
  for (const finding of report.findings) counts.findings[finding.severity]++;
  return counts;
}

function entrypointVerdict(report: SummaryInput, program: Binary | undefined, byPath: Map<string, Binary>): EntrypointVerdict | null {
  const entrypoint = report.entrypoint;
  if (!entrypoint || entrypoint.argv.length === 0) return null;
  const required = program ? glibcRequired(program, byPath) : null;
  const provided = libcProvided(program, report.binaries, byPath);
  return {
    program: entrypoint.binary ?? entrypoint.path ?? entrypoint.argv[0]!,
    linkage: program?.linkage ?? null,
    libc: program?.libc ?? null,
    glibcRequired: required ? versionText(required.version) : null,
    glibcRequiredBy: required?.by ?? null,
    libcProvided: provided,
    go: program?.go ? { version: program.go.version, cgoEnabled: program.go.cgoEnabled } : null,
    canStart: entrypoint.startable,
    checked: checks(report, program, required, provided),
    problems: entrypoint.startable ? [] : entrypoint.reasons,
  };
}

/** glibc's own objects define GLIBC_ versions: their needs are internal to one glibc, never the image's floor. */
function isGlibcPart(binary: Binary | undefined): boolean {
  return binary?.glibcProvided != null;
}

function glibcRequired(program: Binary, byPath: Map<string, Binary>): { version: number[]; by: string } | null {
  let best: { version: number[]; by: string } | null = null;
  for (const path of closurePaths(program)) {
    const binary = byPath.get(path);
    if (!binary?.glibcFloor || isGlibcPart(binary)) continue;
    const version = glibcVersionParts(binary.glibcFloor);
    if (version && (!best || compareVersionParts(version, best.version) > 0)) best = { version, by: path };
  }
  return best;
}

/** The libc the program loads (its closure's libc.so.6 or musl loader), else the image's own. */
function libcProvided(program: Binary | undefined, binaries: readonly Binary[], byPath: Map<string, Binary>): EntrypointVerdict['libcProvided'] {
  const loaded = program ? closurePaths(program).slice(1).map((path) => byPath.get(path)) : [];
  const glibc = loaded.find((b) => b?.soname === 'libc.so.6') ?? binaries.find((b) => b.soname === 'libc.so.6' && isGlibcPart(b));
  const musl = loaded.find((b) => b?.libc === 'musl' && b.interpreter === null) ?? binaries.find(isMuslLibc);
  const wantsMusl = program?.libc === 'musl' || (!glibc && musl);
  if (glibc && !wantsMusl) {
    const provided = glibc.glibcProvided ? glibcVersionParts(glibc.glibcProvided) : null;
    return { family: 'glibc', path: glibc.path, version: provided ? versionText(provided) : null, versionFrom: provided ? 'verdef' : null };
  }
  if (musl) {
    // The owning package's version is the more precise (`1.2.4_git20230717-r4`); without a package database, the libc's own string.
    if (musl.package?.version) return { family: 'musl', path: musl.path, version: musl.package.version, versionFrom: 'package' };
    return { family: 'musl', path: musl.path, version: musl.muslVersion, versionFrom: musl.muslVersion ? 'embedded' : null };
  }
  return null;
}

function isMuslLibc(binary: Binary): boolean {
  return binary.libc === 'musl' && binary.interpreter === null && /\/(ld-musl-[^/]+\.so\.1|libc\.musl-[^/]+\.so\.1)$/.test(binary.path);
}

export const NOT_CHECKED = 'not checked: configuration files, data and accounts it reads at run time';

function checks(report: SummaryInput, program: Binary | undefined, required: { version: number[] } | null, provided: EntrypointVerdict['libcProvided']): string[] {
  const entrypoint = report.entrypoint!;
  const done: string[] = [];
  if (entrypoint.path) done.push(`argv[0] found at ${entrypoint.path}`);
  if (entrypoint.interpreters.length > 0) done.push(`script interpreter ${entrypoint.interpreters.join(' → ')} present`);
  if (report.config.user && /[^\d:]/.test(report.config.user)) done.push(`user ${report.config.user} in /etc/passwd, /etc/group`);
  if (!program) return done;
  done.push(`ELF machine ${program.machine} for ${report.source.platform}`);
  if (program.interpreter) done.push(`loader ${program.interpreter} present`);
  const loader = new Set(program.resolved.filter((dep) => dep.via === 'interpreter').map((dep) => dep.path));
  const libraries = new Set(program.resolved.flatMap((dep) => (dep.path && !loader.has(dep.path) && dep.via !== 'vdso' ? [dep.path] : []))).size;
  if (program.linkage === 'dynamic' || libraries > 0) done.push(`${libraries} ${libraries === 1 ? 'library' : 'libraries'} of the closure resolved as its loader would`);
  if (required && provided?.family === 'glibc' && provided.version) done.push(`GLIBC_${versionText(required.version)} ≤ ${provided.version} (symbol versions)`);
  if (program.linkage !== 'dynamic') done.push(`${program.linkage}: no loader or shared libraries needed`);
  // A program can find every library and still fail on a missing configuration file: say what was not looked at.
  done.push(NOT_CHECKED);
  return done;
}

/** `[2, 34, 0]` → `2.34`; `[2, 3, 4]` → `2.3.4`. */
function versionText(version: readonly number[]): string {
  return version[2] ? version.join('.') : `${version[0]}.${version[1]}`;
}

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

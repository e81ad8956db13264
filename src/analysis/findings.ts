/**
 * Findings: what will fail at run time, what is risky, and what is worth knowing, each with a
 * stable id. Derived from the binaries, the final filesystem, the config and the entrypoint.
 */
import type { ElfInfo } from '../elf/index.js';
import { insecureSearchPaths } from '../elf/index.js';
import type { Binary, Entrypoint, Filesystem, Finding, ImageConfigSummary } from '../report/index.js';
import { DLOPEN_IMPORT } from './capture.js';
import { runsAsRoot } from './user.js';

export interface FindingInputs {
  binaries: Binary[];
  elfOf: (path: string) => ElfInfo | null;
  filesystem: Filesystem;
  config: ImageConfigSummary;
  entrypoint: Entrypoint | null;
  versionProblems: Map<string, string[]>;
  /** What the loader prints but survives (weak version needs, a corrupt cache), per binary. */
  loaderWarnings: Map<string, string[]>;
  /** ld.so.conf directories whose libraries the ld.so.cache lacks. */
  staleCache: string[];
}

/** Static Go binaries need no loader, but the Go runtime and net/crypto packages still read these. */
const GO_RUNTIME_FILES = 'CA certificates (/etc/ssl/certs), /etc/nsswitch.conf, /etc/hosts, /etc/resolv.conf and zoneinfo';

export function collectFindings(inputs: FindingInputs): Finding[] {
  const findings: Finding[] = [];
  const add = (id: string, severity: Finding['severity'], path: string | null, message: string) =>
    findings.push({ id, severity, path, message });

  const entrypoint = inputs.entrypoint;
  if (entrypoint && !entrypoint.startable) {
    const why = entrypoint.reasons.slice(-3).join('; ');
    add('entrypoint-cannot-start', 'error', entrypoint.binary ?? entrypoint.path, `the entrypoint will not start: ${why}`);
  }
  const modes = new Map(inputs.filesystem.entries.map((entry) => [entry.path, entry.mode]));
  for (const binary of inputs.binaries) binaryFindings(binary, inputs, modes, add);
  const neverLoaded = new Set(inputs.binaries.filter((binary) => binary.neverLoaded !== null).map((binary) => binary.path));
  for (const [path, warnings] of inputs.loaderWarnings) {
    if (!neverLoaded.has(path)) for (const warning of warnings) add('loader-warning', 'warning', path, warning);
  }
  for (const line of inputs.staleCache) add('stale-ld-so-cache', 'warning', '/etc/ld.so.cache', line);
  fileFindings(inputs.filesystem, add);
  if (runsAsRoot(inputs.config.user)) {
    add('runs-as-root', 'warning', null, `the container runs as root (User is ${inputs.config.user ? `'${inputs.config.user}'` : 'not set'})`);
  }
  return findings.sort(bySeverity);
}

type Add = (id: string, severity: Finding['severity'], path: string | null, message: string) => void;

function binaryFindings(binary: Binary, inputs: FindingInputs, modes: Map<string, number>, add: Add) {
  if (binary.neverLoaded !== null) {
    // Nothing will load it: what would fail or be risky at load time does not apply.
    add('never-loaded', 'info', binary.path, `never loaded: ${binary.neverLoaded}`);
    return;
  }
  const severity = binary.role === 'executable' ? 'error' : 'warning';
  const versionProblems = new Set(inputs.versionProblems.get(binary.path) ?? []);
  for (const problem of binary.problems) {
    add(problemId(problem, binary, versionProblems), severity, binary.path, problem);
  }
  if (binary.glibcFloor && binary.libc === 'glibc' && binary.role === 'executable') {
    add('glibc-floor', 'info', binary.path, `needs glibc ≥ ${binary.glibcFloor.replace(/^GLIBC_/, '')}`);
  }
  if (binary.go) {
    if (binary.go.cgoEnabled && binary.linkage === 'dynamic') {
      add('go-cgo', 'warning', binary.path, `Go binary built with CGO_ENABLED=1: it needs ${binary.interpreter ?? 'a dynamic loader'} and libc at run time`);
    } else if (binary.linkage !== 'dynamic') {
      add('go-static', 'info', binary.path, `static Go binary (${binary.go.version}): safe on scratch; it may still read ${GO_RUNTIME_FILES}`);
    }
  }
  if (binary.vdso.uses && binary.linkage !== 'dynamic') {
    add('vdso', 'info', binary.path, `uses the vDSO (kernel-provided, never a file): ${binary.vdso.evidence ?? ''}`.trim());
  }
  const elf = inputs.elfOf(binary.path);
  if (elf) {
    const setuid = ((modes.get(binary.path) ?? 0) & 0o6000) !== 0;
    for (const issue of insecureSearchPaths(elf, { setuid })) add('insecure-rpath', 'warning', binary.path, issue);
    if (elf.imports.includes(DLOPEN_IMPORT) || elf.dlopenNotes.length > 0) {
      const named = elf.dlopenNotes.length > 0 ? ` (.note.dlopen names ${elf.dlopenNotes.join(', ')})` : '';
      add('dlopen', 'info', binary.path, `loads libraries at run time with dlopen${named}: static analysis cannot see them`);
    }
  }
  if (binary.diagnostics.length > 0) {
    add('elf-diagnostic', 'warning', binary.path, `ELF parse problems: ${binary.diagnostics.slice(0, 3).join('; ')}`);
  }
}

function problemId(problem: string, binary: Binary, versionProblems: Set<string>): string {
  if (versionProblems.has(problem)) return /GLIBC_/.test(problem) ? 'glibc-version' : 'symbol-version';
  if (/a (glibc|musl) binary on a (musl|glibc) image/.test(problem)) return 'wrong-libc';
  if (/exec format error/.test(problem)) return 'wrong-architecture';
  if (/wrong class\/machine/.test(problem)) return 'wrong-class';
  const interpreter = binary.resolved.find((dep) => dep.via === 'interpreter');
  if (interpreter?.problem === problem) return 'missing-interpreter';
  return 'missing-library';
}

function fileFindings(filesystem: Filesystem, add: Add) {
  for (const entry of filesystem.entries) {
    if ((entry.type === 'file' || entry.type === 'hardlink') && (entry.mode & 0o6000) !== 0) {
      const bits = [entry.mode & 0o4000 ? 'setuid' : '', entry.mode & 0o2000 ? 'setgid' : ''].filter(Boolean).join('+');
      add('setuid', 'warning', entry.path, `${bits} file (mode ${octal(entry.mode)}, owner ${entry.uid}:${entry.gid})`);
    }
    const worldWritable = (entry.mode & 0o002) !== 0 && entry.type !== 'symlink';
    const stickyDir = entry.type === 'directory' && (entry.mode & 0o1000) !== 0;
    if (worldWritable && !stickyDir) add('world-writable', 'warning', entry.path, `world-writable ${entry.type} (mode ${octal(entry.mode)})`);
    if (entry.capabilities && entry.capabilities.length > 0) {
      add('capabilities', 'warning', entry.path, `file capabilities ${entry.capabilities.join(', ')}`);
    } else if (entry.xattrs.includes('security.capability')) {
      add('capabilities', 'warning', entry.path, 'file capabilities (security.capability xattr could not be decoded)');
    }
  }
}

function octal(mode: number): string {
  return (mode & 0o7777).toString(8).padStart(4, '0');
}

const ORDER = { error: 0, warning: 1, info: 2 } as const;

function bySeverity(a: Finding, b: Finding): number {
  return ORDER[a.severity] - ORDER[b.severity] || (a.path ?? '').localeCompare(b.path ?? '') || a.id.localeCompare(b.id);
}

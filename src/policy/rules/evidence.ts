/** Shared helpers for rule evaluators: which binaries count, and evidence phrased from the report. */
import type { Binary, Report } from '../../report/index.js';
import type { ConfiguredRule, RawViolation, RuleDefinition } from '../types.js';

/** Executables and shared libraries: what a loader maps (debug files, .o and cores are not run). */
export function isLoadable(binary: Binary): boolean {
  return (binary.role === 'executable' || binary.role === 'library') && binary.neverLoaded === null;
}

/** Whether the object needs a dynamic loader: PT_INTERP, DT_NEEDED, or a shared library. */
export function isDynamic(binary: Binary): boolean {
  return binary.linkage === 'dynamic' || binary.interpreter !== null || binary.needed.length > 0;
}

/** `NEEDED libc.so.6 via PT_INTERP /lib64/ld-linux-x86-64.so.2`, or the parts that exist. */
export function linkEvidence(binary: Binary): string {
  const needed = binary.needed.length > 0 ? `NEEDED ${binary.needed.join(', ')}` : '';
  const interp = binary.interpreter !== null ? `PT_INTERP ${binary.interpreter}` : '';
  if (needed && interp) return `${needed} via ${interp}`;
  if (needed) return `${needed} (no PT_INTERP)`;
  if (interp) return `${interp} (no NEEDED)`;
  if (binary.role === 'library') return `shared library${binary.soname ? ` ${binary.soname}` : ''} (loaded by a dynamic loader)`;
  return `${binary.linkage} (no PT_INTERP, no NEEDED)`;
}

/** `0755`. */
export function octalMode(mode: number): string {
  return (mode & 0o7777).toString(8).padStart(4, '0');
}

/** `62.3 MB` (decimal) or `59.5 MiB` (binary), with exact bytes below 1 kB. */
export function formatSize(bytes: number, binary = false): string {
  const base = binary ? 1024 : 1000;
  const units = binary ? ['B', 'KiB', 'MiB', 'GiB', 'TiB', 'PiB'] : ['B', 'kB', 'MB', 'GB', 'TB', 'PB'];
  let value = bytes;
  let unit = 0;
  while (Math.abs(value) >= base && unit < units.length - 1) {
    value /= base;
    unit++;
  }
  return unit === 0 ? `${bytes} B` : `${value.toFixed(value < 10 ? 2 : 1)} ${units[unit]}`;
}

/** `1234567` → `1,234,567`. */
export function groupDigits(n: number): string {
  return Math.round(n).toLocaleString('en-US');
}

/** A rule that is simply on or off, with an evaluator over the whole report. */
export function flagRule(
  spec: Omit<RuleDefinition, 'kind' | 'valueSyntax' | 'configure'> & {
    evaluate: (report: Report) => RawViolation[];
    passMessage?: (report: Report) => string;
  },
): RuleDefinition {
  const { evaluate, passMessage, ...definition } = spec;
  const configured: ConfiguredRule = { display: 'enabled', evaluate, ...(passMessage ? { passMessage } : {}) };
  return { ...definition, kind: 'flag', valueSyntax: 'true or false', configure: () => configured };
}

/** A violation about one binary: the message is the path followed by the evidence. */
export function fileViolation(path: string, evidence: string, key?: string): RawViolation {
  return { path, message: `${path} ${evidence}`, evidence, ...(key === undefined ? {} : { key: `${path} ${key}` }) };
}

/** Binaries by path, for rules that follow the entrypoint. */
export function binaryAt(report: Report, path: string): Binary | undefined {
  return report.binaries.find((binary) => binary.path === path);
}

/** The binaries table view-model: order, status, hardening marks, one row per ELF file. */
import type { Binary, BinaryStatus, Hardening } from '../../report/index.js';
import { formatBytes } from '../format/numbers.js';
import type { Cell, Table } from '../format/table.js';
import type { Tone } from '../types.js';

/** In the Report summary's order (entrypoint closure pinned, then failing first); binaries it does not list (none, in a built Report) last. */
export function orderBinaries(binaries: readonly Binary[], order: readonly string[]): Binary[] {
  const rank = new Map(order.map((path, i) => [path, i]));
  return binaries.slice().sort((a, b) => (rank.get(a.path) ?? order.length) - (rank.get(b.path) ?? order.length));
}

export function statusCell(status: BinaryStatus): Cell {
  if (status === 'ok') return { text: 'ok', tone: 'ok' };
  if (status === 'will-fail') return { text: 'FAIL', tone: 'error', bold: true };
  return { text: '?', tone: 'warning' };
}

export const HARDENING_LEGEND =
  'P PIE · R full RELRO (r partial) · C stack canary · N NX · F fortified (- n/a) · W writable+exec · T text relocations';

/** checksec in six cells, e.g. `PRCNF` + warnings; `·` marks a missing protection. */
export function hardeningMarks(h: Hardening): string {
  const relro = h.relro === 'full' ? 'R' : h.relro === 'partial' ? 'r' : '·';
  const fortify = h.fortify === 'yes' ? 'F' : h.fortify === 'no' ? '·' : '-';
  const warnings = (h.wx ? 'W' : '') + (h.textrel ? 'T' : '');
  return `${h.pie ? 'P' : '·'}${relro}${h.canary ? 'C' : '·'}${h.nx ? 'N' : '·'}${fortify}${warnings}`;
}

function hardeningTone(h: Hardening): Tone | undefined {
  return h.wx || h.textrel || !h.nx ? 'warning' : undefined;
}

/** `GLIBC_2.34` → `2.34`. */
export function glibcVersion(floor: string | null): string {
  return floor ? floor.replace(/^GLIBC_/, '') : '';
}

/**
 * The GLIBC column: what a program requires, or for glibc's own objects (libc.so.6, ld.so) the
 * version they provide (the Report's `glibcProvided`) — their own needs are internal to glibc.
 */
export function glibcCell(binary: Binary): Cell {
  if (binary.glibcProvided) return { text: `provides ${glibcVersion(binary.glibcProvided)}`, tone: 'muted' };
  return { text: glibcVersion(binary.glibcFloor) };
}

/** The first reason a binary will not start or load, for the table's last column. */
export function firstProblem(binary: Binary): string {
  return binary.problems[0] ?? binary.diagnostics[0] ?? '';
}

export function binariesTable(sorted: readonly Binary[]): Table {
  return {
    columns: [
      { header: 'STATUS', priority: 0 },
      { header: 'PATH', priority: 0, flex: 'path', min: 24 },
      { header: 'SIZE', priority: 6, align: 'right' },
      { header: 'LINKAGE', priority: 2 },
      { header: 'LIBC', priority: 2 },
      { header: 'INTERPRETER', priority: 7, flex: 'path', min: 12 },
      { header: 'NEEDED', priority: 4, align: 'right' },
      { header: 'GLIBC', priority: 3 },
      { header: 'HARDENING', priority: 5 },
      { header: 'WHY', priority: 1, flex: 'end', min: 12 },
    ],
    rows: sorted.map((binary) => [
      statusCell(binary.status),
      { text: binary.path, tone: binary.status === 'will-fail' ? 'error' : undefined },
      { text: formatBytes(binary.size) },
      { text: binary.linkage },
      { text: binary.libc },
      { text: binary.interpreter ?? '', tone: 'muted' },
      { text: binary.linkage === 'dynamic' ? String(binary.needed.length) : '' },
      glibcCell(binary),
      { text: hardeningMarks(binary.hardening), tone: hardeningTone(binary.hardening) },
      { text: firstProblem(binary), tone: binary.status === 'will-fail' ? 'error' : 'warning' },
    ]),
  };
}

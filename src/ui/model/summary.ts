/** The summary view-model: the facts at the top of every view, computed once from a Report. */
import type { Binary, Entrypoint, Libc, Linkage, Report, Severity } from '../../report/index.js';
import { shortDigest } from '../format/numbers.js';

export interface HeaderModel {
  /** The reference the image was selected by, or the path when it has none. */
  title: string;
  path: string;
  format: string;
  platform: string;
  manifestDigest: string;
  tool: string;
}

export type LibcGroup = 'glibc' | 'musl' | 'none' | 'other';

export interface BinaryCounts {
  total: number;
  executables: number;
  libraries: number;
  failing: number;
  unknown: number;
  linkage: Record<Linkage, number>;
  libc: Record<LibcGroup, number>;
}

export interface EntrypointModel {
  /** Entrypoint + Cmd as one command line. */
  command: string;
  /** The ELF file that will run, when known. */
  binary: string | null;
  startable: boolean;
  reasons: string[];
}

export interface SummaryModel {
  header: HeaderModel;
  size: number;
  /** Bytes of the layer blobs as stored, and how they are stored (`gzip`, `tar`, `gzip+zstd`). */
  compressedSize: number;
  storedAs: string;
  layers: number;
  files: number;
  directories: number;
  symlinks: number;
  binaries: BinaryCounts;
  /** null when the image configures neither Entrypoint nor Cmd. */
  entrypoint: EntrypointModel | null;
  findings: Record<Severity, number>;
  efficiency: { score: number; wastedBytes: number; reclaimableBytes: number };
}

export function buildHeader(report: Report): HeaderModel {
  const { source } = report;
  return {
    title: source.reference ?? source.tags[0] ?? source.path,
    path: source.path,
    format: source.format,
    platform: source.platform,
    manifestDigest: shortDigest(source.manifestDigest),
    tool: `${report.tool.name} ${report.tool.version}`,
  };
}

function libcGroup(libc: Libc): LibcGroup {
  return libc === 'glibc' || libc === 'musl' || libc === 'none' ? libc : 'other';
}

export function countBinaries(binaries: readonly Binary[]): BinaryCounts {
  const counts: BinaryCounts = {
    total: binaries.length,
    executables: 0,
    libraries: 0,
    failing: 0,
    unknown: 0,
    linkage: { static: 0, 'static-pie': 0, dynamic: 0 },
    libc: { glibc: 0, musl: 0, none: 0, other: 0 },
  };
  for (const binary of binaries) {
    if (binary.role === 'executable') counts.executables++;
    else if (binary.role === 'library') counts.libraries++;
    if (binary.status === 'will-fail') counts.failing++;
    else if (binary.status === 'unknown') counts.unknown++;
    counts.linkage[binary.linkage]++;
    counts.libc[libcGroup(binary.libc)]++;
  }
  return counts;
}

/** Quotes an argv word only when a shell would need it. */
function shellWord(word: string): string {
  return /^[\w@%+=:,./-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;
}

export function buildEntrypoint(entrypoint: Entrypoint | null): EntrypointModel | null {
  if (!entrypoint || entrypoint.argv.length === 0) return null;
  return {
    command: entrypoint.argv.map(shellWord).join(' '),
    binary: entrypoint.binary,
    startable: entrypoint.startable,
    reasons: entrypoint.reasons,
  };
}

export function buildSummary(report: Report): SummaryModel {
  const { filesystem } = report;
  const findings: Record<Severity, number> = { error: 0, warning: 0, info: 0 };
  for (const finding of report.findings) findings[finding.severity]++;
  return {
    header: buildHeader(report),
    size: filesystem.totalSize,
    compressedSize: report.layers.reduce((sum, layer) => sum + layer.compressedSize, 0),
    storedAs: [...new Set(report.layers.map((layer) => (layer.compression === 'none' ? 'tar' : layer.compression)))].join('+'),
    layers: report.layers.length,
    files: filesystem.files,
    directories: filesystem.directories,
    symlinks: filesystem.symlinks,
    binaries: countBinaries(report.binaries),
    entrypoint: buildEntrypoint(report.entrypoint),
    findings,
    efficiency: {
      score: report.efficiency.score,
      wastedBytes: report.efficiency.wastedBytes,
      reclaimableBytes: report.efficiency.reclaimableBytes,
    },
  };
}

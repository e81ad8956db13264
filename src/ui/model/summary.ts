/** The summary view-model: the facts at the top of every view, computed once from a Report. */
import type { Entrypoint, EntrypointVerdict, FindingGroup, Report, ReportSummary } from '../../report/index.js';
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
  /** Image-wide counts of binaries and findings (the Report's summary). */
  counts: ReportSummary['counts'];
  /** null when the image configures neither Entrypoint nor Cmd. */
  entrypoint: EntrypointModel | null;
  /** What the entrypoint needs and what the image provides (the Report's summary). */
  verdict: EntrypointVerdict | null;
  /** One per finding kind, errors first (the Report's summary). */
  findingGroups: FindingGroup[];
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
  return {
    header: buildHeader(report),
    size: filesystem.totalSize,
    compressedSize: report.layers.reduce((sum, layer) => sum + layer.compressedSize, 0),
    storedAs: [...new Set(report.layers.map((layer) => (layer.compression === 'none' ? 'tar' : layer.compression)))].join('+'),
    layers: report.layers.length,
    files: filesystem.files,
    directories: filesystem.directories,
    symlinks: filesystem.symlinks,
    counts: report.summary.counts,
    entrypoint: buildEntrypoint(report.entrypoint),
    verdict: report.summary.entrypoint,
    findingGroups: report.summary.findingGroups,
    efficiency: {
      score: report.efficiency.score,
      wastedBytes: report.efficiency.wastedBytes,
      reclaimableBytes: report.efficiency.reclaimableBytes,
    },
  };
}

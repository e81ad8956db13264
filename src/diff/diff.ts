/**
 * Two Reports → the change set between their images. Pure: both Reports must come from an
 * analysis that hashed every file (`AnalyzeOptions.contentDigests: 'all'`), or content changes that keep
 * the size are not seen; `diffReports` refuses Reports without digests rather than guess.
 */
import type { Report } from '../report/index.js';
import { diffBinaries } from './binaries.js';
import { diffFiles } from './files.js';
import { diffPackages } from './packages.js';
import type { DiffImage, ImageDiff, Totals } from './schema.js';
import { DIFF_SCHEMA_VERSION } from './version.js';

export function diffReports(a: Report, b: Report): ImageDiff {
  for (const [label, report] of [['A', a], ['B', b]] as const) {
    if (!hasFileDigests(report)) throw new Error(`diff: report ${label} has no file digests (analyse with contentDigests: 'all')`);
  }
  return {
    diffVersion: DIFF_SCHEMA_VERSION,
    tool: a.tool,
    a: image(a),
    b: image(b),
    files: diffFiles(a.filesystem.entries, b.filesystem.entries),
    binaries: diffBinaries(a.binaries, b.binaries),
    packages: diffPackages(a.packages, b.packages),
    totals: { a: totals(a), b: totals(b) },
  };
}

/** Whether every regular file of the Report carries its content digest. */
export function hasFileDigests(report: Report): boolean {
  return report.filesystem.entries.every((entry) => (entry.type !== 'file' && entry.type !== 'hardlink') || entry.digest !== undefined);
}

function image(report: Report): DiffImage {
  const { path, format, manifestDigest, configDigest, platform, reference } = report.source;
  return { path, format, manifestDigest, configDigest, platform, reference };
}

function totals(report: Report): Totals {
  return {
    size: report.filesystem.totalSize,
    compressedSize: report.layers.reduce((sum, layer) => sum + layer.compressedSize, 0),
    entries: report.filesystem.entries.length,
    files: report.filesystem.files,
    layers: report.layers.length,
    binaries: report.binaries.length,
    packages: report.packages.length,
    efficiencyScore: report.efficiency.score,
    wastedBytes: report.efficiency.wastedBytes,
    reclaimableBytes: report.efficiency.reclaimableBytes,
  };
}

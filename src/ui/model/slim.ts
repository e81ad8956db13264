/** The before → after view-model of a slim run. */
import type { Report, SlimSummary, SlimTotals } from '../../report/index.js';
import { formatBytes, formatCount, formatReduction, shortDigest } from '../format/numbers.js';

export interface SlimRow {
  label: string;
  before: string;
  after: string;
  /** after / before, clamped to [0, 1], for the bar. */
  ratio: number;
  /** e.g. `−92.9%`. */
  change: string;
  grew: boolean;
  /** `after` is an estimate (a dry run's compressed size), shown with `≈`. */
  estimate: boolean;
}

export interface SlimModel {
  rows: SlimRow[];
  kept: { count: number; size: number };
  dropped: SlimSummary['dropped'];
  risks: SlimSummary['risks'];
  /** e.g. `slim.tar (oci-archive, sha256:0123456789ab)`, or null for a dry run. */
  output: string | null;
}

type Measure = { key: keyof SlimTotals; label: string; format: (n: number) => string };

const MEASURES: Measure[] = [
  { key: 'size', label: 'size', format: formatBytes },
  { key: 'compressedSize', label: 'compressed', format: formatBytes },
  { key: 'files', label: 'files', format: formatCount },
  { key: 'layers', label: 'layers', format: formatCount },
  { key: 'binaries', label: 'binaries', format: formatCount },
];

export function buildSlimRows(before: SlimTotals, after: SlimTotals, compressedEstimated = false): SlimRow[] {
  return MEASURES.map(({ key, label, format }) => {
    const b = before[key];
    const a = after[key];
    const estimate = compressedEstimated && key === 'compressedSize';
    return {
      label,
      before: format(b),
      after: `${estimate ? '≈ ' : ''}${format(a)}`,
      estimate,
      ratio: b > 0 ? Math.min(1, Math.max(0, a / b)) : a > 0 ? 1 : 0,
      change: formatReduction(b, a),
      grew: a > b,
    };
  });
}

export function buildSlim(report: Report): SlimModel | null {
  const slim = report.slim;
  if (!slim) return null;
  const output = slim.output
    ? `${slim.output.path} (${slim.output.format}, ${shortDigest(slim.output.manifestDigest)})`
    : null;
  return {
    rows: buildSlimRows(slim.before, slim.after, slim.compressedSizeEstimated),
    kept: { count: slim.kept.length, size: slim.kept.reduce((sum, file) => sum + file.size, 0) },
    dropped: { ...slim.dropped, largest: slim.dropped.largest.slice().sort((a, b) => b.size - a.size) },
    risks: slim.risks,
    output,
  };
}

/** A horizontal bar `width` cells wide, filled to `ratio`: `████░░░░`. */
export function renderBar(ratio: number, width: number): string {
  const filled = Math.round(Math.min(1, Math.max(0, ratio)) * width);
  // Something left should never look like nothing left.
  const shown = ratio > 0 && filled === 0 ? 1 : filled;
  return '█'.repeat(shown) + '░'.repeat(Math.max(0, width - shown));
}

/**
 * Size rules: max-size, and dive's three CI rules with dive's meanings and comparisons
 * (wagoodman/dive cmd/dive/cli/internal/command/ci/rules.go): efficiency below the threshold
 * fails, wasted bytes or user-wasted ratio above it fail; equal values pass.
 */
import type { Report } from '../../report/index.js';
import type { RawViolation, RuleDefinition } from '../types.js';
import { parseRatio, parseSize, usesBinaryUnits } from '../values.js';
import { Ratio, Size } from '../value-schemas.js';
import { formatSize, groupDigits } from './evidence.js';

const MEASURES = ['uncompressed', 'compressed', 'filesystem'] as const;
type Measure = (typeof MEASURES)[number];

const MEASURE_TEXT: Record<Measure, string> = {
  uncompressed: 'uncompressed size of all layers',
  compressed: 'compressed size of all layers (what a pull downloads)',
  filesystem: 'size of the final filesystem',
};

function measure(report: Report, what: Measure): number {
  if (what === 'filesystem') return report.filesystem.totalSize;
  return report.layers.reduce((sum, layer) => sum + (what === 'compressed' ? layer.compressedSize : layer.size), 0);
}

export const maxSize: RuleDefinition = {
  name: 'max-size',
  title: 'The image is no larger than the limit',
  description:
    'The image size is at most this many bytes. Sizes are decimal (`50MB` = 50,000,000 bytes) or binary (`50MiB` = 52,428,800 bytes). `measure:` picks the size: `uncompressed` (default: the content of all layers, as dive and `docker image ls` count it), `compressed` (the layer blobs a pull downloads) or `filesystem` (the final filesystem).',
  kind: 'value',
  valueSyntax: 'a size such as "50MB" or "48MiB"',
  valueSchema: Size,
  scope: 'image',
  options: { measure: MEASURES },
  configure(value, options) {
    const limit = parseSize(value);
    const what = (options.measure ?? 'uncompressed') as Measure;
    const binary = typeof value === 'string' && usesBinaryUnits(value);
    const shown = typeof value === 'string' ? value.trim() : formatSize(limit, binary);
    return {
      display: what === 'uncompressed' ? shown : `${shown} (${what})`,
      evaluate: (report) => {
        const size = measure(report, what);
        if (size <= limit) return [];
        const evidence = `${MEASURE_TEXT[what]} is ${formatSize(size, binary)} (${groupDigits(size)} bytes), above ${shown} (${groupDigits(limit)} bytes)`;
        return [{ path: null, message: `the image is too large: ${evidence}`, evidence, key: `max-size ${what}` }];
      },
      passMessage: (report) => `${MEASURE_TEXT[what]} is ${formatSize(measure(report, what), binary)} (limit ${shown})`,
    };
  },
};

/** A ratio with 4 decimals, or every digit when rounding would make it look equal to the threshold. */
function showRatio(value: number, threshold: number): string {
  const rounded = Number(value.toFixed(4));
  return rounded === threshold && value !== threshold ? String(value) : String(rounded);
}

/** The first few wasted paths, as evidence: `/big.bin ×2 (4.0 MB)`. */
function topWasted(report: Report): string {
  const top = report.efficiency.topWasted.slice(0, 3).map((item) => `${item.path} ×${item.count} (${formatSize(item.cumulativeSize)})`);
  return top.length > 0 ? `; most wasted: ${top.join(', ')}` : '';
}

export const lowestEfficiency: RuleDefinition = {
  name: 'lowest-efficiency',
  title: "dive's image efficiency is at least the threshold",
  description:
    "dive's `lowestEfficiency`: the efficiency score (Σ smallest size of each path across layers / Σ all its sizes) must not be below this ratio between 0 and 1. An efficiency equal to the threshold passes, as in dive.",
  kind: 'value',
  valueSyntax: 'a ratio between 0 and 1 such as 0.95',
  valueSchema: Ratio,
  scope: 'image',
  configure(value) {
    const threshold = parseRatio(value);
    return {
      display: String(threshold),
      evaluate: (report): RawViolation[] => {
        const efficiency = report.efficiency.score;
        if (!(threshold > efficiency)) return [];
        const evidence = `efficiency ${showRatio(efficiency, threshold)} < threshold ${threshold}${topWasted(report)}`;
        return [{ path: null, message: `image efficiency is too low: ${evidence}`, evidence, key: 'lowest-efficiency' }];
      },
      passMessage: (report) => `efficiency ${showRatio(report.efficiency.score, threshold)} ≥ ${threshold}`,
    };
  },
};

export const highestWastedBytes: RuleDefinition = {
  name: 'highest-wasted-bytes',
  title: "dive's wasted bytes are at most the threshold",
  description:
    "dive's `highestWastedBytes`: the bytes of every path present in more than one layer, summed over its copies, must not exceed this size (`20MB` decimal, `20MiB` binary, or bytes). Wasted bytes equal to the threshold pass, as in dive.",
  kind: 'value',
  valueSyntax: 'a size such as "20MB"',
  valueSchema: Size,
  scope: 'image',
  configure(value) {
    const threshold = parseSize(value);
    const shown = typeof value === 'string' ? value.trim() : String(threshold);
    return {
      display: shown,
      evaluate: (report): RawViolation[] => {
        const wasted = report.efficiency.wastedBytes;
        if (!(wasted > threshold)) return [];
        const evidence = `wasted bytes ${groupDigits(wasted)} (${formatSize(wasted)}) > threshold ${groupDigits(threshold)} (${shown})${topWasted(report)}`;
        return [{ path: null, message: `too many bytes wasted: ${evidence}`, evidence, key: 'highest-wasted-bytes' }];
      },
      passMessage: (report) => `wasted bytes ${groupDigits(report.efficiency.wastedBytes)} ≤ ${groupDigits(threshold)}`,
    };
  },
};

export const highestUserWastedPercent: RuleDefinition = {
  name: 'highest-user-wasted-percent',
  title: "dive's user-wasted ratio is at most the threshold",
  description:
    "dive's `highestUserWastedPercent`: wasted bytes divided by the bytes of all layers but the first (the base) must not exceed this ratio between 0 and 1. A ratio equal to the threshold passes, as in dive.",
  kind: 'value',
  valueSyntax: 'a ratio between 0 and 1 such as 0.1',
  valueSchema: Ratio,
  scope: 'image',
  configure(value) {
    const threshold = parseRatio(value);
    return {
      display: String(threshold),
      evaluate: (report): RawViolation[] => {
        const ratio = report.efficiency.userWastedPercent;
        if (!(ratio > threshold)) return [];
        const evidence = `user-wasted ratio ${showRatio(ratio, threshold)} > threshold ${threshold} (${formatSize(report.efficiency.wastedBytes)} wasted)${topWasted(report)}`;
        return [{ path: null, message: `too many bytes wasted relative to the user layers: ${evidence}`, evidence, key: 'highest-user-wasted-percent' }];
      },
      passMessage: (report) => `user-wasted ratio ${showRatio(report.efficiency.userWastedPercent, threshold)} ≤ ${threshold}`,
    };
  },
};

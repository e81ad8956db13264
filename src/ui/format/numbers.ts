/** Human numbers: IEC sizes, percentages, reductions, counts, rates, short digests. */

const UNITS = ['B', 'KiB', 'MiB', 'GiB', 'TiB', 'PiB', 'EiB'] as const;

/** IEC size with one decimal, e.g. `137.2 MiB`; plain bytes below 1 KiB (`512 B`). */
export function formatBytes(n: number): string {
  if (!Number.isFinite(n)) return '?';
  if (n < 0) return `-${formatBytes(-n)}`;
  if (n < 1024) return `${Math.round(n)} B`;
  let unit = 0;
  let value = n;
  while (value >= 1024 && unit < UNITS.length - 1) {
    value /= 1024;
    unit++;
  }
  // 1023.96 KiB would print as "1024.0 KiB": carry into the next unit instead.
  if (Number(value.toFixed(1)) >= 1024 && unit < UNITS.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${value.toFixed(1)} ${UNITS[unit]}`;
}

/** A transfer rate, e.g. `84.1 MiB/s`. */
export function formatRate(bytesPerSecond: number): string {
  return `${formatBytes(bytesPerSecond)}/s`;
}

/** A fraction as a percentage with one decimal: 0.929 → `92.9%`. */
export function formatPercent(fraction: number): string {
  if (!Number.isFinite(fraction)) return '?';
  return `${(fraction * 100).toFixed(1)}%`;
}

/**
 * The change from `before` to `after` as a signed percentage of `before`: `−92.9%` when it
 * shrank (true minus sign), `+4.0%` when it grew, `0.0%` when unchanged or `before` is 0.
 */
export function formatReduction(before: number, after: number): string {
  if (before <= 0 || after === before) return '0.0%';
  const change = ((after - before) / before) * 100;
  const text = Math.abs(change).toFixed(1);
  if (text === '0.0') return '0.0%';
  return change < 0 ? `\u2212${text}%` : `+${text}%`;
}

/** An integer with thousands separators: `12,345`. */
export function formatCount(n: number): string {
  const digits = String(Math.trunc(Math.abs(n)));
  const grouped = digits.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return n < 0 ? `-${grouped}` : grouped;
}

/** Seconds with sensible precision: `0.4s`, `12s`, `3m05s`. */
export function formatDuration(ms: number): string {
  const seconds = ms / 1000;
  if (seconds < 10) return `${seconds.toFixed(1)}s`;
  if (seconds < 60) return `${Math.round(seconds)}s`;
  const whole = Math.round(seconds);
  return `${Math.floor(whole / 60)}m${String(whole % 60).padStart(2, '0')}s`;
}

export { shortDigest } from '../../shared/digest.js';

/** A singular or plural noun with its count: `1 layer`, `3 layers`. */
export function plural(n: number, noun: string, pluralNoun = `${noun}s`): string {
  return `${formatCount(n)} ${n === 1 ? noun : pluralNoun}`;
}

/** Layers are numbered from 1 wherever a person reads them, as in every message; the Report's `index` stays 0-based. */
export function layerNumber(index: number): number {
  return index + 1;
}

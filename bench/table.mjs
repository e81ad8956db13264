/**
 * The benchmark's markdown table, and writing it into docs/benchmarks.md between the
 * `<!-- bench-results:begin -->` and `<!-- bench-results:end -->` markers. No project imports.
 */
import { readFileSync, writeFileSync } from 'node:fs';

export const RSS_LIMIT_MB = 200;
const BEGIN = '<!-- bench-results:begin -->';
const END = '<!-- bench-results:end -->';

/**
 * rows: { step, command, result: measureBest() result | null, baseline?: result, maxRatio? }.
 * A row without maxRatio is a baseline (ratio 1.00 to itself, no target).
 */
export function renderTable(rows, { runs = 3 } = {}) {
  const lines = [
    `| step | command | wall s (best of ${runs}) | ratio | peak RSS MB | target | result |`,
    '|---|---|---:|---:|---:|---|---|',
  ];
  for (const row of rows) {
    const { result, baseline, maxRatio } = row;
    const measured = result?.ok === true;
    const wall = measured ? result.wallSeconds.toFixed(2) : 'n/a';
    const rss = measured ? result.rssMB.toFixed(0) : 'n/a';
    if (maxRatio === undefined) {
      lines.push(`| ${row.step} | ${row.command} | ${wall} | ${measured ? '1.00' : 'n/a'} | ${rss} | — | ${measured ? 'measured' : 'n/a'} |`);
      continue;
    }
    const target = `≤ ${maxRatio}× ${row.baselineName}, ≤ ${RSS_LIMIT_MB} MB`;
    const ratio = measured && baseline?.ok ? result.wallSeconds / baseline.wallSeconds : null;
    const verdict = ratio === null ? 'n/a' : ratio <= maxRatio && result.rssMB <= RSS_LIMIT_MB ? 'pass' : 'fail';
    lines.push(`| ${row.step} | ${row.command} | ${wall} | ${ratio === null ? 'n/a' : ratio.toFixed(2)} | ${rss} | ${target} | ${verdict} |`);
  }
  return lines.join('\n');
}

/** Replaces the section between the markers in `file` with `content`. */
export function writeResults(file, content) {
  const text = readFileSync(file, 'utf8');
  const begin = text.indexOf(BEGIN);
  const end = text.indexOf(END);
  if (begin < 0 || end < begin) throw new Error(`${file}: missing the ${BEGIN} … ${END} markers`);
  writeFileSync(file, `${text.slice(0, begin + BEGIN.length)}\n${content}\n${text.slice(end)}`);
}

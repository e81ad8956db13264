/**
 * The plain text of a slim run: before → after, the risks, where the image went, whether the
 * slimmed entrypoint can start, and the kept files with why. The full analysis of the source
 * stays with `analyze` and `--format json`.
 */
import type { Report } from '../../report/index.js';
import { formatCount } from '../format/numbers.js';
import { lineToString } from '../format/palette.js';
import { layoutTable } from '../format/table.js';
import { buildSlim } from '../model/slim.js';
import { buildSummary } from '../model/summary.js';
import type { Line } from '../types.js';
import { paragraph, title } from '../view/lines.js';
import { keptFilesTable, slimLines } from '../view/slim-lines.js';
import { entrypointLines, headerLine } from '../view/summary-lines.js';
import type { TextOptions } from './render-text.js';

const MIN_WIDTH = 50;

export function renderSlimText(report: Report, options: TextOptions = {}): string {
  const width = Math.max(MIN_WIDTH, options.width ?? Infinity);
  const slim = buildSlim(report);
  const summary = buildSummary(report);
  const sections: Line[][] = [[headerLine(summary.header, width)]];
  if (slim && report.slim) {
    const body = slimLines(slim, width);
    body.pop(); // its trailing blank: sections are joined by one
    sections.push(body);
    sections.push([title('Slimmed entrypoint'), ...entrypointLines(summary, width)]);
    const kept = layoutTable(keptFilesTable(report.slim.kept), width - 2);
    sections.push([title(`Kept (${formatCount(report.slim.kept.length)})`), ...[kept.header, ...kept.rows].map((line): Line => [{ text: '  ' }, ...line])]);
  }
  sections.push(paragraph("The source's full analysis: imgslim analyze IMAGE (or slim --format json).", width, 'muted', 0));
  const color = options.color ?? false;
  return sections.map((lines) => lines.map((line) => lineToString(line, color).trimEnd()).join('\n')).join('\n\n') + '\n';
}

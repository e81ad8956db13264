/** A slim run as lines: before → after with bars, kept and dropped, risks, the output; the kept files with why. */
import { formatBytes, formatCount, plural } from '../format/numbers.js';
import type { Table } from '../format/table.js';
import { displayWidth, pad, truncatePath } from '../format/text-width.js';
import { renderBar, type SlimModel } from '../model/slim.js';
import type { Line } from '../types.js';
import { blank, field, LABEL_WIDTH, paragraph, title } from './lines.js';

function rowLines(slim: SlimModel, width: number): Line[] {
  const beforeWidth = Math.max(...slim.rows.map((r) => displayWidth(r.before)));
  const afterWidth = Math.max(...slim.rows.map((r) => displayWidth(r.after)));
  const fixed = 2 + LABEL_WIDTH + 1 + beforeWidth + 3 + afterWidth + 2 + 2 + 7;
  const barWidth = Math.min(30, width - fixed);
  return slim.rows.map((row) => {
    const line: Line = [
      { text: `  ${pad(row.label, LABEL_WIDTH)} `, tone: 'muted' },
      { text: pad(row.before, beforeWidth, 'right') },
      { text: ' → ', tone: 'muted' },
      { text: pad(row.after, afterWidth, 'right'), bold: true },
    ];
    if (barWidth >= 6) line.push({ text: `  ${renderBar(row.ratio, barWidth)}`, tone: row.grew ? 'warning' : 'ok' });
    line.push({ text: `  ${pad(row.change, 7, 'right')}`, tone: row.grew ? 'warning' : 'ok', bold: true });
    return line;
  });
}

/** The before → after block that heads a slim run (text and terminal UI). */
export function slimLines(slim: SlimModel, width: number): Line[] {
  const lines: Line[] = [title('Slim: before → after'), ...rowLines(slim, width)];
  if (slim.rows.some((row) => row.estimate)) {
    lines.push(...paragraph("≈ estimate: a dry run compresses nothing; the source's compression ratio is applied", width, 'muted', 2 + LABEL_WIDTH + 1));
  }
  lines.push(...field('kept', `${plural(slim.kept.count, 'file')}, ${formatBytes(slim.kept.size)}`, width, 'kept'));
  lines.push(...field('dropped', `${plural(slim.dropped.count, 'file')}, ${formatBytes(slim.dropped.size)}`, width, 'dropped'));
  if (slim.dropped.largest.length > 0) {
    const sizeWidth = Math.max(...slim.dropped.largest.map((f) => displayWidth(formatBytes(f.size))));
    lines.push([{ text: '  largest dropped', tone: 'muted' }]);
    for (const file of slim.dropped.largest) {
      lines.push([
        { text: `    ${pad(formatBytes(file.size), sizeWidth, 'right')}  ` },
        { text: truncatePath(file.path, Math.max(10, width - sizeWidth - 6)), tone: 'dropped' },
      ]);
    }
  }
  if (slim.risks.length > 0) {
    lines.push([{ text: `  risks (${formatCount(slim.risks.length)})`, tone: 'warning', bold: true }]);
    for (const risk of slim.risks) {
      lines.push(...paragraph(risk.path ? `${risk.path}: ${risk.message}` : risk.message, width, 'warning', 4, '! '));
    }
  }
  lines.push(...field('output', slim.output ?? 'none (dry run)', width, slim.output ? undefined : 'muted'));
  lines.push(blank());
  return lines;
}

/** Every kept file with its size and why, sorted by path. */
export function keptFilesTable(kept: ReadonlyArray<{ path: string; size: number; reasons: string[] }>): Table {
  return {
    columns: [
      { header: 'SIZE', priority: 0, align: 'right' },
      { header: 'KEPT', priority: 0, flex: 'path', min: 20 },
      { header: 'WHY', priority: 1, flex: 'end', min: 16, share: 0.3 },
    ],
    rows: [...kept]
      .sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0))
      .map((file) => [{ text: formatBytes(file.size) }, { text: file.path, tone: 'kept' }, { text: file.reasons.join('; '), tone: 'muted' }]),
  };
}

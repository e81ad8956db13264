/** The line left on the terminal after the UI closes, so the verdict stays in the scrollback. */
import { formatBytes, formatCount, plural } from '../format/numbers.js';
import { lineToString } from '../format/palette.js';
import type { ReportModel } from '../model/report-model.js';
import type { Line } from '../types.js';

export function exitSummaryLine(model: ReportModel): Line {
  const { summary, slim } = model;
  const line: Line = [{ text: summary.header.title, bold: true }, { text: ': ' }];
  if (model.check) line.push({ text: `check ${model.check.passed ? 'PASS' : 'FAIL'}`, tone: model.check.passed ? 'ok' : 'error', bold: true }, { text: ' · ' });
  const size = slim?.rows.find((row) => row.label === 'size');
  if (slim && size) line.push({ text: `${size.before} → ${size.after} (${size.change})`, tone: size.grew ? 'warning' : 'ok' });
  else line.push({ text: formatBytes(summary.size) });
  const { counts: binaries, entrypoint } = summary;
  const findings = binaries.findings;
  line.push({ text: ` · ${plural(binaries.binaries, 'binary', 'binaries')}` });
  if (binaries.failing > 0) line.push({ text: ` (${formatCount(binaries.failing)} will fail)`, tone: 'error' });
  if (entrypoint) {
    line.push({ text: ' · entrypoint ' });
    line.push(entrypoint.startable ? { text: 'can start', tone: 'ok' } : { text: 'will not start', tone: 'error', bold: true });
  }
  if (findings.error + findings.warning > 0) {
    line.push({ text: ` · ${plural(findings.error, 'error')}, ${plural(findings.warning, 'warning')}`, tone: findings.error > 0 ? 'error' : 'warning' });
  }
  return line;
}

export function exitSummary(model: ReportModel, color: boolean): string {
  return `${lineToString(exitSummaryLine(model), color)}\n`;
}

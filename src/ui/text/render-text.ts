/**
 * The plain report for pipes, CI logs and `--no-tui`: the same facts as the terminal UI,
 * aligned to the width, with no escape codes unless colour is asked for.
 */
import type { Report } from '../../report/index.js';
import { formatBytes, formatCount } from '../format/numbers.js';
import { lineToString } from '../format/palette.js';
import { layoutTable, type Table } from '../format/table.js';
import { displayWidth, pad, wrap } from '../format/text-width.js';
import { binariesTable, HARDENING_LEGEND } from '../model/binaries.js';
import { SEVERITY_TONE } from '../model/findings.js';
import { efficiencyLines, LAYERS_LEGEND, layersTable, topWastedTable } from '../model/layers.js';
import { buildReportModel, type ReportModel } from '../model/report-model.js';
import type { Line } from '../types.js';
import { blank, paragraph, title } from '../view/lines.js';
import { keptFilesTable } from '../view/slim-lines.js';
import { headerLine, summaryLines } from '../view/summary-lines.js';

export interface TextOptions {
  /**
   * Columns to fit (at least 50) on a terminal, where paths lose their start and the least
   * useful columns go when room runs out. `Infinity` (the default; pipes, files, CI logs):
   * nothing is cut, hidden or wrapped, one fact per line.
   */
  width?: number;
  /** SGR colours and bold (FORCE_COLOR); off by default. */
  color?: boolean;
  /** `grouped` (default): one line per kind in the Summary; `all`: every finding listed too. */
  findings?: 'grouped' | 'all';
}

const INDENT = '  ';
/** Narrower than this, the before → after rows cannot fit their figures. */
const MIN_WIDTH = 50;

function indentedTable(table: Table, width: number): Line[] {
  const layout = layoutTable(table, width - INDENT.length);
  return [layout.header, ...layout.rows].map((line) => [{ text: INDENT }, ...line]);
}

function binariesLines(model: ReportModel, width: number): Line[] {
  if (model.binaries.length === 0) return [title('Binaries'), [{ text: `${INDENT}no ELF binaries`, tone: 'muted' }]];
  const lines: Line[] = [title(`Binaries (${formatCount(model.binaries.length)})`), ...indentedTable(binariesTable(model.binaries), width)];
  lines.push(...paragraph(`hardening: ${HARDENING_LEGEND}`, width, 'muted'));
  const failing = model.binaries.filter((binary) => binary.problems.length > 0);
  if (failing.length > 0) {
    lines.push(blank(), title('Will fail'));
    for (const binary of failing) {
      lines.push([{ text: `${INDENT}${binary.path}`, tone: 'error', bold: true }]);
      for (const problem of binary.problems) lines.push(...paragraph(problem, width, 'error', 4, '✗ '));
    }
  }
  return lines;
}

function findingsLines(model: ReportModel, width: number, all: boolean): Line[] {
  if (model.findings.length === 0) return [title('Findings'), [{ text: `${INDENT}none`, tone: 'ok' }]];
  if (!all) {
    const kinds = model.summary.findingGroups.length;
    const text = `${formatCount(model.findings.length)} in ${kinds} ${kinds === 1 ? 'kind' : 'kinds'}, grouped in the Summary; --findings all lists every one`;
    return [title(`Findings (${formatCount(model.findings.length)})`), ...paragraph(text, width, 'muted')];
  }
  const idWidth = Math.max(...model.findings.map((f) => displayWidth(f.id)));
  const showId = INDENT.length + 9 + idWidth + 2 <= width / 2;
  const lines: Line[] = [title(`Findings (${formatCount(model.findings.length)})`)];
  for (const finding of model.findings) {
    const tone = SEVERITY_TONE[finding.severity];
    const id = showId ? `${pad(finding.id, idWidth)}  ` : '';
    const prefixWidth = INDENT.length + 7 + 2 + displayWidth(id);
    const text = finding.path ? `${finding.path}: ${finding.message}` : finding.message;
    wrap(text, width - prefixWidth).forEach((part, i) => {
      lines.push(
        i === 0
          ? [{ text: INDENT }, { text: pad(finding.severity, 7), tone, bold: finding.severity === 'error' }, { text: `  ${id}`, tone: 'muted' }, { text: part }]
          : [{ text: ' '.repeat(prefixWidth) }, { text: part }],
      );
    });
  }
  return lines;
}

function layersLines(model: ReportModel, width: number): Line[] {
  const lines: Line[] = [title(`Layers (${formatCount(model.layers.length)})`), ...indentedTable(layersTable(model.layers), width)];
  lines.push(...paragraph(LAYERS_LEGEND, width, 'muted'));
  lines.push(blank(), ...efficiencyLines(model.efficiency, width - INDENT.length).map((line): Line => [{ text: INDENT }, ...line]));
  if (model.efficiency.topWasted.length > 0) lines.push(blank(), ...indentedTable(topWastedTable(model.efficiency), width));
  return lines;
}

function filesLines(model: ReportModel, width: number): Line[] {
  const { tree } = model;
  if (tree.mode === 'slim' && model.report.slim) {
    const kept = model.report.slim.kept;
    return [title(`Kept files (${formatCount(kept.length)})`), ...indentedTable(keptFilesTable(kept), width)];
  }
  const table: Table = {
    columns: [
      { header: 'SIZE', priority: 0, align: 'right' },
      { header: 'FILES', priority: 1, align: 'right' },
      { header: 'TOP-LEVEL', priority: 0, flex: 'path', min: 12 },
    ],
    rows: tree.root.children.map((node) => [
      { text: formatBytes(node.size) },
      { text: node.kind === 'dir' ? formatCount(node.files) : '' },
      { text: node.kind === 'dir' ? `${node.path}/` : node.linkTarget ? `${node.path} → ${node.linkTarget}` : node.path },
    ]),
  };
  return [title('Filesystem'), ...indentedTable(table, width)];
}

/** Header, summary (before → after for slim), binaries, findings, layers, files. */
export function renderTextReport(report: Report, options: TextOptions = {}): string {
  const width = Math.max(MIN_WIDTH, options.width ?? Infinity);
  const model = buildReportModel(report);
  const sections: Line[][] = [
    [headerLine(model.header, width)],
    [title('Summary'), ...summaryLines(model.summary, model.slim, width)],
    binariesLines(model, width),
    findingsLines(model, width, options.findings === 'all'),
    layersLines(model, width),
    filesLines(model, width),
  ];
  const color = options.color ?? false;
  return sections.map((lines) => lines.map((line) => lineToString(line, color).trimEnd()).join('\n')).join('\n\n') + '\n';
}

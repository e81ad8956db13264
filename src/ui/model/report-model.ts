/** Everything the views need, derived once from a Report (sorting, counts, the file tree). */
import type { Binary, Efficiency, Finding, Layer, Report } from '../../report/index.js';
import { orderBinaries } from './binaries.js';
import { buildFileTree, defaultFolded, type FileTree } from './file-tree.js';
import { sortFindings } from './findings.js';
import { buildSlim, type SlimModel } from './slim.js';
import { buildSummary, type HeaderModel, type SummaryModel } from './summary.js';

export interface ReportModel {
  /** The Report itself, for views that list its records as they are. */
  report: Report;
  header: HeaderModel;
  summary: SummaryModel;
  slim: SlimModel | null;
  /** The entrypoint's closure, then failing first (the Report summary's order). */
  binaries: Binary[];
  layers: Layer[];
  efficiency: Efficiency;
  /** Errors first (see sortFindings). */
  findings: Finding[];
  tree: FileTree;
  /** Directories folded when the Files section first opens. */
  folded: ReadonlySet<string>;
}

export function buildReportModel(report: Report): ReportModel {
  const summary = buildSummary(report);
  const tree = buildFileTree(report);
  return {
    report,
    header: summary.header,
    summary,
    slim: buildSlim(report),
    binaries: orderBinaries(report.binaries, report.summary.binaryOrder),
    layers: report.layers,
    efficiency: report.efficiency,
    findings: sortFindings(report.findings),
    tree,
    folded: defaultFolded(tree),
  };
}

/** Everything the views need, derived once from a Report (sorting, counts, the file tree). */
import type { Binary, Efficiency, Finding, Layer, Report } from '../../report/index.js';
import type { CheckView } from '../types.js';
import { orderBinaries } from './binaries.js';
import { buildFileTree, buildLayerTree, defaultFolded, type FileTree } from './file-tree.js';
import { sortFindings } from './findings.js';
import { buildSlim, type SlimModel } from './slim.js';
import { buildSummary, type HeaderModel, type SummaryModel } from './summary.js';

export interface ReportModel {
  /** A `check` run's results, shown first. */
  check: CheckView | null;
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
  /** The tree of one layer's changes (null: the merged image, `tree`), built on first use. */
  layerTree(layer: number | null): FileTree;
  /** Directories folded when that tree first shows. */
  layerFolded(layer: number | null): ReadonlySet<string>;
}

export function buildReportModel(report: Report, check: CheckView | null = null): ReportModel {
  const summary = buildSummary(report);
  const tree = buildFileTree(report);
  const folded = defaultFolded(tree);
  const layerTrees = new Map<number, { tree: FileTree; folded: ReadonlySet<string> }>();
  const layerTree = (layer: number) => {
    let built = layerTrees.get(layer);
    if (!built) {
      const changes = buildLayerTree(report, layer);
      built = { tree: changes, folded: defaultFolded(changes) };
      layerTrees.set(layer, built);
    }
    return built;
  };
  return {
    check,
    report,
    header: summary.header,
    summary,
    slim: buildSlim(report),
    binaries: orderBinaries(report.binaries, report.summary.binaryOrder),
    layers: report.layers,
    efficiency: report.efficiency,
    findings: sortFindings(report.findings),
    tree,
    folded,
    layerTree: (layer) => (layer === null ? tree : layerTree(layer).tree),
    layerFolded: (layer) => (layer === null ? folded : layerTree(layer).folded),
  };
}

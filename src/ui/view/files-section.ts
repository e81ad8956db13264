/**
 * The Files section, as dive shows an image: the layer list on the left, and beside it the tree
 * of the selected layer's changes (added, modified, removed) or of the merged image. For a slim
 * run the merged tree starts with the largest dropped files (Enter reveals one in the tree).
 */
import { formatBytes, layerNumber } from '../format/numbers.js';
import { layoutTable, type Cell } from '../format/table.js';
import { truncateEnd } from '../format/text-width.js';
import { visibleRows, type TreeView } from '../model/file-tree.js';
import { filteredRows } from '../model/filter.js';
import { fileChanges } from '../model/layers.js';
import type { ReportModel } from '../model/report-model.js';
import type { Line } from '../types.js';
import { CHANGE_MARK, fileTreeTable, keptWhy } from './file-tree-table.js';
import { blank, title } from './lines.js';
import type { Aside, SectionView } from './sections.js';

/** Narrower than this, the layer list shrinks to layer numbers and change counts. */
const WIDE = 70;

/** The layer list: the merged image, then each layer with its content size and changes. */
export function layerAside(model: ReportModel, width: number, layer: number | null): Aside | undefined {
  if (model.layers.length === 0) return undefined;
  const asideWidth = width >= WIDE ? Math.min(30, Math.floor(width * 0.3)) : Math.min(14, Math.floor(width * 0.3));
  const cut = (text: string) => truncateEnd(text, asideWidth);
  const lines: Line[] = [[{ text: cut(width >= WIDE ? 'merged image' : 'merged'), bold: true }]];
  for (const entry of model.layers) {
    const label = width >= WIDE ? `${layerNumber(entry.index)} ${formatBytes(entry.size).padStart(9)}  ${fileChanges(entry)}` : `${layerNumber(entry.index)} ${fileChanges(entry)}`;
    lines.push([{ text: cut(label) }]);
  }
  return { width: asideWidth, header: [{ text: cut('LAYER'), tone: 'muted' }], lines, selected: layer === null ? 0 : layer + 1 };
}

export function filesSection(model: ReportModel, width: number, view: TreeView): SectionView {
  const aside = layerAside(model, width, view.layer);
  const treeWidth = aside ? width - aside.width - 1 : width;
  const tree = model.layerTree(view.layer);
  const rows = view.filter === '' ? visibleRows(tree, view.folded) : filteredRows(tree, view.filter);
  if (rows.length === 0) {
    const empty = view.filter !== '' ? `no path contains '${view.filter}'` : view.layer === null ? 'no files' : `layer ${layerNumber(view.layer)} changes nothing`;
    return { header: null, lines: [title(empty)], selectable: false, describe: () => null, activate: () => null, aside };
  }
  const table = fileTreeTable(tree, rows);
  const largest = tree.mode === 'slim' && view.filter === '' ? (model.slim?.dropped.largest ?? []) : [];
  const leading: Cell[][] = largest.map((file) => [
    { text: file.path, tone: 'dropped' },
    { text: formatBytes(file.size) },
    { text: 'dropped', tone: 'dropped' },
    { text: '' },
  ]);
  const layout = layoutTable({ columns: table.columns, rows: [...leading, ...table.rows] }, treeWidth);
  const lines: Line[] =
    leading.length > 0
      ? [title('Largest dropped'), ...layout.rows.slice(0, leading.length), blank(), title('Kept and dropped'), ...layout.rows.slice(leading.length)]
      : layout.rows;
  // Line index of the first tree row, and of each largest-dropped file.
  const treeStart = leading.length > 0 ? leading.length + 3 : 0;
  const dropped = (index: number) => (leading.length > 0 && index >= 1 && index <= leading.length ? largest[index - 1] : undefined);
  return {
    header: layout.header,
    lines,
    selectable: true,
    aside,
    describe: (index) => {
      const file = dropped(index);
      if (file) return `${file.path}  ${formatBytes(file.size)}  dropped (Enter shows it in the tree)`;
      const node = rows[index - treeStart]?.node;
      if (!node) return null;
      const change = node.change && view.layer !== null ? `  ${node.change} in layer ${layerNumber(view.layer)}` : '';
      const why = keptWhy(node);
      const mark = node.change ? `${CHANGE_MARK[node.change].mark} ` : '';
      return `${mark}${node.path}  ${formatBytes(node.size)}${change}${why ? `  ${why}` : ''}`;
    },
    activate: (index) => {
      const file = dropped(index);
      if (file) return { kind: 'reveal', path: file.path };
      const node = rows[index - treeStart]?.node;
      return node?.kind === 'dir' && node.children.length > 0 ? { kind: 'fold', path: node.path } : null;
    },
    locate: (path) => {
      const at = rows.findIndex((row) => row.node.path === path);
      return at < 0 ? null : treeStart + at;
    },
  };
}

/**
 * The Files section: for a slim run, the largest dropped files first (Enter reveals one in the
 * tree), then the tree of kept and dropped files; for analyze, the filesystem tree with sizes.
 */
import { formatBytes } from '../format/numbers.js';
import { layoutTable, type Cell } from '../format/table.js';
import { visibleRows } from '../model/file-tree.js';
import type { ReportModel } from '../model/report-model.js';
import type { Line } from '../types.js';
import { fileTreeTable, keptWhy } from './file-tree-table.js';
import { blank, title } from './lines.js';
import type { SectionView } from './sections.js';

export function filesSection(model: ReportModel, width: number, folded: ReadonlySet<string>): SectionView {
  const rows = visibleRows(model.tree, folded);
  if (rows.length === 0) {
    return { header: null, lines: [title('no files')], selectable: false, describe: () => null, activate: () => null };
  }
  const tree = fileTreeTable(model.tree, rows);
  const largest = model.tree.mode === 'slim' ? (model.slim?.dropped.largest ?? []) : [];
  const leading: Cell[][] = largest.map((file) => [
    { text: file.path, tone: 'dropped' },
    { text: formatBytes(file.size) },
    { text: 'dropped', tone: 'dropped' },
    { text: '' },
  ]);
  const layout = layoutTable({ columns: tree.columns, rows: [...leading, ...tree.rows] }, width);
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
    describe: (index) => {
      const file = dropped(index);
      if (file) return `${file.path}  ${formatBytes(file.size)}  dropped (Enter shows it in the tree)`;
      const node = rows[index - treeStart]?.node;
      if (!node) return null;
      const why = keptWhy(node);
      return `${node.path}  ${formatBytes(node.size)}${why ? `  ${why}` : ''}`;
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

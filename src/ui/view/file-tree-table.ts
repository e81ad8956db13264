/** Rows of the file tree as a table: indented names with fold markers, sizes, kept/dropped and why. */
import { formatBytes, formatCount } from '../format/numbers.js';
import type { Cell, Table } from '../format/table.js';
import { showsChanges, type FileNode, type FileTree, type TreeRow } from '../model/file-tree.js';
import type { Tone } from '../types.js';

const STATUS_TONE: Record<FileNode['status'], Tone | undefined> = {
  kept: 'kept',
  dropped: 'dropped',
  mixed: 'warning',
  plain: undefined,
};

/** dive's colours: added green, modified yellow, removed red; a marker keeps them readable without colour. */
export const CHANGE_MARK: Record<NonNullable<FileNode['change']>, { mark: string; tone: Tone }> = {
  added: { mark: '+', tone: 'ok' },
  modified: { mark: '~', tone: 'warning' },
  removed: { mark: '\u2212', tone: 'error' },
};

export function treeName(row: TreeRow): string {
  const { node } = row;
  const marker = node.kind === 'dir' ? (row.folded ? '▸ ' : '▾ ') : '  ';
  const suffix =
    node.kind === 'dir'
      ? '/'
      : node.kind === 'symlink'
        ? ` → ${node.linkTarget ?? '?'}`
        : node.kind === 'hardlink'
          ? ` ⇒ ${node.linkTarget ?? '?'}`
          : '';
  return `${'  '.repeat(row.depth)}${marker}${node.name}${suffix}`;
}

function statusCell(node: FileNode): Cell {
  const tone = STATUS_TONE[node.status];
  if (node.status === 'mixed') return { text: `${formatCount(node.keptFiles)}/${formatCount(node.files)} kept`, tone };
  return { text: node.status, tone };
}

/** Why a row was kept: its reasons, or for a directory how much of it was. */
export function keptWhy(node: FileNode): string {
  if (node.kind !== 'dir') return node.reasons.join('; ');
  if (node.status === 'mixed') return `keeps ${formatBytes(node.keptSize)} of ${formatBytes(node.size)}`;
  return node.reasons.join('; ');
}

export function fileTreeTable(tree: FileTree, rows: readonly TreeRow[]): Table {
  const slim = tree.mode === 'slim';
  const changeOf = (node: FileNode) => (node.change ? CHANGE_MARK[node.change] : null);
  const nameCell = (row: TreeRow): Cell => ({
    text: !showsChanges(tree) ? treeName(row) : `${changeOf(row.node)?.mark ?? ' '} ${treeName(row)}`,
    tone: slim ? STATUS_TONE[row.node.status] : (changeOf(row.node)?.tone ?? (row.node.kind === 'symlink' ? 'info' : undefined)),
    bold: row.node.kind === 'dir',
  });
  const sizeCell = (node: FileNode): Cell => ({ text: formatBytes(node.size), tone: node.size === 0 ? 'muted' : undefined });
  if (slim) {
    return {
      columns: [
        { header: 'PATH', priority: 0, flex: 'end', min: 20 },
        { header: 'SIZE', priority: 0, align: 'right', width: 10 },
        { header: 'STATUS', priority: 1, width: 8 },
        { header: 'WHY KEPT', priority: 2, flex: 'end', min: 16, share: 0.3 },
      ],
      rows: rows.map((row) => [nameCell(row), sizeCell(row.node), statusCell(row.node), { text: keptWhy(row.node), tone: 'muted' }]),
    };
  }
  return {
    columns: [
      { header: 'PATH', priority: 0, flex: 'end', min: 20 },
      { header: 'SIZE', priority: 0, align: 'right', width: 10 },
      { header: 'FILES', priority: 1, align: 'right', width: 7 },
    ],
    rows: rows.map((row) => [
      nameCell(row),
      sizeCell(row.node),
      { text: row.node.kind === 'dir' ? formatCount(row.node.files) : '', tone: 'muted' },
    ]),
  };
}

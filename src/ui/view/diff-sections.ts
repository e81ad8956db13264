/**
 * The sections of the `imgslim diff` terminal UI as plain data: the changed-file tree (dive's
 * marks and colours, folding, the `/` filter), the binaries that changed (Enter: before → after),
 * the package versions, and the totals; plus the header with the size and efficiency deltas.
 */
import { formatBytes, formatCount, formatPercent } from '../format/numbers.js';
import { layoutTable, type Cell } from '../format/table.js';
import { displayWidth, truncatePath } from '../format/text-width.js';
import { bytesChange, plusMinus, pointsChange, type ChangeKind, type DiffBinaryRow, type DiffModel } from '../model/diff.js';
import { visibleRows, type TreeView } from '../model/file-tree.js';
import { filteredRows, pathMatches } from '../model/filter.js';
import { diffOverview } from '../text/render-diff-text.js';
import type { Line, Segment } from '../types.js';
import { CHANGE_MARK, treeName } from './file-tree-table.js';
import { blank, field, title } from './lines.js';
import type { SectionView } from './sections.js';

export const DIFF_SECTION_IDS = ['files', 'binaries', 'packages', 'totals'] as const;
export type DiffSectionId = (typeof DIFF_SECTION_IDS)[number];

const none = (): null => null;

const mark = (change: ChangeKind): Cell => ({ text: CHANGE_MARK[change].mark, tone: CHANGE_MARK[change].tone, bold: true });

/** The binaries whose path matches the filter, with their index in the unfiltered list. */
export function filterDiffBinaries(model: DiffModel, filter: string): Array<{ row: DiffBinaryRow; index: number }> {
  return model.binaries.map((row, index) => ({ row, index })).filter(({ row }) => pathMatches(row.path, filter));
}

export function diffTabs(model: DiffModel, filter = ''): Array<{ id: DiffSectionId; label: string }> {
  const { files, packages } = model.diff;
  const fileCount = files.added.length + files.removed.length + files.changed.length;
  const shown = filterDiffBinaries(model, filter).length;
  return [
    { id: 'files', label: `Files ${formatCount(fileCount)}` },
    { id: 'binaries', label: `Binaries ${filter === '' ? formatCount(model.binaries.length) : `${shown}/${model.binaries.length}`}` },
    { id: 'packages', label: `Packages ${formatCount(packages.added.length + packages.removed.length + packages.changed.length)}` },
    { id: 'totals', label: 'Totals' },
  ];
}

/** `a → b  size 2.1 MiB → 2.0 MiB: −62.0 KiB (−2.9%)  efficiency 95.0% → 99.0% (+4.0 pt)`, shortened to fit. */
export function diffHeaderLine(model: DiffModel, width: number): Line {
  const { a, b } = model.diff.totals;
  const size = bytesChange(a.size, b.size);
  const efficiency = pointsChange(b.efficiencyScore - a.efficiencyScore);
  const tone = b.size > a.size ? 'warning' : b.size < a.size ? 'ok' : 'muted';
  const candidates: Segment[][] = [
    [
      { text: `  size ${formatBytes(a.size)} → ${formatBytes(b.size)}: ` },
      { text: size, tone },
      { text: `  efficiency ${formatPercent(a.efficiencyScore)} → ${formatPercent(b.efficiencyScore)} (${efficiency})`, tone: 'muted' },
    ],
    [{ text: '  size ' }, { text: size, tone }, { text: `  efficiency ${efficiency}`, tone: 'muted' }],
    [{ text: '  size ' }, { text: size, tone }],
  ];
  const names = (room: number) => {
    const each = Math.max(3, Math.floor((room - 3) / 2));
    return `${truncatePath(imageName(model.diff.a), each)} → ${truncatePath(imageName(model.diff.b), each)}`;
  };
  for (const rest of candidates) {
    const restWidth = rest.reduce((sum, segment) => sum + displayWidth(segment.text), 0);
    const room = width - restWidth;
    if (room >= 20 || rest === candidates.at(-1)) return [{ text: names(room), bold: true }, ...rest];
  }
  return [];
}

function imageName(image: DiffModel['diff']['a']): string {
  return image.reference ?? image.path;
}

export function buildDiffSection(model: DiffModel, id: DiffSectionId, width: number, view: TreeView): SectionView {
  switch (id) {
    case 'files':
      return filesSection(model, width, view);
    case 'binaries':
      return binariesSection(model, width, view.filter);
    case 'packages':
      return packagesSection(model, width);
    case 'totals': {
      const [images, totals] = diffOverview(model.diff);
      const plain = (lines: string[]): Line[] => lines.map((text, i) => (i === 0 ? title(text) : [{ text }]));
      return { header: null, lines: [...plain(images), blank(), ...plain(totals)], selectable: false, describe: none, activate: none };
    }
  }
}

function emptySection(message: string): SectionView {
  return { header: null, lines: [title(message)], selectable: false, describe: none, activate: none };
}

function filesSection(model: DiffModel, width: number, view: TreeView): SectionView {
  const { tree, fileChanges } = model;
  const rows = view.filter === '' ? visibleRows(tree, view.folded) : filteredRows(tree, view.filter);
  if (rows.length === 0) return emptySection(view.filter !== '' ? `no changed path contains '${view.filter}'` : `no path changed (${formatCount(model.diff.files.unchanged)} unchanged)`);
  const changeCell = (path: string, change: ChangeKind | null): Cell =>
    change === 'modified' ? { text: fileChanges.get(path) ?? '', tone: 'muted' } : change ? { text: change === 'added' ? 'added in b' : 'only in a', tone: 'muted' } : { text: '' };
  const table = layoutTable(
    {
      columns: [
        { header: 'PATH', priority: 0, flex: 'end', min: 20 },
        { header: 'SIZE', priority: 0, align: 'right', width: 10 },
        { header: 'CHANGE', priority: 1, flex: 'end', min: 12, share: 0.4 },
      ],
      rows: rows.map(({ node, ...row }) => {
        const marked = node.change ? CHANGE_MARK[node.change] : null;
        return [
          { text: `${marked?.mark ?? ' '} ${treeName({ node, ...row })}`, tone: marked?.tone ?? (node.kind === 'symlink' ? 'info' : undefined), bold: node.kind === 'dir' },
          { text: formatBytes(node.size), tone: node.size === 0 ? 'muted' : undefined },
          changeCell(node.path, node.change),
        ];
      }),
    },
    width,
  );
  return {
    header: table.header,
    lines: table.rows,
    selectable: true,
    describe: (index) => {
      const node = rows[index]?.node;
      if (!node) return null;
      const change = node.change === 'modified' ? fileChanges.get(node.path) : node.change === 'added' ? 'added in b' : node.change === 'removed' ? 'only in a' : null;
      return `${node.change ? `${CHANGE_MARK[node.change].mark} ` : ''}${node.path}  ${formatBytes(node.size)}${change ? `  ${change}` : ''}`;
    },
    activate: (index) => {
      const node = rows[index]?.node;
      return node?.kind === 'dir' && node.children.length > 0 ? { kind: 'fold', path: node.path } : null;
    },
    locate: (path) => {
      const at = rows.findIndex((row) => row.node.path === path);
      return at < 0 ? null : at;
    },
  };
}

function binariesSection(model: DiffModel, width: number, filter: string): SectionView {
  if (model.binaries.length === 0) return emptySection('no ELF binary added, removed or changed');
  const shown = filterDiffBinaries(model, filter);
  if (shown.length === 0) return emptySection(`no changed binary path contains '${filter}'`);
  const table = layoutTable(
    {
      columns: [
        { header: ' ', priority: 0, width: 1 },
        { header: 'PATH', priority: 0, flex: 'path', min: 20 },
        { header: 'CHANGE', priority: 1, flex: 'end', min: 16, share: 0.5 },
      ],
      rows: shown.map(({ row }) => [mark(row.change), { text: row.path, tone: CHANGE_MARK[row.change].tone }, { text: row.summary, tone: 'muted' }]),
    },
    width,
  );
  return {
    header: table.header,
    lines: table.rows,
    selectable: true,
    describe: (index) => {
      const row = shown[index]?.row;
      return row ? `${CHANGE_MARK[row.change].mark} ${row.path}: ${row.summary} (Enter: before → after)` : null;
    },
    activate: (index) => (shown[index] ? { kind: 'detail', binary: shown[index].index } : null),
  };
}

function packagesSection(model: DiffModel, width: number): SectionView {
  if (model.packages.length === 0) return emptySection('no package added, removed or upgraded');
  const table = layoutTable(
    {
      columns: [
        { header: ' ', priority: 0, width: 1 },
        { header: 'PACKAGE', priority: 0, flex: 'end', min: 16 },
        { header: 'VERSION', priority: 0, flex: 'end', min: 16, share: 0.5 },
      ],
      rows: model.packages.map((row) => [mark(row.change), { text: row.name, tone: CHANGE_MARK[row.change].tone }, { text: row.version }]),
    },
    width,
  );
  return {
    header: table.header,
    lines: table.rows,
    selectable: true,
    describe: (index) => {
      const row = model.packages[index];
      return row ? `${CHANGE_MARK[row.change].mark} ${row.name}  ${row.version}` : null;
    },
    activate: none,
  };
}

/** A binary's before → after: every field that changed, the NEEDED entries and closure paths added and removed. */
export function diffBinaryDetailLines(row: DiffBinaryRow, width: number): Line[] {
  const what = row.change === 'added' ? 'added in b' : row.change === 'removed' ? 'only in a' : 'changed';
  const head: Line = [{ text: `${CHANGE_MARK[row.change].mark} `, tone: CHANGE_MARK[row.change].tone, bold: true }, { text: row.path, bold: true }, { text: `  ${what}`, tone: 'muted' }];
  if (row.binary) {
    const binary = row.binary;
    return [
      head,
      blank(),
      ...field('linkage', binary.linkage, width),
      ...field('libc', binary.libc, width),
      ...field('glibc floor', binary.glibcFloor ?? '(none)', width),
      ...field('status', binary.status, width, binary.status === 'will-fail' ? 'error' : undefined),
    ];
  }
  const change = row.detail!;
  const lines: Line[] = [head, blank()];
  if (change.fields.length > 0) {
    const table = layoutTable(
      {
        columns: [
          { header: 'FIELD', priority: 0, flex: 'end', min: 10 },
          { header: 'BEFORE (a)', priority: 0, flex: 'end', min: 10, share: 0.35 },
          { header: 'AFTER (b)', priority: 0, flex: 'end', min: 10, share: 0.35 },
        ],
        rows: change.fields.map((f) => [{ text: f.field }, { text: f.before ?? '(none)', tone: 'error' }, { text: f.after ?? '(none)', tone: 'ok' }]),
      },
      width - 2,
    );
    const indent = (line: Line): Line => [{ text: '  ' }, ...line];
    lines.push(indent(table.header), ...table.rows.map(indent), blank());
  }
  if (change.neededAdded.length + change.neededRemoved.length > 0) lines.push(...field('NEEDED', plusMinus(change.neededAdded, change.neededRemoved), width));
  for (const path of change.closureAdded) lines.push(...field('closure +', path, width, 'ok'));
  for (const path of change.closureRemoved) lines.push(...field('closure \u2212', path, width, 'error'));
  return lines;
}

/**
 * The five sections of the terminal UI as plain data: a sticky column header, the lines, and
 * what Enter does on a line. Pure, so the TUI's content is tested without rendering.
 */
import { formatBytes, shortDigest, layerNumber } from '../format/numbers.js';
import { layoutTable } from '../format/table.js';
import { binariesTable } from '../model/binaries.js';
import { findingsTable } from '../model/findings.js';
import { cleanCreatedBy, efficiencyLines, layersTable, topWastedTable } from '../model/layers.js';
import type { ReportModel } from '../model/report-model.js';
import type { Line } from '../types.js';
import { filterBinaries } from '../model/filter.js';
import { checkSection } from './check-section.js';
import { filesSection } from './files-section.js';
import { blank, title } from './lines.js';
import { summaryLines } from './summary-lines.js';
import type { TreeView } from '../model/file-tree.js';

export const SECTION_IDS = ['check', 'summary', 'binaries', 'layers', 'findings', 'files'] as const;
export type SectionId = (typeof SECTION_IDS)[number];

/** The tabs a model shows: Check only when the UI runs for `check`. */
export function sectionIds(model: ReportModel): readonly SectionId[] {
  return model.check ? SECTION_IDS : SECTION_IDS.filter((id) => id !== 'check');
}

export const SECTION_LABELS: Record<SectionId, string> = {
  check: 'Check',
  summary: 'Summary',
  binaries: 'Binaries',
  layers: 'Layers',
  findings: 'Findings',
  files: 'Files',
};

/** What Enter does on a line: fold a directory, open a binary, or show a file in the tree. */
export type Activation =
  | { kind: 'fold'; path: string }
  | { kind: 'detail'; binary: number }
  | { kind: 'reveal'; path: string }
  /** Show this layer's changes in the Files tree. */
  | { kind: 'layer'; layer: number };

export interface SectionView {
  /** Column headers kept above the scrolling lines, or null. */
  header: Line | null;
  lines: Line[];
  /** Whether a cursor moves over the lines (else they only scroll). */
  selectable: boolean;
  /** The full, untruncated text of a line, shown under the list. */
  describe(index: number): string | null;
  activate(index: number): Activation | null;
  /** The line showing `path`, for sections that show files. */
  locate?(path: string): number | null;
  /** A pane to the left of the lines (the Files section's layer list), `selected` highlighted. */
  aside?: Aside;
}

export interface Aside {
  width: number;
  header: Line;
  lines: Line[];
  selected: number;
}

const none = (): null => null;

function layersSection(model: ReportModel, width: number): SectionView {
  const layers = layoutTable(layersTable(model.layers), width);
  const wasted = layoutTable(topWastedTable(model.efficiency), width);
  const lines: Line[] = [...layers.rows, blank(), ...efficiencyLines(model.efficiency, width)];
  const wastedStart = lines.length + 2;
  if (model.efficiency.topWasted.length > 0) lines.push(blank(), wasted.header, ...wasted.rows);
  return {
    header: layers.header,
    lines,
    selectable: true,
    describe: (index) => {
      const layer = model.layers[index];
      if (layer) return `layer ${layerNumber(layer.index)}  ${shortDigest(layer.digest)}  ${cleanCreatedBy(layer.createdBy) || '(no history)'}`;
      const top = model.efficiency.topWasted[index - wastedStart];
      return top ? `${top.path}: ${top.count} copies, ${formatBytes(top.cumulativeSize)} in all layers` : null;
    },
    activate: (index) => (model.layers[index] ? { kind: 'layer', layer: index } : null),
  };
}

export function buildSection(model: ReportModel, id: SectionId, width: number, view: TreeView): SectionView {
  switch (id) {
    case 'check':
      return model.check ? checkSection(model.check) : emptySection('not a check run');
    case 'summary':
      return { header: null, lines: summaryLines(model.summary, model.slim, width), selectable: false, describe: none, activate: none };
    case 'binaries': {
      if (model.binaries.length === 0) return emptySection('no ELF binaries in this image');
      const shown = filterBinaries(model.binaries, view.filter);
      if (shown.length === 0) return emptySection(`no binary path contains '${view.filter}'`);
      const table = layoutTable(binariesTable(shown.map(({ binary }) => binary)), width);
      return {
        header: table.header,
        lines: table.rows,
        selectable: true,
        describe: (index) => {
          const binary = shown[index]?.binary;
          if (!binary) return null;
          return binary.problems.length > 0 ? `${binary.path}: ${binary.problems.join('; ')}` : binary.path;
        },
        activate: (index) => (shown[index] ? { kind: 'detail', binary: shown[index].index } : null),
      };
    }
    case 'layers':
      return layersSection(model, width);
    case 'findings': {
      if (model.findings.length === 0) return emptySection('no findings');
      const table = layoutTable(findingsTable(model.findings), width);
      return {
        header: table.header,
        lines: table.rows,
        selectable: true,
        describe: (index) => {
          const finding = model.findings[index];
          return finding ? `${finding.id}${finding.path ? ` ${finding.path}` : ''}: ${finding.message}` : null;
        },
        activate: none,
      };
    }
    case 'files':
      return filesSection(model, width, view);
  }
}

function emptySection(message: string): SectionView {
  return { header: null, lines: [title(message)], selectable: false, describe: none, activate: none };
}

/** The tabs with their labels; Findings with errors and a failed Check stand out. */
export function sectionTabs(model: ReportModel, filter = ''): Array<{ id: SectionId; label: string; alert: boolean }> {
  return sectionIds(model).map((id) => ({
    id,
    label: sectionLabel(model, id, filter),
    alert: (id === 'findings' && model.summary.counts.findings.error > 0) || (id === 'check' && model.check?.passed === false),
  }));
}

/** Tab labels with counts, e.g. `Binaries 42` or `Findings 3`. */
export function sectionLabel(model: ReportModel, id: SectionId, filter = ''): string {
  if (id === 'binaries' && filter !== '') return `${SECTION_LABELS[id]} ${filterBinaries(model.binaries, filter).length}/${model.binaries.length}`;
  if (id === 'check' && model.check) return `${SECTION_LABELS[id]} ${model.check.passed ? 'PASS' : 'FAIL'}`;
  const count = { check: null, summary: null, binaries: model.binaries.length, layers: model.layers.length, findings: model.findings.length, files: null }[id];
  return count === null ? SECTION_LABELS[id] : `${SECTION_LABELS[id]} ${count}`;
}

/** Builds each diff section's view once per width (and per folds and filter for Files and Binaries) and remembers it. */
import type { DiffModel } from '../model/diff.js';
import type { TreeView } from '../model/file-tree.js';
import type { Line } from '../types.js';
import { buildDiffSection, diffBinaryDetailLines, DIFF_SECTION_IDS, type DiffSectionId } from '../view/diff-sections.js';
import type { SectionView } from '../view/sections.js';
import type { UiContext } from './state.js';

export class DiffSectionCache {
  private readonly views = new Map<DiffSectionId, { tree: TreeView; view: SectionView }>();
  private readonly details = new Map<number, Line[]>();

  constructor(
    readonly model: DiffModel,
    readonly width: number,
  ) {}

  section(id: DiffSectionId, tree: TreeView): SectionView {
    const cached = this.views.get(id);
    const same = cached && (id !== 'files' || cached.tree.folded === tree.folded) && ((id !== 'files' && id !== 'binaries') || cached.tree.filter === tree.filter);
    if (cached && same) return cached.view;
    const key = { folded: tree.folded, layer: null, filter: tree.filter };
    const view = buildDiffSection(this.model, id, this.width, key);
    this.views.set(id, { tree: key, view });
    return view;
  }

  detail(binary: number): Line[] {
    let lines = this.details.get(binary);
    if (!lines) {
      const row = this.model.binaries[binary];
      lines = row ? diffBinaryDetailLines(row, this.width) : [];
      this.details.set(binary, lines);
    }
    return lines;
  }

  context(pageSize: number): UiContext<DiffSectionId> {
    const unfiltered = { folded: this.model.folded, layer: null, filter: '' };
    return {
      pageSize,
      length: (id, tree) => this.section(id, tree).lines.length,
      selectable: (id) => (this.views.get(id)?.view ?? this.section(id, unfiltered)).selectable,
      activate: (id, index, tree) => this.section(id, tree).activate(index),
      detailLength: (binary) => this.detail(binary).length,
      locate: (id, path, tree) => this.section(id, tree).locate?.(path) ?? null,
      sections: DIFF_SECTION_IDS,
      treeSection: 'files',
      filterable: ['files', 'binaries'],
      // One tree, no layers: `[` and `]` do nothing.
      layers: 0,
      defaultFolded: () => this.model.folded,
    };
  }
}

/** Builds each section's view once per width (and per fold set for Files) and remembers it. */
import { binaryDetailLines } from '../view/binary-detail.js';
import { buildSection, sectionIds, type SectionId, type SectionView } from '../view/sections.js';
import type { ReportModel } from '../model/report-model.js';
import type { Line } from '../types.js';
import type { TreeView, UiContext } from './state.js';

export class SectionCache {
  private readonly views = new Map<SectionId, { tree: TreeView; view: SectionView }>();
  private readonly details = new Map<number, Line[]>();

  constructor(
    readonly model: ReportModel,
    readonly width: number,
  ) {}

  section(id: SectionId, tree: TreeView): SectionView {
    const cached = this.views.get(id);
    // Only Files depends on the layer and the folds; Files and Binaries on the filter.
    const same =
      cached &&
      (id !== 'files' || (cached.tree.folded === tree.folded && cached.tree.layer === tree.layer)) &&
      ((id !== 'files' && id !== 'binaries') || cached.tree.filter === tree.filter);
    if (cached && same) return cached.view;
    const key = { folded: tree.folded, layer: tree.layer, filter: tree.filter };
    const view = buildSection(this.model, id, this.width, key);
    this.views.set(id, { tree: key, view });
    return view;
  }

  detail(binary: number): Line[] {
    let lines = this.details.get(binary);
    if (!lines) {
      const found = this.model.binaries[binary];
      lines = found ? binaryDetailLines(found, this.width, this.model.layers[found.layer]) : [];
      this.details.set(binary, lines);
    }
    return lines;
  }

  context(pageSize: number): UiContext {
    return {
      pageSize,
      length: (id, tree) => this.section(id, tree).lines.length,
      // Whether a section has a cursor does not depend on folds: reuse whatever view is cached.
      selectable: (id) => (this.views.get(id)?.view ?? this.section(id, { folded: this.model.folded, layer: null, filter: '' })).selectable,
      activate: (id, index, tree) => this.section(id, tree).activate(index),
      detailLength: (binary) => this.detail(binary).length,
      locate: (id, path, tree) => this.section(id, tree).locate?.(path) ?? null,
      sections: sectionIds(this.model),
      treeSection: 'files',
      filterable: ['binaries', 'files'],
      layers: this.model.layers.length,
      defaultFolded: (layer) => this.model.layerFolded(layer),
    };
  }
}

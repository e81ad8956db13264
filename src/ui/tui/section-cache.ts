/** Builds each section's view once per width (and per fold set for Files) and remembers it. */
import { binaryDetailLines } from '../view/binary-detail.js';
import { buildSection, type SectionId, type SectionView } from '../view/sections.js';
import type { ReportModel } from '../model/report-model.js';
import type { Line } from '../types.js';
import type { UiContext } from './state.js';

export class SectionCache {
  private readonly views = new Map<SectionId, { folded: ReadonlySet<string>; view: SectionView }>();
  private readonly details = new Map<number, Line[]>();

  constructor(
    readonly model: ReportModel,
    readonly width: number,
  ) {}

  section(id: SectionId, folded: ReadonlySet<string>): SectionView {
    const cached = this.views.get(id);
    // Only the Files section depends on the fold set.
    if (cached && (id !== 'files' || cached.folded === folded)) return cached.view;
    const view = buildSection(this.model, id, this.width, folded);
    this.views.set(id, { folded, view });
    return view;
  }

  detail(binary: number): Line[] {
    let lines = this.details.get(binary);
    if (!lines) {
      const found = this.model.binaries[binary];
      lines = found ? binaryDetailLines(found, this.width) : [];
      this.details.set(binary, lines);
    }
    return lines;
  }

  context(pageSize: number): UiContext {
    return {
      pageSize,
      length: (id, folded) => this.section(id, folded).lines.length,
      // Whether a section has a cursor does not depend on folds: reuse whatever view is cached.
      selectable: (id) => (this.views.get(id)?.view ?? this.section(id, this.model.folded)).selectable,
      activate: (id, index, folded) => this.section(id, folded).activate(index),
      detailLength: (binary) => this.detail(binary).length,
      locate: (id, path, folded) => this.section(id, folded).locate?.(path) ?? null,
    };
  }
}

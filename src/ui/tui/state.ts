/**
 * UI state as a pure reducer: which section, where the cursor and scroll are in each, which
 * directories are folded, and whether a binary's details are open. What the lists contain
 * comes in through `UiContext`, so this is tested as a plain function. The sections are a type
 * parameter: `analyze`'s (SectionId) by default, `diff`'s for the diff view.
 */
import type { TreeView } from '../model/file-tree.js';
import { SECTION_IDS, type Activation, type SectionId } from '../view/sections.js';

export type { TreeView };

export interface UiState<S extends string = SectionId> extends TreeView {
  section: S;
  cursor: Readonly<Record<S, number>>;
  offset: Readonly<Record<S, number>>;
  /** Whether keys type into the filter (after `/`, until Enter or Esc). */
  editingFilter: boolean;
  /** The binary (index in the sorted list) whose details are open, and their scroll. */
  detail: { binary: number; offset: number } | null;
}

export type UiAction =
  | { type: 'section'; step: 1 | -1 }
  | { type: 'move'; delta: number }
  | { type: 'page'; step: 1 | -1 }
  | { type: 'edge'; to: 'start' | 'end' }
  | { type: 'activate' }
  /** The Files tree shows the previous / next layer's changes (before the first: the merged image). */
  | { type: 'layer'; step: 1 | -1 }
  | { type: 'back' }
  /** Re-fit cursor and scroll after the terminal was resized. */
  | { type: 'fit' }
  /** `/`: start typing a new path filter (Files and Binaries), with any text read along with it. */
  | { type: 'filter-start'; text: string }
  | { type: 'filter-type'; text: string }
  | { type: 'filter-erase' }
  /** Enter: keep the filter and move again; Esc: drop it. */
  | { type: 'filter-done'; keep: boolean };

export interface UiContext<S extends string = SectionId> {
  /** Lines visible at once in the list area. */
  pageSize: number;
  /** How many lines `section` has with this tree view. */
  length(section: S, view: TreeView): number;
  selectable(section: S): boolean;
  activate(section: S, index: number, view: TreeView): Activation | null;
  /** How many lines a binary's detail view has. */
  detailLength(binary: number): number;
  /** The line of `section` showing `path` in this tree view, if any. */
  locate(section: S, path: string, view: TreeView): number | null;
  /** The sections shown, in tab order (Check only for a `check` run). */
  sections: readonly S[];
  /** The section showing the file tree: where a layer, a revealed file and a filter typed elsewhere go. */
  treeSection: S;
  /** The sections the `/` filter narrows. */
  filterable: readonly S[];
  /** How many layers the image has. */
  layers: number;
  /** Directories folded when a layer's tree (or the merged image's, null) first shows. */
  defaultFolded(layer: number | null): ReadonlySet<string>;
}

const zeros = <S extends string>(ids: readonly S[]): Record<S, number> => Object.fromEntries(ids.map((id) => [id, 0])) as Record<S, number>;

/** `analyze`'s UI as it opens. */
export function initialState(folded: ReadonlySet<string>, section: SectionId = 'summary'): UiState {
  return initialStateOf(folded, section, SECTION_IDS);
}

/** A UI over the sections `ids`, opening on `section`. */
export function initialStateOf<S extends string>(folded: ReadonlySet<string>, section: S, ids: readonly S[]): UiState<S> {
  return { section, cursor: zeros(ids), offset: zeros(ids), folded, layer: null, filter: '', editingFilter: false, detail: null };
}

/** `record` with `key` set to `value`. */
const withKey = <S extends string>(record: Readonly<Record<S, number>>, key: S, value: number): Record<S, number> => ({ ...record, [key]: value }) as Record<S, number>;

const clamp = (value: number, min: number, max: number): number => Math.max(min, Math.min(max, value));

/** Keeps the cursor in the list and the scroll showing it; scroll-only lists keep just the scroll in range. */
function fitSection<S extends string>(state: UiState<S>, section: S, ctx: UiContext<S>, cursor: number, offset: number): UiState<S> {
  const length = ctx.length(section, state);
  const page = Math.max(1, ctx.pageSize);
  const maxOffset = Math.max(0, length - page);
  if (!ctx.selectable(section)) {
    return { ...state, offset: withKey(state.offset, section, clamp(offset, 0, maxOffset)) };
  }
  const nextCursor = clamp(cursor, 0, Math.max(0, length - 1));
  let nextOffset = clamp(offset, 0, maxOffset);
  if (nextCursor < nextOffset) nextOffset = nextCursor;
  if (nextCursor >= nextOffset + page) nextOffset = nextCursor - page + 1;
  return {
    ...state,
    cursor: withKey(state.cursor, section, nextCursor),
    offset: withKey(state.offset, section, nextOffset),
  };
}

function scrollDetail<S extends string>(state: UiState<S>, ctx: UiContext<S>, offset: number): UiState<S> {
  if (!state.detail) return state;
  const max = Math.max(0, ctx.detailLength(state.detail.binary) - Math.max(1, ctx.pageSize));
  return { ...state, detail: { ...state.detail, offset: clamp(offset, 0, max) } };
}

/** Moves by `delta` lines: the cursor in a list, the view in a scroll-only section or the detail view. */
function moveBy<S extends string>(state: UiState<S>, ctx: UiContext<S>, delta: number): UiState<S> {
  if (state.detail) return scrollDetail(state, ctx, state.detail.offset + delta);
  const section = state.section;
  if (!ctx.selectable(section)) return fitSection(state, section, ctx, 0, state.offset[section] + delta);
  return fitSection(state, section, ctx, state.cursor[section] + delta, state.offset[section]);
}

/** Unfolds every directory above `path` and puts the cursor on it. */
function reveal<S extends string>(state: UiState<S>, ctx: UiContext<S>, path: string): UiState<S> {
  // The file is shown in the merged image's tree (from the Check section too), unfiltered.
  const base = state.layer === null ? state.folded : ctx.defaultFolded(null);
  const folded = new Set(base);
  for (let end = path.indexOf('/', 1); end > 0; end = path.indexOf('/', end + 1)) folded.delete(path.slice(0, end));
  const section = ctx.treeSection;
  const next: UiState<S> = { ...state, folded, section, layer: null, filter: '', editingFilter: false };
  const line = ctx.locate(section, path, next);
  return fitSection(next, section, ctx, line ?? next.cursor[section], next.offset[section]);
}

function activate<S extends string>(state: UiState<S>, ctx: UiContext<S>): UiState<S> {
  if (state.detail) return { ...state, detail: null };
  if (!ctx.selectable(state.section)) return state;
  const action = ctx.activate(state.section, state.cursor[state.section], state);
  if (!action) return state;
  if (action.kind === 'layer') return showLayer(state, ctx, action.layer);
  if (action.kind === 'detail') return { ...state, detail: { binary: action.binary, offset: 0 } };
  if (action.kind === 'reveal') return reveal(state, ctx, action.path);
  const folded = new Set(state.folded);
  if (!folded.delete(action.path)) folded.add(action.path);
  const next = { ...state, folded };
  return fitSection(next, state.section, ctx, next.cursor[state.section], next.offset[state.section]);
}

/** The Files section showing `layer`'s changes (null: the merged image), folded as it starts, cursor at the top. */
function showLayer<S extends string>(state: UiState<S>, ctx: UiContext<S>, layer: number | null): UiState<S> {
  const next: UiState<S> = { ...state, section: ctx.treeSection, layer, folded: ctx.defaultFolded(layer), detail: null };
  return fitSection(next, ctx.treeSection, ctx, 0, 0);
}

function stepLayer<S extends string>(state: UiState<S>, ctx: UiContext<S>, step: 1 | -1): UiState<S> {
  if (ctx.layers === 0) return state;
  // null (merged), 0, 1, … n-1, then around again.
  const position = (state.layer === null ? 0 : state.layer + 1) + step;
  const wrapped = (position + ctx.layers + 1) % (ctx.layers + 1);
  return showLayer(state, ctx, wrapped === 0 ? null : wrapped - 1);
}

/** A new filter text: the lists it narrows start again at the top. */
function setFilter<S extends string>(state: UiState<S>, ctx: UiContext<S>, filter: string, editingFilter: boolean): UiState<S> {
  const next: UiState<S> = { ...state, filter, editingFilter, detail: null };
  const section = ctx.filterable.includes(state.section) ? state.section : ctx.treeSection;
  const atTop = (record: Readonly<Record<S, number>>) => ctx.filterable.reduce((out, id) => withKey(out, id, 0), record);
  const reset = filter === state.filter ? next : { ...next, cursor: atTop(next.cursor), offset: atTop(next.offset) };
  return fitSection({ ...reset, section }, section, ctx, reset.cursor[section], reset.offset[section]);
}

export function reduce<S extends string>(state: UiState<S>, action: UiAction, ctx: UiContext<S>): UiState<S> {
  switch (action.type) {
    case 'section': {
      const ids = ctx.sections;
      const index = ids.indexOf(state.section);
      const section = ids[(index + action.step + ids.length) % ids.length]!;
      const next = { ...state, section, detail: null };
      return fitSection(next, section, ctx, next.cursor[section], next.offset[section]);
    }
    case 'move':
      return moveBy(state, ctx, action.delta);
    case 'page': {
      const page = Math.max(1, ctx.pageSize - 1);
      if (state.detail || !ctx.selectable(state.section)) return moveBy(state, ctx, action.step * page);
      // A page moves the cursor and the view together, as in `less`.
      const section = state.section;
      return fitSection(state, section, ctx, state.cursor[section] + action.step * page, state.offset[section] + action.step * page);
    }
    case 'edge':
      return moveBy(state, ctx, action.to === 'start' ? -Number.MAX_SAFE_INTEGER : Number.MAX_SAFE_INTEGER);
    case 'activate':
      return activate(state, ctx);
    case 'layer':
      return state.detail ? state : stepLayer(state, ctx, action.step);
    case 'back':
      if (state.detail) return { ...state, detail: null };
      return state.filter !== '' ? setFilter(state, ctx, '', false) : state;
    case 'filter-start':
      return setFilter(state, ctx, action.text, true);
    case 'filter-type':
      return setFilter(state, ctx, state.filter + action.text, true);
    case 'filter-erase':
      return setFilter(state, ctx, state.filter.slice(0, -1), true);
    case 'filter-done':
      return setFilter(state, ctx, action.keep ? state.filter : '', false);
    case 'fit': {
      const fitted = fitSection(state, state.section, ctx, state.cursor[state.section], state.offset[state.section]);
      return fitted.detail ? scrollDetail(fitted, ctx, fitted.detail.offset) : fitted;
    }
  }
}

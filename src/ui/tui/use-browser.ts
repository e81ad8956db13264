/**
 * The state, keys and resize handling shared by the analyze and diff views: the pure reducer
 * (state.ts) driven by Ink's input, over a cache that builds each section's view.
 */
import { useApp, useInput } from 'ink';
import { useEffect, useMemo, useRef, useState } from 'react';
import type { SectionView } from '../view/sections.js';
import { keyToAction } from './keys.js';
import { reduce, type TreeView, type UiContext, type UiState } from './state.js';

/** Header, tabs, column header, footer (2) and help: the lines around the list. */
export const CHROME_LINES = 6;

/** List lines that fit: one row short of the terminal, so Ink never has to clear the screen. */
export function pageSizeFor(rows: number): number {
  return Math.max(3, rows - CHROME_LINES - 1);
}

export interface SectionSource<S extends string> {
  section(id: S, tree: TreeView): SectionView;
  context(pageSize: number): UiContext<S>;
}

export interface Browser<S extends string> {
  state: UiState<S>;
  /** The active section's view (for the folds, layer and filter in `state`). */
  section: SectionView;
  pageSize: number;
}

export function useBrowser<S extends string>(cache: SectionSource<S>, initial: () => UiState<S>, rows: number, interactive: boolean): Browser<S> {
  const { exit } = useApp();
  const [state, setState] = useState(initial);
  const section = cache.section(state.section, state);
  const pageSize = interactive ? pageSizeFor(rows) : section.lines.length;
  const ctx = useMemo(() => cache.context(pageSize), [cache, pageSize]);

  // Whether keys are filter text, known the moment `/` is read: keys typed before the next render must not be commands.
  const editingFilter = useRef(false);
  useInput(
    (input, key) => {
      const action = keyToAction(input, key, editingFilter.current);
      if (!action) return;
      if (action.type === 'filter-start') editingFilter.current = true;
      if (action.type === 'filter-done') editingFilter.current = false;
      if (action.type === 'quit') exit();
      else setState((current) => reduce(current, action, ctx));
    },
    { isActive: interactive },
  );
  // A resize changes the page and the lines' widths: bring cursor and scroll back in range.
  useEffect(() => setState((current) => reduce(current, { type: 'fit' }, ctx)), [ctx]);
  return { state, section, pageSize };
}

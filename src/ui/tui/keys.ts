/** Key presses → UI actions (pure). Arrows, Tab/Shift-Tab, PgUp/PgDn, Home/End, Enter, Esc, and vi keys. */
import type { UiAction } from './state.js';

/** The subset of Ink's `Key` this mapping reads. */
export interface KeyPress {
  upArrow: boolean;
  downArrow: boolean;
  leftArrow: boolean;
  rightArrow: boolean;
  pageUp: boolean;
  pageDown: boolean;
  home: boolean;
  end: boolean;
  return: boolean;
  escape: boolean;
  backspace: boolean;
  /** Ink names the Backspace most terminals send (DEL, 0x7f) `delete`. */
  delete?: boolean;
  tab: boolean;
  shift: boolean;
  ctrl: boolean;
}

export type KeyResult = UiAction | { type: 'quit' } | null;

/** While the filter is being typed, printable keys are text; Enter keeps it, Esc drops it; arrows still move. */
function filterKey(input: string, key: KeyPress): KeyResult {
  if (key.ctrl && input === 'c') return { type: 'quit' };
  if (key.return) return { type: 'filter-done', keep: true };
  if (key.escape) return { type: 'filter-done', keep: false };
  if (key.backspace || key.delete) return { type: 'filter-erase' };
  if (key.upArrow) return { type: 'move', delta: -1 };
  if (key.downArrow) return { type: 'move', delta: 1 };
  if (key.tab) return { type: 'section', step: key.shift ? -1 : 1 };
  const text = printable(input);
  return text && !key.ctrl ? { type: 'filter-type', text } : null;
}

const printable = (input: string): string => [...input].filter((char) => char >= ' ' && char !== '\x7f').join('');

export function keyToAction(input: string, key: KeyPress, editingFilter = false): KeyResult {
  if (editingFilter) return filterKey(input, key);
  // `/` and what follows it in the same read (a fast typist, a paste) start a new filter.
  if (input.startsWith('/') && !key.ctrl) return { type: 'filter-start', text: printable(input.slice(1)) };
  if (input === 'q' || (key.ctrl && input === 'c')) return { type: 'quit' };
  if (key.tab) return { type: 'section', step: key.shift ? -1 : 1 };
  if (key.rightArrow || input === 'l') return { type: 'section', step: 1 };
  if (key.leftArrow || input === 'h') return { type: 'section', step: -1 };
  if (key.upArrow || input === 'k') return { type: 'move', delta: -1 };
  if (key.downArrow || input === 'j') return { type: 'move', delta: 1 };
  if (key.pageUp || (key.ctrl && input === 'b')) return { type: 'page', step: -1 };
  if (key.pageDown || input === ' ' || (key.ctrl && input === 'f')) return { type: 'page', step: 1 };
  if (key.home || input === 'g') return { type: 'edge', to: 'start' };
  if (key.end || input === 'G') return { type: 'edge', to: 'end' };
  if (key.return) return { type: 'activate' };
  if (input === '[') return { type: 'layer', step: -1 };
  if (input === ']') return { type: 'layer', step: 1 };
  if (key.escape || key.backspace) return { type: 'back' };
  return null;
}

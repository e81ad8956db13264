/** What the terminal can do: the one place that decides TUI or text, colour, and width. */
import type { PresentOptions, Terminal } from './types.js';

const isSetAndNotFalse = (value: string | undefined): boolean => value !== undefined && value !== '0' && value !== 'false';

/** The same test as the `is-in-ci` package (which Ink uses), but over the given environment. */
export function isCi(env: NodeJS.ProcessEnv): boolean {
  return isSetAndNotFalse(env.CI) || isSetAndNotFalse(env.CONTINUOUS_INTEGRATION);
}

/**
 * Whether to show the interactive UI. An explicit `--format` always wins; `--tui`/`--no-tui`
 * force it; otherwise only when both stdout and stdin are TTYs, outside CI, on a capable terminal.
 */
export function wantsTui(term: Terminal, options: PresentOptions): boolean {
  if (options.format !== undefined) return false;
  if (options.tui !== undefined) return options.tui;
  return term.stdout.isTTY === true && term.stdin.isTTY === true && !isCi(term.env) && term.env.TERM !== 'dumb';
}

/** Whether key presses can be read: a TTY stdin that supports raw mode. */
export function canReadKeys(term: Terminal): boolean {
  const stdin = term.stdin as Terminal['stdin'] & { setRawMode?: unknown };
  return stdin.isTTY === true && typeof stdin.setRawMode === 'function';
}

/**
 * Colour for `stream`: FORCE_COLOR (unless `0`/`false`) turns it on and wins, as in Node's own
 * `getColorDepth`; a non-empty NO_COLOR turns it off; otherwise a TTY that is not `TERM=dumb`.
 */
export function colorEnabled(env: NodeJS.ProcessEnv, stream: { isTTY?: boolean }): boolean {
  const force = env.FORCE_COLOR;
  if (force !== undefined) return force !== '0' && force !== 'false';
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return false;
  return stream.isTTY === true && env.TERM !== 'dumb';
}

const DEFAULT_WIDTH = 100;

/** Width of plain text on a terminal: its columns, else `$COLUMNS`, else 100 (off a terminal nothing is cut). */
export function textWidth(term: Terminal): number {
  if (term.stdout.isTTY && term.stdout.columns && term.stdout.columns > 0) return term.stdout.columns;
  const fromEnv = Number.parseInt(term.env.COLUMNS ?? '', 10);
  return Number.isFinite(fromEnv) && fromEnv > 20 ? fromEnv : DEFAULT_WIDTH;
}

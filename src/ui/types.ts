/**
 * The small terminal surface the UI needs. The CLI's `CliIO` satisfies it structurally, so
 * `ui/` never imports `cli/` and views run in tests against plain objects.
 */

/** An output stream: process.stdout/stderr or a test double. */
export interface TerminalOutput {
  write(chunk: string | Uint8Array): boolean;
  isTTY?: boolean;
  columns?: number;
  rows?: number;
}

/** The input stream; only a TTY is ever read from (raw mode, for key presses). */
export type TerminalInput = NodeJS.ReadableStream & { isTTY?: boolean };

export interface Terminal {
  stdout: TerminalOutput;
  stderr: TerminalOutput;
  stdin: TerminalInput;
  env: NodeJS.ProcessEnv;
}

export interface PresentOptions {
  /** `--tui` true, `--no-tui` false, undefined: decide from the terminal. */
  tui?: boolean;
  /** An explicit `--format`; always wins over the terminal UI. */
  format?: 'text' | 'json';
  /**
   * What the plain text tells: the whole analysis (`analyze`), or for `slim` the before →
   * after, risks, output and kept files only. JSON and the terminal UI always hold everything.
   */
  text?: 'analysis' | 'slim';
  /** Plain text: findings grouped by kind (default) or `all` listed one by one. */
  findings?: 'grouped' | 'all';
  /** `check` on a terminal: its results, shown first in the terminal UI. */
  check?: CheckView;
}

/**
 * What the terminal UI shows of a `check` run: the shape of the policy's CheckResult that the
 * UI reads (the CLI passes the result itself), so `ui/` need not import `policy/`.
 */
export interface CheckView {
  passed: boolean;
  policy: string[];
  counts: { pass: number; fail: number; warn: number; skip: number };
  results: Array<{
    rule: string;
    status: 'pass' | 'fail' | 'warn' | 'skip';
    severity: 'error' | 'warning';
    configuration: string;
    message: string;
    violations: Array<{ path: string | null; message: string }>;
  }>;
}

/** How a piece of text is meant to look; renderers map tones to colours (or to nothing). */
export type Tone = 'error' | 'warning' | 'info' | 'ok' | 'accent' | 'muted' | 'kept' | 'dropped';

export interface Segment {
  text: string;
  tone?: Tone;
  bold?: boolean;
}

/** One line of output as styled segments: the common currency of text and terminal views. */
export type Line = Segment[];

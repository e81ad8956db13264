/** Picks how progress is shown: live bars on a TTY stderr, a line per task otherwise, nothing with --quiet. */
import { silentProgress, type ProgressSink } from '../../shared/progress.js';
import type { Terminal } from '../types.js';
import { LineProgress } from './line-progress.js';
import { TtyProgress } from './tty-progress.js';

export type ClosableProgress = ProgressSink & { close(): void };

export function createProgress(term: Terminal, options: { quiet: boolean }): ClosableProgress {
  if (options.quiet) return { start: silentProgress.start, close() {} };
  const sink = term.stderr.isTTY === true && term.env.TERM !== 'dumb' ? new TtyProgress(term.stderr) : new LineProgress(term.stderr);
  return { start: (phase, label, total) => sink.start(phase, label, total), close: () => sink.close() };
}

/**
 * Live bars on a TTY stderr, one line per phase, redrawn at most every `intervalMs`: `advance`
 * only bumps counters, and the first change after a draw arms a single timer. `close()` erases
 * the bars and leaves the cursor where they began.
 */
import type { ProgressTask } from '../../shared/progress.js';
import { formatBytes, formatDuration, formatRate, plural } from '../format/numbers.js';
import { pad, truncateEnd, truncateMiddle } from '../format/text-width.js';
import { renderBar } from '../model/slim.js';
import type { TerminalOutput } from '../types.js';
import { PhaseState, TrackedTask, type Phase, type ProgressOwner } from './task.js';

export const DRAW_INTERVAL_MS = 100;
const BAR_WIDTH = 20;

/** One phase as a line: `read      ████░░░░  45.2 MiB / 120.0 MiB  38%  84.1 MiB/s  layer 2/5 …`. */
export function renderPhaseLine(state: PhaseState, now: number, width: number): string {
  const name = pad(state.phase, 8);
  if (state.active.length === 0) {
    const took = formatDuration(state.lastFinish - state.firstStart);
    return truncateEnd(`${name}✓ ${plural(state.finishedCount, 'task')}  ${formatBytes(state.finishedBytes)}  ${took}`, width);
  }
  let bytes = 0;
  let total: number | null = 0;
  let since = Number.POSITIVE_INFINITY;
  for (const task of state.active) {
    bytes += task.bytes;
    total = total === null || task.total === null ? null : total + task.total;
    since = Math.min(since, task.startedAt);
  }
  const elapsed = Math.max(1, now - since) / 1000;
  const first = state.active[0]!;
  const label = state.active.length > 1 ? `${first.label} (+${state.active.length - 1})` : first.label;
  const rate = formatRate(bytes / elapsed);
  const known = total !== null && total > 0 ? total : null;
  const figures = known
    ? `${formatBytes(bytes)} / ${formatBytes(known)}  ${pad(`${Math.min(100, Math.floor((bytes / known) * 100))}%`, 4, 'right')}  ${rate}`
    : `${formatBytes(bytes)}  ${rate}`;
  // The bar goes first when the terminal is narrow; the label gets what is left, cut in the middle.
  const bar = known && name.length + BAR_WIDTH + 2 + figures.length + 12 <= width ? `${renderBar(bytes / known, BAR_WIDTH)}  ` : '';
  const head = `${name}${bar}${figures}  `;
  return truncateEnd(head + truncateMiddle(label, Math.max(0, width - head.length)), width);
}

export class TtyProgress implements ProgressOwner {
  private readonly phases = new Map<Phase, PhaseState>();
  private timer: ReturnType<typeof setTimeout> | null = null;
  private drawnLines = 0;
  private closed = false;
  /** How many times the bars were drawn (for tests and curiosity). */
  draws = 0;

  constructor(
    private readonly stream: TerminalOutput,
    private readonly intervalMs = DRAW_INTERVAL_MS,
  ) {}

  start(phase: Phase, label: string, total: number | null): ProgressTask {
    const task = new TrackedTask(this, phase, label, total);
    if (this.closed) return task;
    let state = this.phases.get(phase);
    if (!state) {
      state = new PhaseState(phase);
      this.phases.set(phase, state);
    }
    state.add(task);
    this.changed();
    return task;
  }

  changed(): void {
    if (this.timer !== null || this.closed) return;
    this.timer = setTimeout(this.draw, this.intervalMs);
    // Drawing never keeps the process alive.
    this.timer.unref?.();
  }

  finished(task: TrackedTask): void {
    if (this.closed) return;
    this.phases.get(task.phase)?.finish(task);
    this.changed();
  }

  private readonly draw = (): void => {
    this.timer = null;
    if (this.closed) return;
    const width = Math.max(20, (this.stream.columns ?? 80) - 1);
    const now = Date.now();
    const lines = [...this.phases.values()].map((state) => `\x1b[2K${renderPhaseLine(state, now, width)}`);
    this.stream.write(this.rewind() + lines.join('\n') + (lines.length < this.drawnLines ? '\x1b[J' : ''));
    this.drawnLines = lines.length;
    this.draws++;
  };

  /** Back to the first column of the first line drawn. */
  private rewind(): string {
    if (this.drawnLines === 0) return '';
    return this.drawnLines > 1 ? `\r\x1b[${this.drawnLines - 1}A` : '\r';
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
    if (this.drawnLines > 0) this.stream.write(`${this.rewind()}\x1b[J`);
    this.drawnLines = 0;
  }
}

/** Off a TTY (CI logs, pipes): one plain line per finished task, nothing in between. */
import type { ProgressTask } from '../../shared/progress.js';
import { formatBytes, formatDuration, formatRate } from '../format/numbers.js';
import { pad } from '../format/text-width.js';
import type { TerminalOutput } from '../types.js';
import { TrackedTask, type Phase, type ProgressOwner } from './task.js';

/** `read      layer 2/5 sha256:ab12…  120.0 MiB in 1.4s (85.7 MiB/s)`. */
export function renderFinishedLine(task: TrackedTask): string {
  const ms = Math.max(0, task.finishedAt - task.startedAt);
  const rate = ms > 0 ? ` (${formatRate(task.bytes / (ms / 1000))})` : '';
  return `${pad(task.phase, 8)}  ${task.label}  ${formatBytes(task.bytes)} in ${formatDuration(ms)}${rate}`;
}

export class LineProgress implements ProgressOwner {
  private closed = false;

  constructor(private readonly stream: TerminalOutput) {}

  start(phase: Phase, label: string, total: number | null): ProgressTask {
    return new TrackedTask(this, phase, label, total);
  }

  changed(): void {}

  finished(task: TrackedTask): void {
    if (!this.closed) this.stream.write(`${renderFinishedLine(task)}\n`);
  }

  close(): void {
    this.closed = true;
  }
}

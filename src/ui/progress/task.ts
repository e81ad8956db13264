/** Per-task and per-phase progress bookkeeping shared by the TTY and line sinks. */
import type { ProgressTask } from '../../shared/progress.js';

export type Phase = 'read' | 'write' | 'compress';

/** Whoever draws: told (cheaply) that something changed or a task finished. */
export interface ProgressOwner {
  changed(): void;
  finished(task: TrackedTask): void;
}

export class TrackedTask implements ProgressTask {
  bytes = 0;
  finished = false;
  readonly startedAt: number;
  finishedAt = 0;

  constructor(
    private readonly owner: ProgressOwner,
    readonly phase: Phase,
    readonly label: string,
    readonly total: number | null,
  ) {
    this.startedAt = Date.now();
  }

  /** O(1) and allocation-free: a counter bump and a flag check in the owner. */
  advance(bytes: number): void {
    this.bytes += bytes;
    this.owner.changed();
  }

  done(): void {
    if (this.finished) return;
    this.finished = true;
    this.finishedAt = Date.now();
    this.owner.finished(this);
  }
}

/** Running totals of one phase: its active tasks, and what finished. */
export class PhaseState {
  readonly active: TrackedTask[] = [];
  finishedCount = 0;
  finishedBytes = 0;
  firstStart = 0;
  lastFinish = 0;
  lastLabel = '';

  constructor(readonly phase: Phase) {}

  add(task: TrackedTask): void {
    if (this.active.length === 0 && this.finishedCount === 0) this.firstStart = task.startedAt;
    this.active.push(task);
  }

  finish(task: TrackedTask): void {
    const index = this.active.indexOf(task);
    if (index >= 0) this.active.splice(index, 1);
    this.finishedCount++;
    this.finishedBytes += task.bytes;
    this.lastFinish = task.finishedAt;
    this.lastLabel = task.label;
  }
}

/**
 * Progress of long work (reading and writing layers), reported by library code to a sink the
 * CLI provides. The sink decides how (and whether) to draw; library code never prints.
 */
export interface ProgressTask {
  /** Adds bytes done to this task. Called often: implementations must be cheap. */
  advance(bytes: number): void;
  /** Marks the task finished (successfully or not). */
  done(): void;
}

export interface ProgressSink {
  /**
   * Starts a task, e.g. phase `read` with label `layer 2/5 sha256:ab12…`. `total` is the
   * expected byte count, or null when unknown.
   */
  start(phase: 'read' | 'write' | 'compress', label: string, total: number | null): ProgressTask;
}

const noopTask: ProgressTask = { advance() {}, done() {} };

/** A sink that draws nothing (`--quiet`, tests). */
export const silentProgress: ProgressSink = { start: () => noopTask };

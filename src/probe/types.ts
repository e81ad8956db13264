/** Probes, what they observed, and what a run of them reports. */
import type { UsedPath } from './trace-log.js';

/** `--probe 'CMD'` (argv from shell words) or `--probe-http PORT[/PATH]`. */
export type Probe = { kind: 'command'; label: string; argv: string[] } | { kind: 'http'; label: string; port: number; path: string };

/** What a probe's run showed, the part verification compares. */
export type ProbeOutcome =
  | {
      kind: 'command';
      exitCode: number;
      timedOut: boolean;
      stdoutDigest: string;
      stdoutSize: number;
      /** The first bytes of stdout, to show a difference. */
      stdoutHead: string;
    }
  | {
      kind: 'http';
      /** null when no answer came (see `error`). */
      status: number | null;
      bodyDigest: string | null;
      bodySize: number;
      bodyHead: string;
      error: string | null;
    };

export interface ProbeRun {
  probe: Probe;
  /** The untraced run's outcome (the traced run only finds paths). */
  outcome: ProbeOutcome;
  /** Paths the traced run used in the root (empty when not traced). */
  paths: UsedPath[];
  /** Wall-clock milliseconds of the untraced run, and of the traced run (null when not traced). */
  untracedMs: number;
  tracedMs: number | null;
}

import type { CliIO } from './io.js';

/** A subcommand: `run` returns the exit code; it throws ImgslimError for usage/input/integrity failures. */
export interface Command {
  name: string;
  summary: string;
  /** Full help text, printed by `imgslim help NAME` and `imgslim NAME --help`. */
  usage: string;
  run(argv: string[], io: CliIO): Promise<number>;
}

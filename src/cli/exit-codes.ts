/**
 * The exit codes: the constants (ExitCode, defined beside the errors that carry them) and the
 * text every command's --help states. README.md's table says the same (a test compares them).
 */
export { ExitCode } from '../shared/errors.js';

export const EXIT_CODES_HELP = `Exit codes:
  0   ok (check: every rule passed; warnings allowed)
  1   check: a policy rule failed; slim: refused, the slimmed entrypoint could not start
  2   usage or environment error: bad arguments, options or policy file; an output that
      cannot be written (no such directory, no space left, read-only, /proc)
  3   unreadable or unsupported input (a missing image or --report file, corrupt data)
  4   integrity failure: a digest or diff_id does not match
  5   slim: the slimmed image behaves differently under --probe (nothing was written)
  70  internal error (a bug in imgslim: please report it with --debug output)
  130 interrupted (SIGINT or SIGTERM); nothing was written
  141 stdout was closed before everything was written (| head), as for a program ended by SIGPIPE`;

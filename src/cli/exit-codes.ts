/** The exit codes, as every command's --help states them. */
export const EXIT_CODES_HELP = `Exit codes:
  0   ok (check: every rule passed; warnings allowed)
  1   check: a policy rule failed; slim: refused, the slimmed entrypoint could not start
  2   usage error: bad arguments, options or policy file
  3   unreadable or unsupported input
  4   integrity failure: a digest or diff_id does not match
  5   slim: the slimmed image behaves differently under --probe (nothing was written)
  70  internal error (a bug in imgslim: please report it with --debug output)`;

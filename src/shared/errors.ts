/**
 * Errors carry a stable `code` and the process exit code the CLI maps them to.
 * Library code throws these (or returns diagnostics); only `cli/` prints or exits.
 */

export const ExitCode = {
  ok: 0,
  /** `check`: a policy rule failed. A result, never an exception. */
  policyFailed: 1,
  /** `slim`: the slimmed image's entrypoint could not start, so nothing was written (fail closed; --force writes it). */
  slimRefused: 1,
  usage: 2,
  /** Unreadable or unsupported input. */
  input: 3,
  /** A digest or diff_id did not match. */
  integrity: 4,
  /** `slim --probe`: the slimmed image behaves differently from the original under a probe; nothing was written. */
  behavesDifferently: 5,
  /** A bug in imgslim (EX_SOFTWARE). */
  bug: 70,
  /** SIGINT or SIGTERM stopped the run (128 + SIGINT); nothing was written. */
  interrupted: 130,
  /** stdout was closed before everything was written (`| head`): 128 + SIGPIPE, as a program SIGPIPE ends. */
  closedPipe: 141,
} as const;
export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];

export class ImgslimError extends Error {
  override name = 'ImgslimError';
  readonly code: string;
  readonly exitCode: ExitCode;

  constructor(code: string, message: string, exitCode: ExitCode, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
    this.exitCode = exitCode;
  }
}

/** Bad arguments, options or policy files: exit 2. */
export class UsageError extends ImgslimError {
  override name = 'UsageError';
  constructor(message: string, options?: { code?: string; cause?: unknown }) {
    super(options?.code ?? 'E_USAGE', message, ExitCode.usage, options);
  }
}

/** Unreadable, malformed or unsupported input: exit 3. */
export class InputError extends ImgslimError {
  override name = 'InputError';
  constructor(message: string, options?: { code?: string; cause?: unknown }) {
    super(options?.code ?? 'E_INPUT', message, ExitCode.input, options);
  }
}

/** Content that does not match its digest: exit 4. */
export class IntegrityError extends ImgslimError {
  override name = 'IntegrityError';
  constructor(message: string, options?: { code?: string; cause?: unknown }) {
    super(options?.code ?? 'E_INTEGRITY', message, ExitCode.integrity, options);
  }
}

/** `slim` refuses to write an image whose entrypoint could not start: exit 1. */
export class RefusedError extends ImgslimError {
  override name = 'RefusedError';
  constructor(message: string, options?: { code?: string; cause?: unknown }) {
    super(options?.code ?? 'E_REFUSED', message, ExitCode.slimRefused, options);
  }
}

/** `slim --probe`: the slimmed image did not do what the original did under a probe: exit 5. */
export class BehaviourError extends ImgslimError {
  override name = 'BehaviourError';
  constructor(message: string, options?: { code?: string; cause?: unknown }) {
    super(options?.code ?? 'E_BEHAVES_DIFFERENTLY', message, ExitCode.behavesDifferently, options);
  }
}

/** Something that should never happen: exit 70. */
export class BugError extends ImgslimError {
  override name = 'BugError';
  constructor(message: string, options?: { cause?: unknown }) {
    super('E_BUG', message, ExitCode.bug, options);
  }
}

export function isImgslimError(error: unknown): error is ImgslimError {
  return error instanceof ImgslimError;
}

/** The exit code for any thrown value: our errors carry one, anything else is a bug. */
export function exitCodeOf(error: unknown): ExitCode {
  return isImgslimError(error) ? error.exitCode : ExitCode.bug;
}

/** An error as plain data, to cross a thread boundary (structured cloning drops classes and codes). */
export interface ErrorData {
  name: string;
  message: string;
  code?: string;
  stack?: string;
  /** An operating-system error's errno name, call and path (kept so the CLI can say which file failed). */
  errno?: { code: string; syscall?: string; path?: string };
}

export function errorToData(error: unknown): ErrorData {
  if (!(error instanceof Error)) return { name: 'Error', message: String(error) };
  const data: ErrorData = { name: error.name, message: error.message };
  if (isImgslimError(error)) data.code = error.code;
  if (error.stack !== undefined) data.stack = error.stack;
  const system = error as Error & { code?: unknown; syscall?: unknown; path?: unknown };
  if (!isImgslimError(error) && typeof system.code === 'string') {
    data.errno = { code: system.code };
    if (typeof system.syscall === 'string') data.errno.syscall = system.syscall;
    if (typeof system.path === 'string') data.errno.path = system.path;
  }
  return data;
}

/** The error `errorToData` described: the same class, code and message (and the original stack). */
export function errorFromData(data: ErrorData): Error {
  const options = data.code === undefined ? {} : { code: data.code };
  let error: Error;
  switch (data.name) {
    case 'UsageError':
      error = new UsageError(data.message, options);
      break;
    case 'InputError':
      error = new InputError(data.message, options);
      break;
    case 'IntegrityError':
      error = new IntegrityError(data.message, options);
      break;
    case 'BugError':
      error = new BugError(data.message);
      break;
    default:
      error = new Error(data.message);
      error.name = data.name;
  }
  if (data.stack !== undefined) error.stack = data.stack;
  if (data.errno) Object.assign(error, data.errno);
  return error;
}

/** The process surface a command talks to, so commands run in tests without a process. */
import { ExitCode } from '../shared/errors.js';
import { systemErrorText } from '../shared/system-error.js';

export interface CliStream {
  write(chunk: string | Uint8Array): boolean;
  isTTY?: boolean;
  columns?: number;
  rows?: number;
}

export interface CliIO {
  stdout: CliStream;
  stderr: CliStream;
  stdin: NodeJS.ReadableStream & { isTTY?: boolean };
  env: NodeJS.ProcessEnv;
  cwd: string;
}

export function processIO(): CliIO {
  endQuietlyOnStreamErrors();
  return { stdout: process.stdout, stderr: process.stderr, stdin: process.stdin, env: process.env, cwd: process.cwd() };
}

let stdoutFailure: number | undefined;

/** The exit code a failed stdout imposes (141 closed by the reader, 2 not writable), else undefined. */
export function stdoutExitCode(): number | undefined {
  return stdoutFailure;
}

let installed = false;

/**
 * A closed stdout (`| head`) ends the output quietly instead of crashing with an EPIPE stack: the
 * command runs to its end (so its temporary files are removed; writes to the closed stream go
 * nowhere) and exits 141, as a program SIGPIPE ends. Another stdout error (a full disk) is one
 * sentence and exit 2. Node reports these errors asynchronously, possibly after the command
 * returned, so the handler sets process.exitCode itself. stderr errors are ignored.
 */
function endQuietlyOnStreamErrors(): void {
  if (installed) return;
  installed = true;
  process.stdout.on('error', (error: NodeJS.ErrnoException) => {
    if (stdoutFailure !== undefined) return;
    stdoutFailure = error.code === 'EPIPE' ? ExitCode.closedPipe : ExitCode.usage;
    if (stdoutFailure === ExitCode.usage) process.stderr.write(`imgslim: cannot write to stdout: ${systemErrorText(error)}\n`);
    process.exitCode = stdoutFailure;
  });
  process.stderr.on('error', () => undefined);
}

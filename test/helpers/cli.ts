/** Runs the CLI in-process with captured streams, or the built binary as a child process. */
import { spawn, spawnSync } from 'node:child_process';
import { PassThrough } from 'node:stream';
import path from 'node:path';
import { runCli } from '../../src/cli/main.js';
import type { CliIO } from '../../src/cli/io.js';
import { repoRoot } from './peer-corpus.js';
import { ensureBuilt } from './build.js';

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

export async function runCliInProcess(
  args: string[],
  options: { env?: NodeJS.ProcessEnv; stdin?: Uint8Array; cwd?: string } = {},
): Promise<CliResult> {
  let stdout = '';
  let stderr = '';
  const stdin = new PassThrough();
  stdin.end(options.stdin ?? new Uint8Array());
  const io: CliIO = {
    stdout: { write: (chunk) => ((stdout += String(typeof chunk === 'string' ? chunk : Buffer.from(chunk))), true), isTTY: false },
    stderr: { write: (chunk) => ((stderr += String(typeof chunk === 'string' ? chunk : Buffer.from(chunk))), true), isTTY: false },
    stdin,
    env: { ...options.env },
    cwd: options.cwd ?? repoRoot,
  };
  const code = await runCli(args, io);
  return { code, stdout, stderr };
}

/** Runs `node bin/imgslim.js` (built from the current sources first). */
export function runCliBinary(
  args: string[],
  options: { env?: NodeJS.ProcessEnv; input?: Uint8Array; cwd?: string; timeoutMs?: number } = {},
): CliResult {
  ensureBuilt();
  const result = spawnSync(process.execPath, [path.join(repoRoot, 'bin', 'imgslim.js'), ...args], {
    cwd: options.cwd ?? repoRoot,
    env: { PATH: process.env.PATH, HOME: process.env.HOME, ...options.env },
    input: options.input,
    timeout: options.timeoutMs ?? 120_000,
    maxBuffer: 256 * 1024 * 1024,
  });
  return { code: result.status ?? -1, stdout: result.stdout.toString(), stderr: result.stderr.toString() };
}

/** runCliBinary without blocking this process (for servers that the test itself runs, e.g. a proxy). */
export function runCliBinaryAsync(args: string[], options: { env?: NodeJS.ProcessEnv } = {}): Promise<CliResult> {
  ensureBuilt();
  return runCollecting([process.execPath, path.join(repoRoot, 'bin', 'imgslim.js'), ...args], {
    cwd: repoRoot,
    env: { PATH: process.env.PATH, HOME: process.env.HOME, ...options.env },
  });
}

/** Runs `argv` without blocking this process, no stdin; its exit code and its output as text. */
export function runCollecting(argv: string[], options: { cwd: string; env: NodeJS.ProcessEnv }): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const [command, ...rest] = argv;
    const child = spawn(command!, rest, { ...options, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (text: string) => (stdout += text));
    child.stderr.setEncoding('utf8').on('data', (text: string) => (stderr += text));
    child.once('error', reject);
    child.once('close', (code) => resolve({ code: code ?? -1, stdout, stderr }));
  });
}

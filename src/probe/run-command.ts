/** `--probe 'CMD'`: runs the command in the sandbox to its end (or the timeout); exit code and stdout are its outcome. */
import { createHash } from 'node:crypto';
import type { SandboxTools } from './sandbox-host.js';
import { startSandbox, type SandboxRun } from './sandbox.js';
import type { ProbeOutcome } from './types.js';

const HEAD_BYTES = 64 * 1024;

export interface RunResult {
  outcome: ProbeOutcome;
  ms: number;
  /** The last lines the sandbox wrote to stderr (launch failures are there). */
  stderr: string;
}

export async function runCommandProbe(tools: SandboxTools, run: SandboxRun, timeoutMs: number): Promise<RunResult> {
  const started = performance.now();
  const sandbox = startSandbox(tools, run);
  const digest = createHash('sha256');
  let size = 0;
  const head: Buffer[] = [];
  let headSize = 0;
  sandbox.child.stdout!.on('data', (chunk: Buffer) => {
    digest.update(chunk);
    size += chunk.length;
    if (headSize < HEAD_BYTES) {
      head.push(chunk.subarray(0, HEAD_BYTES - headSize));
      headSize += Math.min(chunk.length, HEAD_BYTES - headSize);
    }
  });
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    sandbox.kill();
  }, timeoutMs);
  try {
    await sandbox.ready;
    const { code, stderr } = await sandbox.exited;
    return {
      outcome: {
        kind: 'command',
        exitCode: timedOut ? -1 : code,
        timedOut,
        stdoutDigest: `sha256:${digest.digest('hex')}`,
        stdoutSize: size,
        stdoutHead: Buffer.concat(head).toString('utf8'),
      },
      ms: performance.now() - started,
      stderr,
    };
  } finally {
    clearTimeout(timer);
    sandbox.kill();
  }
}

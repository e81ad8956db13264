/**
 * `--probe-http PORT[/PATH]`: starts the image's Entrypoint+Cmd in the sandbox, asks from inside
 * its network namespace (node under nsenter: the server listens on the sandbox's loopback only),
 * then stops it as `docker stop` does: SIGTERM to the entrypoint's process, SIGKILL for everything
 * after a grace period. Status and body digest are the outcome.
 */
import { spawn } from 'node:child_process';
import { readdirSync, readFileSync, readlinkSync } from 'node:fs';
import { HTTP_CLIENT, type HttpAnswer } from './http-client.js';
import type { RunResult } from './run-command.js';
import type { SandboxTools } from './sandbox-host.js';
import { startSandbox, type SandboxRun } from './sandbox.js';

const STOP_GRACE_MS = 5000;

export async function runHttpProbe(tools: SandboxTools, run: SandboxRun, port: number, target: string, timeoutMs: number): Promise<RunResult> {
  const started = performance.now();
  const sandbox = startSandbox(tools, run);
  sandbox.child.stdout!.resume();
  try {
    await sandbox.ready;
    const exitedEarly = sandbox.exited.then(({ code }) => ({ error: `the entrypoint exited with code ${code} before answering` }) as HttpAnswer);
    const answer = await Promise.race([ask(tools, sandbox.child.pid!, port, target, Date.now() + timeoutMs), exitedEarly]);
    const ms = performance.now() - started;
    await stop(run.root, sandbox.child.pid!, sandbox.exited);
    const { stderr } = await sandbox.exited;
    return {
      outcome: {
        kind: 'http',
        status: answer.status ?? null,
        bodyDigest: answer.digest ?? null,
        bodySize: answer.size ?? 0,
        bodyHead: answer.head ?? '',
        error: answer.error ?? null,
      },
      ms,
      stderr,
    };
  } finally {
    sandbox.kill();
  }
}

/** Runs the client in the network namespace of `pid` (the outer unshare, which moved into it). */
function ask(tools: SandboxTools, pid: number, port: number, target: string, deadline: number): Promise<HttpAnswer> {
  return new Promise((resolve) => {
    // Not root, the network namespace belongs to the sandbox's user namespace: enter that first (as its owner), keeping the caller's ids.
    const userns = tools.userns ? [`--user=/proc/${pid}/ns/user`, '--preserve-credentials'] : [];
    const client = spawn(tools.nsenter, [...userns, `--net=/proc/${pid}/ns/net`, '--', process.execPath, '-e', HTTP_CLIENT, String(port), target, String(deadline)], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    client.stdout.setEncoding('utf8').on('data', (text: string) => (out += text));
    client.stderr.setEncoding('utf8').on('data', (text: string) => (err = (err + text).slice(-2000)));
    client.once('error', (error) => resolve({ error: `cannot run the HTTP client: ${error.message}` }));
    client.once('close', () => {
      try {
        resolve(JSON.parse(out) as HttpAnswer);
      } catch {
        resolve({ error: `the HTTP client failed: ${err.trim().split('\n').at(-1) ?? 'no output'}` });
      }
    });
  });
}

/** SIGTERM to the entrypoint, then wait for the sandbox to end (SIGKILL after the grace period). */
async function stop(root: string, outerPid: number, exited: Promise<unknown>): Promise<void> {
  const entrypoint = entrypointPid(root, outerPid);
  if (entrypoint !== null) {
    try {
      process.kill(entrypoint, 'SIGTERM');
    } catch {
      // already gone
    }
  }
  let timer: NodeJS.Timeout | undefined;
  const grace = new Promise<void>((resolve) => (timer = setTimeout(resolve, STOP_GRACE_MS)));
  await Promise.race([exited.then(() => undefined, () => undefined), grace]);
  clearTimeout(timer);
  try {
    process.kill(outerPid, 'SIGKILL');
  } catch {
    // already gone
  }
}

/**
 * The host pid of the entrypoint: of the processes in the sandbox's PID namespace that run
 * chrooted in `root`, the one with the lowest pid inside the namespace (its first program).
 */
function entrypointPid(root: string, outerPid: number): number | null {
  let namespace: string;
  try {
    namespace = readlinkSync(`/proc/${outerPid}/ns/pid_for_children`);
  } catch {
    return null;
  }
  let best: { pid: number; inner: number } | null = null;
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      if (readlinkSync(`/proc/${name}/ns/pid`) !== namespace || readlinkSync(`/proc/${name}/root`) !== root) continue;
      const inner = Number(/^NSpid:.*\s(\d+)\s*$/m.exec(readFileSync(`/proc/${name}/status`, 'utf8'))?.[1]);
      if (Number.isFinite(inner) && (best === null || inner < best.inner)) best = { pid: Number(name), inner };
    } catch {
      // the process ended meanwhile
    }
  }
  return best?.pid ?? null;
}

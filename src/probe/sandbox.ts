/**
 * Runs one process tree in the unpacked root, as a container runtime would, without a daemon:
 *
 *   unshare [--user --map-root-user] --mount --pid --net --fork --kill-child --mount-proc=ROOT/proc
 *     sh SETUP                       pid 1: tmpfs /tmp, a /dev of bind-mounted host nodes, lo up
 *       [strace -f -qq -y -o LOG]    the tracer, outside the chroot so it needs nothing from the image
 *         env -i ENV                 the image's Env, nothing of the host's
 *           unshare --root=ROOT --wd=DIR --setgid=G --setuid=U PROGRAM ARGS…                 (root)
 *           unshare --root=ROOT --wd=DIR [--user --map-user=U --map-group=G] PROGRAM ARGS…   (not root)
 *
 * Not root, the outer unshare also creates a user namespace where the caller is root (the
 * unpacked tree is the caller's, so it is root's inside). Only that one uid is mapped, so the
 * image's User is a nested user namespace that maps U:G to it: the program runs as U:G, without
 * capabilities, and sees the tree as owned by U:G.
 *
 * The setup shell stays pid 1 and returns the program's status (128+N for a signal), so a traced
 * and an untraced run see the same process tree shape. It reports on fd 3 once the namespaces are
 * ready. Killing the outer unshare kills pid 1 (--kill-child), which ends the whole namespace.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { lstatSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { UsageError } from '../shared/errors.js';
import type { ProcessSpec } from './process-spec.js';
import type { SandboxTools } from './sandbox-host.js';
import { TRACED_SYSCALLS } from './trace-log.js';

const DEVICES = ['null', 'zero', 'full', 'random', 'urandom', 'tty'];

const SETUP = `fail() { echo "imgslim-sandbox: $*" >&2; exit 125; }
R=$1; MOUNT=$2; IP=$3; shift 3
"$MOUNT" -t tmpfs -o mode=1777,nosuid,nodev tmpfs "$R/tmp" || fail "cannot mount a tmpfs on /tmp"
"$MOUNT" -t tmpfs -o mode=755,nosuid tmpfs "$R/dev" || fail "cannot mount a tmpfs on /dev"
for n in ${DEVICES.join(' ')}; do
  : > "$R/dev/$n" && "$MOUNT" --bind "/dev/$n" "$R/dev/$n" || fail "cannot bind-mount /dev/$n"
done
ln -s /proc/self/fd "$R/dev/fd" && ln -s /proc/self/fd/0 "$R/dev/stdin" && ln -s /proc/self/fd/1 "$R/dev/stdout" && ln -s /proc/self/fd/2 "$R/dev/stderr" || fail "cannot link /dev/fd"
"$IP" link set lo up || fail "cannot bring the loopback interface up"
echo ready >&3
exec 3>&-
"$@"
exit $?`;

export interface SandboxRun {
  /** The unpacked image (absolute, symlinks resolved). */
  root: string;
  argv: string[];
  process: ProcessSpec;
  /** Trace into this host file (outside the root); untraced when absent. */
  traceLog?: string;
  /** Ends the sandbox when aborted (Ctrl-C). */
  signal?: AbortSignal;
}

export interface Sandbox {
  child: ChildProcess;
  /** Resolves once the namespaces are set up (rejects with the setup's message if they cannot be). */
  ready: Promise<void>;
  /** The exit code of the program (128+N for a signal); the sandbox is gone when it resolves. */
  exited: Promise<{ code: number; stderr: string }>;
  /** Ends everything in the sandbox now. */
  kill(): void;
}

/** Starts the run; the caller reads `child.stdout`. */
export function startSandbox(tools: SandboxTools, run: SandboxRun): Sandbox {
  for (const dir of ['/proc', '/dev', '/tmp']) ensureDirectory(run.root, dir, true);
  ensureDirectory(run.root, run.process.workingDir, false);
  const inner = [
    tools.env,
    '-i',
    ...run.process.env,
    tools.unshare,
    `--root=${run.root}`,
    `--wd=${run.process.workingDir}`,
    ...userOptions(tools, run.process),
    '--',
    ...run.argv,
  ];
  const traced = run.traceLog === undefined ? inner : [tools.strace, '-f', '-qq', '-y', '-e', `trace=${TRACED_SYSCALLS}`, '-o', run.traceLog, '--', ...inner];
  const child = spawn(
    tools.unshare,
    [...(tools.userns ? ['--user', '--map-root-user'] : []), '--mount', '--pid', '--net', '--fork', '--kill-child', '--propagation', 'private', `--mount-proc=${path.join(run.root, 'proc')}`, '--', tools.sh, '-c', SETUP, 'sh', run.root, tools.mount, tools.ip, ...traced],
    { stdio: ['ignore', 'pipe', 'pipe', 'pipe'], env: { PATH: '/usr/sbin:/usr/bin:/sbin:/bin' } },
  );
  let stderr = '';
  child.stderr!.setEncoding('utf8');
  child.stderr!.on('data', (text: string) => {
    stderr = (stderr + text).slice(-8192);
  });
  let isReady = false;
  const ready = new Promise<void>((resolve, reject) => {
    const signal = child.stdio[3] as NodeJS.ReadableStream;
    signal.on('data', () => {
      isReady = true;
      resolve();
    });
    signal.on('error', () => undefined);
    child.once('close', () => {
      if (!isReady) reject(setupError(stderr));
    });
    child.once('error', (error) => reject(new UsageError(`probe: cannot start ${tools.unshare}: ${error.message}`, { cause: error })));
  });
  ready.catch(() => undefined);
  const exited = new Promise<{ code: number; stderr: string }>((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (code, signal) => {
      if (!isReady) reject(setupError(stderr));
      else resolve({ code: code ?? 128 + signalNumber(signal), stderr });
    });
  });
  exited.catch(() => undefined);
  const kill = () => child.kill('SIGKILL');
  run.signal?.addEventListener('abort', kill, { once: true });
  child.once('close', () => run.signal?.removeEventListener('abort', kill));
  return { child, ready, exited, kill };
}

/** How the inner unshare becomes the image's User. */
function userOptions(tools: SandboxTools, { uid, gid }: ProcessSpec): string[] {
  if (!tools.userns) return [`--setgid=${gid}`, `--setuid=${uid}`];
  return uid === 0 && gid === 0 ? [] : ['--user', `--map-user=${uid}`, `--map-group=${gid}`];
}

function setupError(stderr: string): UsageError {
  const lines = stderr.trim().split('\n').filter(Boolean);
  const reason = lines.find((line) => line.startsWith('imgslim-sandbox: ')) ?? lines.at(-1) ?? 'it exited before setting up';
  return new UsageError(`probe: the sandbox could not be set up: ${reason.replace(/^imgslim-sandbox: /, '')}`, { code: 'E_PROBE_ENVIRONMENT' });
}

function signalNumber(signal: NodeJS.Signals | null): number {
  const numbers: Record<string, number> = { SIGHUP: 1, SIGINT: 2, SIGQUIT: 3, SIGKILL: 9, SIGSEGV: 11, SIGPIPE: 13, SIGTERM: 15 };
  return signal === null ? 0 : (numbers[signal] ?? 0);
}

/**
 * Makes `dir` (absolute, inside `root`) a directory without following any symlink out of the root:
 * every existing component must be a real directory. Missing ones are created (root, 0755) when
 * `required` or, for the WorkingDir, as a runtime creates it.
 */
function ensureDirectory(root: string, dir: string, required: boolean): void {
  let current = root;
  for (const name of dir.split('/').filter((part) => part !== '' && part !== '.')) {
    if (name === '..') throw new UsageError(`probe: ${dir}: '..' in a sandbox directory`);
    current = path.join(current, name);
    let stat;
    try {
      stat = lstatSync(current);
    } catch {
      mkdirSync(current, { mode: 0o755 });
      continue;
    }
    if (!stat.isDirectory()) {
      if (!required) return;
      throw new UsageError(`probe: the image's ${dir} is not a directory (the sandbox mounts one there)`, { code: 'E_PROBE_ENVIRONMENT' });
    }
  }
}

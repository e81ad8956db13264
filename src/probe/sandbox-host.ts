/**
 * What the sandbox needs from the host, checked before anything runs: the tools it drives
 * (util-linux unshare, mount and nsenter, iproute2's ip for the loopback, strace as the tracer, a
 * POSIX sh), and the privilege to mount, chroot and create namespaces: root, or else an
 * unprivileged user namespace (the facts gathered here, the choice made by sandbox-mode.ts).
 * A missing piece is a usage/environment error (exit 2) that names it.
 */
import { spawnSync } from 'node:child_process';
import { accessSync, constants, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { UsageError } from '../shared/errors.js';
import { sandboxMode, USERNS_TRIAL, type UserNamespaceFacts } from './sandbox-mode.js';

export interface SandboxHost {
  /** The effective uid imgslim runs as. */
  uid: number;
  /** The absolute path of a host command, or null. */
  which(name: string): string | null;
  /** A sysctl under /proc/sys (e.g. `user/max_user_namespaces`), trimmed; null when absent or unreadable. */
  sysctl(name: string): string | null;
  /** Runs `unshare ARGS…`: null when it exits 0, else its last stderr line. */
  trial(unshare: string, args: readonly string[]): string | null;
}

export interface SandboxTools {
  sh: string;
  unshare: string;
  mount: string;
  nsenter: string;
  ip: string;
  strace: string;
  env: string;
  /**
   * Not root: every sandbox runs in a new user namespace that maps the caller to root, the
   * unpacked root is owned by the caller, and the image's User gets a nested user namespace.
   */
  userns: boolean;
}

const TOOLS: Array<[Exclude<keyof SandboxTools, 'userns'>, string, string]> = [
  ['sh', 'sh', 'a POSIX shell'],
  ['unshare', 'unshare', 'util-linux'],
  ['mount', 'mount', 'mount (util-linux)'],
  ['nsenter', 'nsenter', 'util-linux'],
  ['ip', 'ip', 'iproute2'],
  ['strace', 'strace', 'the strace package'],
  ['env', 'env', 'coreutils'],
];

/** The host as it is: this process's uid, commands looked up in PATH, /proc/sys. */
export function currentHost(env: NodeJS.ProcessEnv): SandboxHost {
  const dirs = (env.PATH ?? '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin').split(':').filter((dir) => dir.startsWith('/'));
  return {
    uid: process.geteuid?.() ?? -1,
    which(name) {
      for (const dir of dirs) {
        const candidate = path.join(dir, name);
        try {
          accessSync(candidate, constants.X_OK);
          return candidate;
        } catch {
          // not here
        }
      }
      return null;
    },
    sysctl(name) {
      try {
        return readFileSync(path.join('/proc/sys', name), 'utf8').trim();
      } catch {
        return null;
      }
    },
    trial(unshare, args) {
      const result = spawnSync(unshare, args, { stdio: ['ignore', 'ignore', 'pipe'], encoding: 'utf8', timeout: 10_000 });
      if (result.status === 0) return null;
      if (result.error) return result.error.message;
      return result.stderr.trim().split('\n').at(-1) || `exit ${result.status ?? result.signal}`;
    },
  };
}

/** The tools and how the sandbox gets its privileges, or a UsageError naming what is missing. */
export function checkSandbox(host: SandboxHost): SandboxTools {
  const tools: Partial<SandboxTools> = {};
  const missing: string[] = [];
  for (const [key, name, from] of TOOLS) {
    const found = host.which(name);
    if (found === null) missing.push(`${name} (${from})`);
    else tools[key] = found;
  }
  if (missing.length > 0) throw new UsageError(`slim: --probe needs ${missing.join(', ')} on PATH`, { code: 'E_PROBE_ENVIRONMENT' });
  const mode = sandboxMode(host.uid === 0 ? rootFacts() : userNamespaceFacts(host, tools.unshare!));
  if (mode.kind === 'unavailable') throw new UsageError(mode.message, { code: 'E_PROBE_ENVIRONMENT' });
  return { ...(tools as Omit<SandboxTools, 'userns'>), userns: mode.kind === 'userns' };
}

function rootFacts(): UserNamespaceFacts {
  return { uid: 0, maxUserNamespaces: null, unprivilegedUsernsClone: null, apparmorRestrictUnprivilegedUserns: null, trialFailure: null };
}

function userNamespaceFacts(host: SandboxHost, unshare: string): UserNamespaceFacts {
  return {
    uid: host.uid,
    maxUserNamespaces: host.sysctl('user/max_user_namespaces'),
    unprivilegedUsernsClone: host.sysctl('kernel/unprivileged_userns_clone'),
    apparmorRestrictUnprivilegedUserns: host.sysctl('kernel/apparmor_restrict_unprivileged_userns'),
    trialFailure: host.trial(unshare, USERNS_TRIAL),
  };
}

/**
 * Removes a temporary root. In a user namespace the tree is the caller's but its modes are the
 * image's (read-only directories): it is removed by the caller mapped to root, which may write
 * to anything the caller owns.
 */
export function removeTree(tools: SandboxTools, dir: string): void {
  if (tools.userns) spawnSync(tools.unshare, ['--user', '--map-root-user', '--', 'rm', '-rf', '--', dir], { stdio: 'ignore' });
  rmSync(dir, { recursive: true, force: true });
}

/**
 * What the sandbox needs from the host, checked before anything runs: root (mounts, chroot and
 * namespaces; the unpacked root keeps the image's owners), and the tools it drives (util-linux
 * unshare, mount and nsenter, iproute2's ip for the loopback, strace as the tracer, a POSIX sh).
 * A missing piece is a usage/environment error (exit 2) that names it.
 */
import { accessSync, constants } from 'node:fs';
import path from 'node:path';
import { UsageError } from '../shared/errors.js';

export interface SandboxHost {
  /** The effective uid imgslim runs as. */
  uid: number;
  /** The absolute path of a host command, or null. */
  which(name: string): string | null;
}

export interface SandboxTools {
  sh: string;
  unshare: string;
  mount: string;
  nsenter: string;
  ip: string;
  strace: string;
  env: string;
}

const TOOLS: Array<[keyof SandboxTools, string, string]> = [
  ['sh', 'sh', 'a POSIX shell'],
  ['unshare', 'unshare', 'util-linux'],
  ['mount', 'mount', 'mount (util-linux)'],
  ['nsenter', 'nsenter', 'util-linux'],
  ['ip', 'ip', 'iproute2'],
  ['strace', 'strace', 'the strace package'],
  ['env', 'env', 'coreutils'],
];

/** The host as it is: this process's uid; commands looked up in PATH. `uid` overrides the uid (to test the refusal). */
export function currentHost(env: NodeJS.ProcessEnv, uid?: number): SandboxHost {
  const dirs = (env.PATH ?? '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin').split(':').filter((dir) => dir.startsWith('/'));
  return {
    uid: uid ?? process.geteuid?.() ?? -1,
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
  };
}

/** The tools, or a UsageError naming what is missing. */
export function checkSandbox(host: SandboxHost): SandboxTools {
  if (host.uid !== 0) {
    throw new UsageError(
      `slim: --probe needs root: the sandbox mounts /proc, /dev and /tmp, chroots and creates mount, PID and network namespaces, and the unpacked image keeps its owners (running as uid ${host.uid}; unprivileged user namespaces are not used)`,
      { code: 'E_PROBE_ENVIRONMENT' },
    );
  }
  const tools: Partial<SandboxTools> = {};
  const missing: string[] = [];
  for (const [key, name, from] of TOOLS) {
    const found = host.which(name);
    if (found === null) missing.push(`${name} (${from})`);
    else tools[key] = found;
  }
  if (missing.length > 0) throw new UsageError(`slim: --probe needs ${missing.join(', ')} on PATH`, { code: 'E_PROBE_ENVIRONMENT' });
  return tools as SandboxTools;
}

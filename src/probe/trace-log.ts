/**
 * Reads an `strace -f -qq -y` log into the paths the traced process tree used inside the root:
 * every path argument of the file syscalls (opened, executed, stat'ed, read as a link, listed,
 * created…), resolved against the directory fd strace annotates (`AT_FDCWD</cwd>`, `3</dir>`),
 * so relative paths and *at() calls resolve as the kernel did. Host paths (the sandbox's own
 * tools before chroot) and the sandbox's mounts (/proc, /dev, /sys, /tmp) are left out. Pure.
 */
import path from 'node:path';

export interface UsedPath {
  /** Absolute, inside the root. */
  path: string;
  /** false when every use stopped at a final symlink (lstat, readlink, O_NOFOLLOW…). */
  followLast: boolean;
}

type Arg = { kind: 'string'; value: string } | { kind: 'fd'; path: string } | { kind: 'other'; text: string };

/** Where the path is: a lone path argument, or a directory-fd argument and the path relative to it. */
interface PathArg {
  dirfd?: number;
  path: number;
  /** The use stops at a final symlink. */
  nofollow?: boolean;
  /** The call creates the path: its parent directory must exist. */
  creates?: boolean;
  /** Index of the flags argument that may hold AT_SYMLINK_NOFOLLOW / O_NOFOLLOW / O_CREAT. */
  flags?: number;
}

const SYSCALLS: Record<string, PathArg[]> = {
  open: [{ path: 0, flags: 1 }],
  creat: [{ path: 0, creates: true }],
  openat: [{ dirfd: 0, path: 1, flags: 2 }],
  openat2: [{ dirfd: 0, path: 1, flags: 2 }],
  stat: [{ path: 0 }],
  lstat: [{ path: 0, nofollow: true }],
  newfstatat: [{ dirfd: 0, path: 1, flags: 3 }],
  fstatat64: [{ dirfd: 0, path: 1, flags: 3 }],
  statx: [{ dirfd: 0, path: 1, flags: 2 }],
  access: [{ path: 0 }],
  faccessat: [{ dirfd: 0, path: 1 }],
  faccessat2: [{ dirfd: 0, path: 1, flags: 3 }],
  readlink: [{ path: 0, nofollow: true }],
  readlinkat: [{ dirfd: 0, path: 1, nofollow: true }],
  execve: [{ path: 0 }],
  execveat: [{ dirfd: 0, path: 1, flags: 4 }],
  chdir: [{ path: 0 }],
  chroot: [{ path: 0 }],
  mkdir: [{ path: 0, creates: true }],
  mkdirat: [{ dirfd: 0, path: 1, creates: true }],
  mknod: [{ path: 0, creates: true }],
  mknodat: [{ dirfd: 0, path: 1, creates: true }],
  unlink: [{ path: 0, nofollow: true }],
  unlinkat: [{ dirfd: 0, path: 1, nofollow: true }],
  rmdir: [{ path: 0, nofollow: true }],
  rename: [{ path: 0, nofollow: true }, { path: 1, nofollow: true, creates: true }],
  renameat: [{ dirfd: 0, path: 1, nofollow: true }, { dirfd: 2, path: 3, nofollow: true, creates: true }],
  renameat2: [{ dirfd: 0, path: 1, nofollow: true }, { dirfd: 2, path: 3, nofollow: true, creates: true }],
  link: [{ path: 0, nofollow: true }, { path: 1, nofollow: true, creates: true }],
  linkat: [{ dirfd: 0, path: 1, nofollow: true }, { dirfd: 2, path: 3, nofollow: true, creates: true }],
  symlink: [{ path: 1, nofollow: true, creates: true }],
  symlinkat: [{ dirfd: 1, path: 2, nofollow: true, creates: true }],
  chmod: [{ path: 0 }],
  fchmodat: [{ dirfd: 0, path: 1 }],
  chown: [{ path: 0 }],
  lchown: [{ path: 0, nofollow: true }],
  fchownat: [{ dirfd: 0, path: 1, flags: 4 }],
  utime: [{ path: 0 }],
  utimes: [{ path: 0 }],
  utimensat: [{ dirfd: 0, path: 1, flags: 3 }],
  futimesat: [{ dirfd: 0, path: 1 }],
  truncate: [{ path: 0 }],
  statfs: [{ path: 0 }],
  getxattr: [{ path: 0 }],
  lgetxattr: [{ path: 0, nofollow: true }],
  listxattr: [{ path: 0 }],
  llistxattr: [{ path: 0, nofollow: true }],
  setxattr: [{ path: 0 }],
  lsetxattr: [{ path: 0, nofollow: true }],
  inotify_add_watch: [{ path: 1 }],
  // Calls on an open descriptor: the directory listed, the directory entered.
  getdents: [{ dirfd: 0, path: -1 }],
  getdents64: [{ dirfd: 0, path: -1 }],
  fchdir: [{ dirfd: 0, path: -1 }],
};

/** The syscalls strace must trace for the table above (the `-e trace=` list). */
export const TRACED_SYSCALLS = '%file,%process,getdents,getdents64,fchdir';

const EXCLUDED = ['/proc', '/dev', '/sys'];

/** The paths inside `root` (its absolute host path) that the log shows in use. */
export function usedPaths(log: string, root: string): UsedPath[] {
  const used = new Map<string, boolean>();
  const pending = new Map<string, string>();
  /** Pids that have not chrooted yet (the sandbox's own tools); every pid first seen after a chroot is inside. */
  const outside = new Set<string>();
  let chrooted = false;
  const add = (where: string, followLast: boolean) => {
    if (EXCLUDED.some((dir) => where === dir || where.startsWith(`${dir}/`)) || where.startsWith('/tmp/')) return;
    used.set(where, (used.get(where) ?? false) || followLast);
  };
  for (const raw of log.split('\n')) {
    const match = /^(\d+)\s+(.*)$/.exec(raw);
    if (!match) continue;
    const pid = match[1]!;
    let text = match[2]!;
    if (text.endsWith('<unfinished ...>')) {
      pending.set(pid, text.slice(0, -'<unfinished ...>'.length).trimEnd());
      continue;
    }
    const resumed = /^<\.\.\. \w+ resumed>(.*)$/.exec(text);
    if (resumed) {
      const start = pending.get(pid);
      pending.delete(pid);
      if (start === undefined) continue;
      text = joinResumed(start, resumed[1]!);
    }
    const call = parseCall(text);
    if (!call) continue;
    if (!chrooted && !outside.has(pid)) outside.add(pid);
    if (call.name === 'chroot' && call.ok) {
      chrooted = true;
      outside.delete(pid);
      continue;
    }
    const spec = SYSCALLS[call.name];
    if (!spec || outside.has(pid)) continue;
    for (const arg of spec) {
      const where = resolveArg(call.args, arg, root);
      if (where === null) continue;
      const flags = arg.flags === undefined ? '' : argText(call.args[arg.flags]);
      const nofollow = arg.nofollow === true || /\b(AT_SYMLINK_NOFOLLOW|O_NOFOLLOW)\b/.test(flags);
      add(where, !nofollow);
      if (arg.creates === true || /\bO_CREAT\b/.test(flags)) add(path.posix.dirname(where), true);
    }
  }
  return [...used].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([where, followLast]) => ({ path: where, followLast }));
}

function joinResumed(start: string, rest: string): string {
  const glue = start.endsWith('(') || rest.startsWith(')') || rest.startsWith(',') ? '' : ', ';
  return `${start}${glue}${rest}`;
}

function argText(arg: Arg | undefined): string {
  return arg?.kind === 'other' ? arg.text : '';
}

/** The absolute path inside the root an argument names, or null (host path, no path, a pipe). */
function resolveArg(args: Arg[], spec: PathArg, root: string): string | null {
  const base = spec.dirfd === undefined ? null : args[spec.dirfd];
  const dir = base?.kind === 'fd' ? insideRoot(base.path, root) : null;
  if (spec.path < 0) return dir;
  const named = args[spec.path];
  if (named?.kind !== 'string') return null;
  if (named.value.startsWith('/')) return path.posix.normalize(named.value);
  // Relative: against the directory fd (or AT_FDCWD's annotated cwd).
  if (dir === null) return null;
  return path.posix.normalize(path.posix.join(dir, named.value));
}

/** A host path from an fd annotation as a path inside the root; null when it is not in the root. */
function insideRoot(hostPath: string, root: string): string | null {
  if (hostPath === root) return '/';
  return hostPath.startsWith(`${root}/`) ? hostPath.slice(root.length) : null;
}

interface Call {
  name: string;
  args: Arg[];
  ok: boolean;
}

/** `name(args) = result`; null for signals, exits and anything else. */
export function parseCall(text: string): Call | null {
  const head = /^([a-z_][a-z0-9_]*)\(/.exec(text);
  if (!head) return null;
  const args: Arg[] = [];
  let i = head[0].length;
  let current = '';
  let depth = 0;
  let string: string | null = null;
  const flush = () => {
    const trimmed = current.trim();
    if (string !== null && /^"/.test(trimmed)) args.push({ kind: 'string', value: string });
    else {
      const fd = /^(?:-?\d+|AT_FDCWD)<(.*)>$/.exec(trimmed);
      args.push(fd ? { kind: 'fd', path: unescape(fd[1]!) } : { kind: 'other', text: trimmed });
    }
    current = '';
    string = null;
  };
  for (; i < text.length; i++) {
    const char = text[i]!;
    if (char === '"') {
      const end = closingQuote(text, i);
      if (end < 0) return null;
      if (depth === 0 && current.trim() === '') string = unescape(text.slice(i + 1, end));
      current += text.slice(i, end + 1);
      i = end;
      continue;
    }
    if (char === '[' || char === '{' || char === '(') depth++;
    else if (char === ']' || char === '}') depth--;
    else if (char === ')') {
      if (depth === 0) break;
      depth--;
    } else if (char === ',' && depth === 0) {
      flush();
      continue;
    }
    current += char;
  }
  if (i >= text.length) return null;
  if (current.trim() !== '' || args.length > 0) flush();
  const result = /^\)\s*=\s*(-?\d+|\?)/.exec(text.slice(i));
  return { name: head[1]!, args, ok: result !== null && result[1] !== '?' && !result[1]!.startsWith('-') };
}

function closingQuote(text: string, start: number): number {
  for (let i = start + 1; i < text.length; i++) {
    if (text[i] === '\\') i++;
    else if (text[i] === '"') return i;
  }
  return -1;
}

const SIMPLE: Record<string, string> = { n: '\n', t: '\t', r: '\r', v: '\v', f: '\f', '"': '"', '\\': '\\' };

/** strace's C-style escapes (\n, \\, \", \ooo, \xhh) back to the bytes, decoded as UTF-8. */
export function unescape(text: string): string {
  if (!text.includes('\\')) return text;
  const bytes: number[] = [];
  for (let i = 0; i < text.length; i++) {
    const char = text[i]!;
    if (char !== '\\') {
      bytes.push(...Buffer.from(char, 'utf8'));
      continue;
    }
    const next = text[i + 1] ?? '';
    const hex = /^x([0-9a-fA-F]{2})/.exec(text.slice(i + 1));
    const octal = /^[0-7]{1,3}/.exec(text.slice(i + 1));
    if (hex) {
      bytes.push(parseInt(hex[1]!, 16));
      i += 3;
    } else if (octal) {
      bytes.push(parseInt(octal[0], 8));
      i += octal[0].length;
    } else {
      bytes.push(...Buffer.from(SIMPLE[next] ?? next, 'utf8'));
      i += 1;
    }
  }
  return Buffer.from(bytes).toString('utf8');
}

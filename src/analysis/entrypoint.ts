/**
 * Which program the container runtime will exec, and whether it can start: Entrypoint + Cmd,
 * PATH from the image Env, WorkingDir, symlinks, shebang interpreters (`#!/usr/bin/env python3`),
 * shell form (`/bin/sh -c '…'`) and multi-call binaries (busybox applets).
 */
import path from 'node:path/posix';
import type { Entrypoint, ImageConfigSummary } from '../report/index.js';
import { envMap } from './config-summary.js';
import type { ImageFs } from './image-fs.js';
import { checkUser } from './user.js';

/** Docker's default when the image Env has no PATH (daemon/oci DefaultPathEnv). */
export const DEFAULT_PATH = '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';
/** Program names that are POSIX-style shells (run scripts, `-c` strings). */
export const SHELLS: ReadonlySet<string> = new Set(['sh', 'bash', 'ash', 'dash', 'zsh', 'ksh', 'mksh', 'yash']);
const MULTI_CALL = new Set(['busybox', 'toybox', 'coreutils']);
const SHELL_BUILTINS = new Set(
  ('. : [ alias bg break builtin cd command continue echo eval exec exit export false fc fg getopts hash jobs kill let ' +
    'local printf pwd read readonly return set shift source test times trap true type ulimit umask unalias unset wait')
    .split(' '),
);
/** The kernel follows at most this many nested interpreters (BINPRM_MAX_RECURSION + 1). */
const MAX_INTERPRETER_DEPTH = 5;

export interface EntrypointPlan {
  entrypoint: Entrypoint;
  /** Every path exec touches: argv[0] and the symlinks on the way, interpreters, the shell, the command. */
  paths: string[];
  /** ELF files that will be executed: their dependency closures are needed. */
  elfs: string[];
}

/** Problems of an ELF executable in this image (from the binary analysis), or null when it is not an analysed ELF. */
export type ElfProblems = (path: string) => string[] | null;

interface Resolved {
  /** Path as found (first element of the chain). */
  path: string;
  /** Final path after symlinks. */
  real: string;
  chain: string[];
}

export function resolveEntrypoint(config: ImageConfigSummary, fs: ImageFs, elfProblems: ElfProblems): EntrypointPlan {
  const argv = config.entrypoint && config.entrypoint.length > 0 ? [...config.entrypoint, ...(config.cmd ?? [])] : [...(config.cmd ?? [])];
  const env = envMap(config.env);
  const searchPath = env.get('PATH') ?? DEFAULT_PATH;
  const workingDir = config.workingDir ?? '/';
  const reasons: string[] = [];
  const failures: string[] = [];
  const plan: EntrypointPlan = {
    entrypoint: { argv, path: null, binary: null, command: null, interpreters: [], applet: null, startable: false, reasons },
    paths: [],
    elfs: [],
  };
  if (!env.has('PATH')) reasons.push(`no PATH in the image Env: the runtime's default ${DEFAULT_PATH} applies`);
  failures.push(...checkUser(config.user, fs));

  const program = argv[0];
  if (program === undefined || program === '') {
    failures.push('the image has no Entrypoint and no Cmd: there is nothing to run');
    return finish(plan, failures);
  }
  const found = findProgram(program, fs, searchPath, workingDir);
  if (!found) {
    failures.push(program.includes('/') ? `${program}: no such file in the image` : `exec: "${program}": executable file not found in $PATH (${searchPath})`);
    return finish(plan, failures);
  }
  plan.entrypoint.path = found.path;
  const binary = execChain(found, fs, searchPath, workingDir, plan, failures, 0);
  if (binary) {
    plan.entrypoint.binary = binary;
    const applet = multiCallApplet(found, binary);
    if (applet) {
      plan.entrypoint.applet = applet;
      reasons.push(`${binary} is a multi-call binary running applet '${applet}'`);
    }
    if (isShell(found, binary, applet) && argv[1] === '-c' && argv[2] !== undefined) {
      resolveShellCommand(argv[2], fs, searchPath, workingDir, plan, failures);
    }
  }
  return finish(plan, failures);

  function finish(result: EntrypointPlan, problems: string[]): EntrypointPlan {
    for (const elf of result.elfs) {
      const elfIssues = elfProblems(elf);
      if (elfIssues) problems.push(...elfIssues.map((issue) => `${elf}: ${issue}`));
    }
    result.entrypoint.startable = problems.length === 0;
    reasons.push(...problems);
    result.paths = [...new Set(result.paths)];
    result.elfs = [...new Set(result.elfs)];
    return result;
  }
}

/** Looks a program up as execve/runc would: a name with '/' is a path (relative to WorkingDir), else PATH. */
export function findProgram(name: string, fs: ImageFs, searchPath: string, workingDir: string): Resolved | null {
  if (name.includes('/')) return resolveExecutable(path.resolve(workingDir, name), fs, false);
  for (const dir of searchPath.split(':')) {
    const candidate = path.resolve(workingDir, dir === '' ? '.' : dir, name);
    const found = resolveExecutable(candidate, fs, true);
    if (found) return found;
  }
  return null;
}

function resolveExecutable(candidate: string, fs: ImageFs, requireExec: boolean): Resolved | null {
  const found = fs.resolveEntry(candidate);
  if (!found) return null;
  const type = found.entry.type;
  if (type !== 'file' && type !== 'hardlink') return null;
  if (requireExec && (found.entry.mode & 0o111) === 0) return null;
  return { path: candidate, real: found.path, chain: found.chain };
}

/** Follows shebang interpreters down to the ELF file the kernel runs; records paths and failures. */
function execChain(
  program: Resolved,
  fs: ImageFs,
  searchPath: string,
  workingDir: string,
  plan: EntrypointPlan,
  failures: string[],
  depth: number,
): string | null {
  plan.paths.push(...program.chain);
  const entry = fs.entry(program.real);
  if (entry && (entry.mode & 0o111) === 0) {
    failures.push(`${program.real} is not executable (mode ${(entry.mode & 0o7777).toString(8)}): exec fails with permission denied`);
  }
  const payload = fs.payload(program.real);
  if (payload?.elf) {
    plan.elfs.push(program.real);
    plan.entrypoint.reasons.push(`${describeChain(program)} is an ELF ${payload.elf.type === 'DYN' ? 'PIE/shared object' : 'executable'}`);
    return program.real;
  }
  if (!payload?.shebang) {
    failures.push(`${program.real} is neither an ELF binary nor a script with '#!': exec fails with exec format error`);
    return null;
  }
  if (depth + 1 >= MAX_INTERPRETER_DEPTH) {
    failures.push(`${program.real}: too many levels of interpreters`);
    return null;
  }
  const [interpreter = '', ...args] = payload.shebang.split(/[ \t]+/);
  const found = resolveExecutable(path.resolve(workingDir, interpreter), fs, false);
  plan.entrypoint.reasons.push(`${program.real} is a script run by '#!${payload.shebang}'`);
  if (!found) {
    failures.push(`${program.real}: interpreter ${interpreter} (from '#!${payload.shebang}') is not in the image`);
    return null;
  }
  plan.entrypoint.interpreters.push(found.real);
  const next = execChain(found, fs, searchPath, workingDir, plan, failures, depth + 1);
  if (next && path.basename(found.real) === 'env') {
    const target = args.find((arg) => !arg.startsWith('-'));
    if (target) {
      const viaEnv = findProgram(target, fs, searchPath, workingDir);
      if (!viaEnv) {
        failures.push(`${program.real}: '${target}' (run through env) is not found in $PATH (${searchPath})`);
        return null;
      }
      plan.entrypoint.interpreters.push(viaEnv.real);
      return execChain(viaEnv, fs, searchPath, workingDir, plan, failures, depth + 1);
    }
  }
  return next;
}

function describeChain(program: Resolved): string {
  return program.chain.length > 1 ? `${program.chain.join(' → ')}` : program.real;
}

function multiCallApplet(found: Resolved, binary: string): string | null {
  const binaryName = path.basename(binary);
  const invokedAs = path.basename(found.path);
  return MULTI_CALL.has(binaryName) && invokedAs !== binaryName ? invokedAs : null;
}

function isShell(found: Resolved, binary: string, applet: string | null): boolean {
  return SHELLS.has(applet ?? '') || SHELLS.has(path.basename(found.path)) || SHELLS.has(path.basename(binary));
}

/** Shell form: the first word of the command is a program too (unless it is a builtin). */
function resolveShellCommand(script: string, fs: ImageFs, searchPath: string, workingDir: string, plan: EntrypointPlan, failures: string[]) {
  const word = firstCommandWord(script);
  if (word === null) {
    plan.entrypoint.reasons.push(`shell command '${script}': its program cannot be determined statically`);
    return;
  }
  if (SHELL_BUILTINS.has(word)) {
    plan.entrypoint.reasons.push(`shell command '${script}' starts with the shell builtin '${word}'`);
    return;
  }
  const found = findProgram(word, fs, searchPath, workingDir);
  if (!found) {
    failures.push(`shell command '${script}': ${word}: not found (the shell exits with 127)`);
    return;
  }
  plan.entrypoint.command = found.path;
  execChain(found, fs, searchPath, workingDir, plan, failures, 0);
}

/** The program of a simple shell command: skips `VAR=value` prefixes and `exec`; null for anything dynamic. */
export function firstCommandWord(script: string): string | null {
  const words = script.trim().split(/\s+/);
  for (const word of words) {
    if (/^[A-Za-z_][A-Za-z0-9_]*=/.test(word)) continue;
    if (word === 'exec') continue;
    const clean = word.replace(/[;&|]+$/, '');
    if (clean === '' || /[$`'"(){}<>*?\\]/.test(clean)) return null;
    return clean;
  }
  return null;
}

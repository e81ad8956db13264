/**
 * Programs that run other programs: `/bin/sh` (with its closure) when a kept ELF object imports
 * what starts a shell or a program by name (system, popen, the exec family, posix_spawn), and the
 * interpreter of every kept script, however the script was kept (--keep, package data, config
 * files, probes), found as the kernel finds it (`#!/usr/bin/env perl` through PATH).
 */
import path from 'node:path/posix';
import { DEFAULT_PATH, findProgram, SHELLS } from '../analysis/index.js';
import type { Planner } from './planner.js';
import { scriptPrograms } from './shell-words.js';

/** Imports that run `/bin/sh -c` (system, popen) or a program that may be a script or a name in PATH. */
export const SHELL_IMPORTS = new Set(['system', 'popen', 'execl', 'execlp', 'execle', 'execv', 'execvp', 'execvpe', 'execve', 'fexecve', 'posix_spawn', 'posix_spawnp']);

/** Keeps /bin/sh when a kept object can start a shell. */
export function keepShell(p: Planner): void {
  const shell = p.fs.resolveEntry('/bin/sh')?.path;
  if (!shell) return;
  for (const binary of p.keptBinaries()) {
    if (binary.path === shell) continue;
    const calls = (p.elf(binary.path)?.imports ?? []).filter((name) => SHELL_IMPORTS.has(name));
    if (calls.length === 0) continue;
    const why = calls.some((name) => name === 'system' || name === 'popen') ? 'which run /bin/sh -c' : 'which run programs, and scripts through their interpreters';
    p.keep.keepLookup('/bin/sh', `/bin/sh: ${binary.path} imports ${calls.join(', ')}, ${why}`);
    return;
  }
}

/** A shell (dash, bash, busybox's or toybox's sh…), told by the program's file name. */
export function isShellProgram(program: string): boolean {
  const name = path.basename(program);
  return SHELLS.has(name) || name === 'busybox' || name === 'toybox';
}

/**
 * A copy kept as data that nothing runs as it is: git's hooks/*.sample (git runs a hook only once
 * a user renames it), `*.example` and `*.disabled` files. Their interpreters and the paths their
 * text names are not needs of the image.
 */
export function isInertTemplate(file: string): boolean {
  return INERT_TEMPLATE.test(file);
}
const INERT_TEMPLATE = /\.(?:sample|example|disabled)$/;

/** A kept script and the program that runs it (its `#!` interpreter, or the program `env` finds). */
export interface InterpretedScript {
  script: string;
  interpreter: string;
}

/**
 * Keeps the `#!` interpreter of every kept script (and `env`'s program), until no new script
 * appears. Returns each script with its interpreters, for the runtime rule.
 */
export function keepScriptInterpreters(p: Planner, done: Set<string> = new Set()): InterpretedScript[] {
  const interpreters: InterpretedScript[] = [];
  const searchPath = p.env.get('PATH') ?? DEFAULT_PATH;
  for (let again = true; again; ) {
    again = false;
    for (const script of [...p.keep.reasons.keys()]) {
      if (done.has(script)) continue;
      done.add(script);
      const shebang = p.fs.payload(script)?.shebang;
      // Only executable scripts: the others are read by their runtime (python's cgi.py names /usr/local/bin/python).
      if (!shebang || ((p.fs.entry(script)?.mode ?? 0) & 0o111) === 0 || isInertTemplate(script)) continue;
      const [interpreter = '', argument] = shebang.split(/[ \t]+/);
      const reason = `'#!${shebang}' interpreter of ${script}`;
      const found = p.keep.keepLookup(interpreter, reason);
      if (found === null) {
        p.risk(script, `its interpreter ${interpreter} ('#!${shebang}') is not in the image`);
        continue;
      }
      interpreters.push({ script, interpreter: found });
      if (path.basename(found) === 'env' && argument && !argument.startsWith('-')) {
        const program = findProgram(argument, p.fs, searchPath, p.workingDir);
        if (program) {
          p.keep.keepLookup(program.path, `${reason} (env runs ${argument} from PATH)`);
          interpreters.push({ script, interpreter: program.real });
        } else p.risk(script, `'#!${shebang}': ${argument} is not in PATH (${searchPath})`);
      }
      again = true;
    }
  }
  return interpreters;
}

/**
 * The programs kept shell scripts run by name (scriptPrograms: simple commands, command
 * substitutions, `find -exec`, `xargs`), found in the image's PATH as the shell would find them:
 * an entrypoint script's `find`, `chown`, `gosu`. Names not in the image are left alone (scripts
 * test for optional programs). Returns the number of programs kept, for the caller's fixed point.
 */
export function keepShellScriptPrograms(p: Planner, scripts: readonly InterpretedScript[], done: Set<string>): number {
  const searchPath = p.env.get('PATH') ?? DEFAULT_PATH;
  let kept = 0;
  for (const { script, interpreter } of scripts) {
    if (done.has(script) || !isShellProgram(interpreter)) continue;
    done.add(script);
    const content = p.fs.payload(script)?.content;
    if (!content || content.includes(0)) continue;
    for (const word of scriptPrograms(Buffer.from(content).toString('utf8')).programs) {
      const program = findProgram(word, p.fs, searchPath, p.workingDir);
      if (!program || program.real === script || p.keep.has(program.real)) continue;
      if (p.narrowing?.leaveOut(program.path, script, `the probes ran ${script} and it never ran these programs it names`)) continue;
      p.keep.keepLookup(program.path, `run by name by the shell script ${script} (found in PATH as ${program.path})`);
      kept++;
    }
  }
  return kept;
}

/**
 * What the entrypoint itself needs: every path exec touches (argv[0] and the symlinks on the way,
 * shebang interpreters, the shell and the programs of a shell-form command, multi-call applet
 * links), the command an init or privilege wrapper runs (`tini -- app`, `gosu user app`), files
 * and directories its arguments name, WorkingDir and VOLUME mount points.
 */
import path from 'node:path/posix';
import { resolveEntrypoint, SHELLS, type EntrypointPlan } from '../analysis/index.js';
import { lookupTrail } from './lookup.js';
import type { Planner } from './planner.js';
import { isShellProgram } from './plan-shell.js';
import { prependedProgram, scriptPrograms, SHELL_BUILTINS, shellCommands } from './shell-words.js';


export function keepEntrypoint(p: Planner): void {
  const plan = p.entrypoint;
  if (!plan) return;
  const ep = plan.entrypoint;
  const argv0 = ep.argv[0] ?? '';
  const first = new Set<string>();
  if (ep.path) {
    const applet = ep.applet && ep.binary ? ` (applet '${ep.applet}' of ${ep.binary})` : '';
    const trail = lookupTrail(p.analysis.merged.entries, ep.path);
    for (const touched of [...trail.symlinks, trail.final]) if (touched) first.add(touched);
    p.keep.keepLookup(ep.path, `entrypoint: argv[0] '${argv0}'${applet}`);
  }
  const script = shellForm(p) ? (ep.argv[2] ?? '') : null;
  for (const step of plan.paths) {
    const trail = lookupTrail(p.analysis.merged.entries, step);
    if ([...trail.symlinks, trail.final].every((touched) => touched !== null && first.has(touched))) continue;
    const reason = ep.interpreters.includes(step)
      ? `'#!' interpreter in the entrypoint's exec chain`
      : step === ep.command && script !== null
        ? `program of the shell-form command '${script}'`
        : `on the entrypoint's exec path ('${argv0}')`;
    p.keep.keepLookup(step, reason);
  }
  if (!ep.startable) p.risk(ep.binary ?? ep.path, `the entrypoint cannot start in the source image either: ${ep.reasons.slice(-3).join('; ')}`);
  if (script !== null) keepShellPrograms(p, script);
  else keepWrappedCommand(p);
  keepScriptCommands(p);
  scriptRisks(p);
  keepArguments(p, script !== null ? 3 : 1);
  keepWorkingDirAndVolumes(p);
}

/** `sh -c '…'`: the shell runs the command line in argv[2]. */
function shellForm(p: Planner): boolean {
  const ep = p.entrypoint!.entrypoint;
  if (ep.argv[1] !== '-c' || ep.argv[2] === undefined) return false;
  const names = [ep.applet, ep.path && path.basename(ep.path), ep.binary && path.basename(ep.binary)];
  return names.some((name) => name !== null && name !== undefined && SHELLS.has(name));
}

/** The programs of every simple command in the shell-form line, beyond the first (the analysis resolved that one). */
function keepShellPrograms(p: Planner, script: string): void {
  const { programs, opaque } = shellCommands(script);
  for (const program of programs) {
    if (SHELL_BUILTINS.has(program)) continue;
    const resolved = resolveEntrypoint({ ...p.config, entrypoint: [program], cmd: null }, p.fs, (file) => p.binaries.get(file)?.problems ?? null);
    if (!resolved.entrypoint.path) {
      p.risk(null, `shell-form command '${script}': ${program} is not in the image (the shell reports "not found")`);
      continue;
    }
    for (const step of resolved.paths) p.keep.keepLookup(step, `program '${program}' of the shell-form command '${script}'`);
    p.execPlans.push(resolved);
  }
  if (opaque) {
    p.risk(null, `shell-form command '${script}': some programs it runs depend on expansions or constructs static analysis cannot follow; cover them with ${p.probeHint()} or --keep each program`);
  }
}

/**
 * Programs that run the rest of their arguments as a command: init processes and privilege
 * droppers, with the positional arguments they take before it (gosu/su-exec: the user).
 */
const WRAPPERS: Record<string, { before: number; options: boolean }> = {
  tini: { before: 0, options: true },
  'tini-static': { before: 0, options: true },
  'dumb-init': { before: 0, options: true },
  catatonit: { before: 0, options: true },
  gosu: { before: 1, options: false },
  'su-exec': { before: 1, options: false },
  env: { before: 0, options: true },
  nohup: { before: 0, options: false },
};

/** `tini -- python3 app.py`: the wrapped command is resolved like an entrypoint of its own. */
function keepWrappedCommand(p: Planner): void {
  const ep = p.entrypoint!.entrypoint;
  const wrapper = ep.binary ? WRAPPERS[ep.applet ?? path.basename(ep.binary)] : undefined;
  if (!wrapper || ep.interpreters.length > 0) return;
  const rest = ep.argv.slice(1);
  let at = 0;
  if (wrapper.options) {
    while (at < rest.length && rest[at]!.startsWith('-') && rest[at] !== '--') at++;
    if (rest[at] === '--') at++;
  }
  at += wrapper.before;
  if (path.basename(ep.binary!) === 'env') while (at < rest.length && /^[A-Za-z_][A-Za-z0-9_]*=/.test(rest[at]!)) at++;
  const command = rest.slice(at);
  if (command.length === 0 || command[0] === '') return;
  const resolved = resolveEntrypoint({ ...p.config, entrypoint: command, cmd: null }, p.fs, (file) => p.binaries.get(file)?.problems ?? null);
  const name = path.basename(ep.binary!);
  if (!resolved.entrypoint.path) {
    p.risk(ep.binary, `${name} runs '${command[0]}', which is not in the image either`);
    return;
  }
  for (const step of resolved.paths) p.keep.keepLookup(step, `command '${command.join(' ')}' that ${name} runs`);
  p.execPlans.push(resolved);
}

/** The text of the program an exec plan starts when it is a shell script, else null. */
function shellScriptOf(p: Planner, plan: EntrypointPlan): { path: string; text: string } | null {
  const ep = plan.entrypoint;
  if (!ep.path || !ep.interpreters.some(isShellProgram)) return null;
  const real = p.fs.realpath(ep.path);
  const content = real ? p.fs.payload(real)?.content : undefined;
  return real && content ? { path: real, text: Buffer.from(content).toString('utf8') } : null;
}

/**
 * `ENTRYPOINT ["docker-entrypoint.sh"]` + `CMD ["redis-server"]`: a shell script that ends in
 * `exec "$@"` runs its arguments as a command, which is resolved like an entrypoint of its own
 * (its closure, package, runtime). When the first argument is an option, the program the script's
 * `set -- PROG "$@"` puts first runs instead.
 */
function keepScriptCommands(p: Planner): void {
  // Plans added on the way are looked at too: tini -- docker-entrypoint.sh, or a script that execs another.
  for (let index = 0; index < p.execPlans.length; index++) keepScriptCommand(p, p.execPlans[index]!);
}

function keepScriptCommand(p: Planner, plan: EntrypointPlan): void {
  const script = shellScriptOf(p, plan);
  if (!script || !/"\$@"|\$@|"\$\*"/.test(script.text)) return;
  const args = plan.entrypoint.argv.slice(1);
  const prepended = prependedProgram(script.text);
  const command = args.length === 0 || args[0]!.startsWith('-') ? (prepended ? [prepended, ...args] : []) : args;
  if (command.length === 0 || command[0] === '' || SHELL_BUILTINS.has(command[0]!)) return;
  const resolved = resolveEntrypoint({ ...p.config, entrypoint: command, cmd: null }, p.fs, (file) => p.binaries.get(file)?.problems ?? null);
  const name = path.basename(script.path);
  if (!resolved.entrypoint.path) {
    // An argument the script reads itself (a subcommand word) is not a program.
    return;
  }
  for (const step of resolved.paths) p.keep.keepLookup(step, `command '${command.join(' ')}' that ${name} runs ("$@")`);
  const key = resolved.entrypoint.argv.join('\0');
  if (!p.execPlans.some((known) => known.entrypoint.argv.join('\0') === key)) p.execPlans.push(resolved);
}

function scriptRisks(p: Planner): void {
  const script = shellScriptOf(p, p.entrypoint!);
  const ep = p.entrypoint!.entrypoint;
  const interpreter = ep.interpreters.find(isShellProgram);
  if (!interpreter || (script && !scriptPrograms(script.text).opaque)) return;
  p.risk(ep.path, `a shell script (run by ${interpreter}): some programs it starts depend on expansions or constructs static analysis cannot follow (the programs it names and the absolute paths in it are kept); cover the others with ${p.probeHint()} or --keep each program`);
}

/** Arguments that name files or directories of the image (`app.py`, `/etc/app/config.yaml`, `--config=/etc/x`). */
function keepArguments(p: Planner, first: number): void {
  const argv = p.entrypoint!.entrypoint.argv;
  for (const arg of argv.slice(first)) {
    const value = /^--?[A-Za-z0-9][\w.-]*=/.test(arg) ? arg.slice(arg.indexOf('=') + 1) : arg;
    if (value === '' || value.includes('\0') || value.startsWith('-')) continue;
    const candidate = path.resolve(p.workingDir, value);
    if (candidate === '/') continue;
    const found = p.fs.resolveEntry(candidate);
    if (!found) continue;
    const reason = `named by the entrypoint argument '${arg}'`;
    if (found.entry.type === 'directory') {
      if (value.includes('/')) p.keep.keepTree(candidate, reason);
    } else p.keep.keepLookup(candidate, reason);
  }
}

function keepWorkingDirAndVolumes(p: Planner): void {
  if (p.config.workingDir) p.keep.keepLookup(p.config.workingDir, 'WorkingDir of the config');
  for (const volume of Object.keys(p.config.volumes ?? {})) p.keep.keepLookup(volume, `VOLUME ${volume} (mount point)`);
}

/** Run last: content below a VOLUME that nothing kept. */
export function volumeRisks(p: Planner): void {
  for (const volume of Object.keys(p.config.volumes ?? {})) {
    const found = p.fs.resolveEntry(volume);
    if (!found || found.entry.type !== 'directory') continue;
    const dropped = [...p.keep.below(found.path)].filter((child) => !p.keep.has(child)).length;
    if (dropped > 0) {
      p.risk(volume, `VOLUME ${volume}: ${dropped} entries below it are dropped; Docker copies an image's content into a new volume, so name them with --keep if the program expects them`);
    }
  }
}

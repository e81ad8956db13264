/**
 * The application's own directory, as a Dockerfile's `COPY . /app` made it: what a program loads
 * from beside itself (templates, static files, a config next to the binary) and what an
 * interpreter imports from its script's directory (python's sys.path[0], node's relative
 * requires). For each program the entrypoint starts that an interpreter runs:
 * - the directory of the script (`python3 /app/main.py`, a `#!` script, `node dist/index.js`
 *   under WorkingDir);
 * - the WorkingDir (`python -m app`, `npm start` read from it);
 * - for node, every `node_modules` and `package.json` on the way up from the script (node's
 *   module resolution, and `"type": "module"`).
 * Shared hierarchy directories (/usr/bin, /usr/local/bin, /opt…) are never kept whole. A native
 * program's own directory is not kept (it is often also a HOME or a state directory); what is
 * dropped beside it is a risk instead.
 */
import path from 'node:path/posix';
import { isOwnDirectory } from './plan-config.js';
import type { Planner } from './planner.js';
import { runtimeOf } from './plan-runtimes.js';

export function keepApplicationDirectories(p: Planner): void {
  for (const plan of p.execPlans) {
    const ep = plan.entrypoint;
    const runtime = [ep.binary, ...ep.interpreters].map((program) => (program ? runtimeOf(program) : null)).find((found) => found !== null) ?? null;
    if (runtime === null) continue;
    const program = ep.path ? p.fs.realpath(ep.path) : null;
    // A script run through its #! line is the application; an interpreter invoked by name runs its argument.
    const main = program !== null && runtimeOf(program) !== null ? mainArgument(p, ep.argv.slice(1)) : program;
    if (main) keepOwnDirectory(p, main, `the directory of ${main}, which ${runtime} runs (its own modules and files)`);
    if (p.config.workingDir) keepOwnDirectory(p, path.join(p.workingDir, '.'), `WorkingDir of the config, where ${runtime} resolves relative imports and files`, true);
    if (runtime === 'node' && main) keepNodeModules(p, path.dirname(main));
  }
}

/** Run last: entries dropped beside a native program in a directory of its own (`/app/server` and `/app/templates`). */
export function besideProgramRisks(p: Planner): void {
  const told = new Set<string>();
  for (const plan of p.execPlans) {
    const program = plan.entrypoint.binary;
    if (!program || runtimeOf(program) !== null) continue;
    const dir = path.dirname(program);
    if (told.has(dir) || !isOwnDirectory(dir)) continue;
    told.add(dir);
    const dropped = [...p.keep.below(dir)].filter((child) => !p.keep.has(child) && p.fs.entry(child)?.type !== 'directory');
    if (dropped.length === 0) continue;
    const shown = dropped.slice(0, 3).join(', ') + (dropped.length > 3 ? `, … (${dropped.length} in all)` : '');
    p.risk(program, `${dropped.length === 1 ? 'a file' : `${dropped.length} files`} beside it ${dropped.length === 1 ? 'is' : 'are'} dropped (${shown}): a program that opens files by a relative path or from its own directory needs them: ${p.probeHint()} or --keep '${dir}/**'`);
  }
}

/** The first argument that names a file or directory of the image (relative to WorkingDir): the script or jar the runtime runs. */
function mainArgument(p: Planner, args: readonly string[]): string | null {
  for (const [index, arg] of args.entries()) {
    if (arg.startsWith('-') || arg === '') {
      // `-c CODE`, `-e CODE`, `-m MODULE`: no file runs.
      if (/^-[cem]$|^--eval$/.test(arg)) return null;
      continue;
    }
    // A class path is not what runs; `-jar FILE` is.
    if (index > 0 && /^-(?:cp|classpath)$|^--class-path$/.test(args[index - 1]!)) continue;
    const real = p.fs.realpath(path.resolve(p.workingDir, arg));
    if (real !== null && real !== '/') return real;
  }
  return null;
}

function keepOwnDirectory(p: Planner, file: string, reason: string, isDirectory = false): void {
  const entry = p.fs.resolveEntry(file);
  const dir = isDirectory || entry?.entry.type === 'directory' ? entry?.path : path.dirname(file);
  if (!dir || !isOwnDirectory(dir)) return;
  p.keep.keepTree(dir, `application directory: ${reason}`);
}

function keepNodeModules(p: Planner, from: string): void {
  for (let dir = from; ; dir = path.dirname(dir)) {
    for (const name of ['node_modules', 'package.json']) {
      const candidate = dir === '/' ? `/${name}` : `${dir}/${name}`;
      if (p.fs.resolveEntry(candidate)) p.keep.keepTree(candidate, `node resolves the modules of ${from} from it`);
    }
    if (dir === '/') return;
  }
}

/**
 * Language runtimes load their standard library by path at run time, which no DT_NEEDED shows.
 * When the entrypoint runs python, perl, ruby, node or java, the runtime's library trees are kept
 * (their extension modules with their own closures), directories named by the runtime's search
 * path variables in Env too, and a risk says that application code loaded at run time must be
 * named with --keep. A kept perl script keeps only the modules it loads (plan-perl.ts), unless it
 * loads a name known only at run time.
 */
import path from 'node:path/posix';
import { compileNameGlob } from '../shared/glob/index.js';
import type { Entrypoint } from '../report/index.js';
import type { Planner } from './planner.js';
import { keepZoneinfo, ZONEINFO } from './plan-system.js';
import { keepPerlModules, perlInc, scriptDynamicLoads } from './plan-perl.js';
import type { InterpretedScript } from './plan-shell.js';

type Runtime = 'python' | 'perl' | 'ruby' | 'node' | 'java';

const RUNTIMES: Array<{ runtime: Runtime; name: RegExp }> = [
  { runtime: 'python', name: /^python[0-9]?(\.[0-9]+)?[a-z]?$/ },
  { runtime: 'perl', name: /^perl(5[0-9.]*)?$/ },
  { runtime: 'ruby', name: /^ruby[0-9.]*$/ },
  { runtime: 'node', name: /^(node|nodejs)$/ },
  { runtime: 'java', name: /^java$/ },
];

/** Env variables holding `:`-separated search paths each runtime reads. */
const SEARCH_PATH_ENV: Record<Runtime, string[]> = {
  python: ['PYTHONPATH', 'PYTHONHOME'],
  perl: ['PERL5LIB', 'PERLLIB'],
  ruby: ['RUBYLIB', 'GEM_HOME', 'GEM_PATH', 'BUNDLE_PATH', 'BUNDLE_APP_CONFIG'],
  node: ['NODE_PATH'],
  java: ['JAVA_HOME', 'CLASSPATH'],
};

/** What keepRuntimes has done, carried between its calls. */
export class RuntimesDone {
  /** Programs whose whole library trees are kept. */
  readonly programs = new Set<string>();
  /** Per perl program, the @INC-relative files kept for its scripts. */
  readonly perlFiles = new Map<string, Set<string>>();
  readonly scripts = new Set<string>();
}

/**
 * The runtimes the entrypoint starts, and every other kept runtime program however it was kept
 * (`--keep /usr/bin/perl`, the interpreter of a kept script: `interpreted`).
 */
export function keepRuntimes(p: Planner, interpreted: readonly InterpretedScript[] = [], done: RuntimesDone = new RuntimesDone()): void {
  const seen = done.programs;
  for (const plan of p.execPlans) {
    const invoked = [plan.entrypoint.path, ...plan.entrypoint.interpreters].filter((x): x is string => x !== null);
    // A perl script as argv[0]: perl keeps what the script loads (below, as the script's interpreter).
    const script = plan.entrypoint.path !== null && p.fs.payload(p.fs.realpath(plan.entrypoint.path) ?? '')?.perl !== undefined && runtimeOf(plan.entrypoint.path) === null;
    // `perl SCRIPT ARGS…`: the same, for the script its command line names.
    const argument = script ? null : perlScriptArgument(p, plan.entrypoint);
    for (const program of [...plan.elfs, ...plan.entrypoint.interpreters]) {
      if (script && runtimeOf(program) === 'perl') continue;
      if (argument && program === plan.entrypoint.binary && runtimeOf(program) === 'perl') {
        keepPerlScript(p, program, argument, done);
        continue;
      }
      keepRuntimeOf(p, program, invoked, seen, `the entrypoint runs ${program}`);
    }
  }
  for (const { script, interpreter } of interpreted) {
    if (runtimeOf(interpreter) === 'perl') keepPerlScript(p, interpreter, script, done);
    else keepRuntimeOf(p, interpreter, [interpreter], seen, `${interpreter} interprets a kept script`);
  }
  for (const binary of p.keptBinaries()) {
    if (binary.role !== 'executable') continue;
    const named = p.keep.reasons.get(binary.path)?.find((reason) => reason.startsWith('--keep'));
    if (named) keepRuntimeOf(p, binary.path, [binary.path], seen, `${binary.path} is kept (${named})`);
  }
}

/** Perl switches that change neither @INC nor where the program comes from. */
const PLAIN_PERL_SWITCH = /^-(?:[wWTtXUs]+|C[A-Za-z0-9]*)$/;

/**
 * The script of `perl [plain switches] SCRIPT ARGS…` (exec form, argv[0] perl itself), when the
 * layer scan read what it loads; null for `-e`, `-I`, `-M`, stdin and anything else.
 */
export function perlScriptArgument(p: Planner, entrypoint: Entrypoint): string | null {
  const { argv, binary, path: invoked } = entrypoint;
  if (!binary || runtimeOf(binary) !== 'perl' || entrypoint.command !== null || entrypoint.interpreters.length > 0) return null;
  if (p.fs.realpath(invoked ?? '') !== binary) return null;
  let index = 1;
  while (index < argv.length && PLAIN_PERL_SWITCH.test(argv[index]!)) index++;
  const word = argv[index];
  if (word === undefined || word.startsWith('-')) return null;
  const real = p.fs.realpath(path.resolve(p.workingDir, word));
  return real !== null && p.fs.payload(real)?.perl !== undefined ? real : null;
}

/** The language runtime a program is, told by its file name (`python3.11`, `perl5.36.0`), or null. */
export function runtimeOf(program: string): Runtime | null {
  return RUNTIMES.find((r) => r.name.test(path.basename(program)))?.runtime ?? null;
}

/** The modules a perl script loads; perl's whole library when the script loads names known only at run time. */
function keepPerlScript(p: Planner, perl: string, script: string, done: RuntimesDone): void {
  const key = `${perl}\0${script}`;
  if (done.programs.has(perl) || done.scripts.has(key)) return;
  done.scripts.add(key);
  const inc = perlInc(p, perl);
  const dynamic = scriptDynamicLoads(p, script);
  if (!inc || dynamic) {
    const why = inc ? `${script} loads a module named at run time ('${dynamic![0]}'), so all of it is kept` : `${perl} interprets ${script}; its @INC is not Debian's layout, so all of it is kept`;
    keepRuntimeOf(p, perl, [perl], done.programs, why);
    return;
  }
  let files = done.perlFiles.get(perl);
  if (!files) done.perlFiles.set(perl, (files = new Set()));
  keepPerlModules(p, inc, script, `${perl} interprets ${script}`, files);
  keepSearchPathDirs(p, 'perl');
  p.risk(perl, `perl: only the modules kept scripts load (read from their use/require lines) are kept; a module named at run time in a way the source does not show must be covered with ${p.probeHint()} or --keep`);
}

function keepSearchPathDirs(p: Planner, runtime: Runtime): void {
  for (const name of SEARCH_PATH_ENV[runtime]) {
    for (const dir of (p.env.get(name) ?? '').split(':')) {
      if (!dir || !dir.startsWith('/') || dir === '/') continue;
      if (p.fs.resolveEntry(dir)) p.keep.keepTree(dir, `${name} in Env (${runtime})`);
    }
  }
}

function keepRuntimeOf(p: Planner, program: string, invoked: string[], seen: Set<string>, why: string): void {
  {
    const runtime = runtimeOf(program);
    if (!runtime || seen.has(program)) return;
    seen.add(program);
    const label = `${runtime} standard library (${why})`;
    for (const tree of runtimeTrees(p, runtime, program, invoked)) p.keep.keepTree(tree, label);
    keepSearchPathDirs(p, runtime);
    if (runtime === 'python' || runtime === 'ruby') keepZoneinfo(p, p.env.get('TZDIR') || ZONEINFO, `${runtime} loads named time zones from it (${why})`);
    if (runtime === 'python') keepLdconfig(p, why);
    p.risk(program, `${runtime} runtime: its standard library, the script's own directory and the WorkingDir are kept, but application code and data it loads at run time from elsewhere (modules, scripts, files) must be named: cover them with ${p.probeHint()}, or --keep each directory`);
  }
}

function runtimeTrees(p: Planner, runtime: Runtime, program: string, invoked: string[]): string[] {
  const prefix = path.dirname(path.dirname(program));
  const base = path.basename(program);
  const triplets = multiarch(p, prefix);
  switch (runtime) {
    case 'python': {
      const version = /^python([0-9]\.[0-9]+)$/.exec(base)?.[1];
      const lib = version ? `python${version}` : 'python[0-9].*';
      const trees = [`${prefix}/lib/${lib}`, `${prefix}/lib64/${lib}`, `${prefix}/lib/python3/dist-packages`, `${prefix}/local/lib/${lib}`];
      // A virtual environment: its pyvenv.cfg and site-packages, found from the path the program was invoked by.
      for (const start of invoked) {
        const venv = path.dirname(path.dirname(start));
        if (venv !== prefix && p.fs.resolveEntry(`${venv}/pyvenv.cfg`)) trees.push(`${venv}/pyvenv.cfg`, `${venv}/lib/${lib}`, `${venv}/lib64`);
      }
      return expand(p, trees);
    }
    case 'perl':
      return expand(p, [
        '/etc/perl',
        ...triplets.flatMap((t) => [`${prefix}/lib/${t}/perl/5.*`, `${prefix}/lib/${t}/perl-base`, `${prefix}/lib/${t}/perl5/5.*`, `${prefix}/local/lib/${t}/perl/5.*`]),
        `${prefix}/share/perl/5.*`,
        `${prefix}/share/perl5`,
        `${prefix}/local/share/perl/5.*`,
        `${prefix}/lib/perl5`,
        `${prefix}/lib64/perl5`,
        `${prefix}/local/lib/perl5`,
      ]);
    case 'ruby':
      return expand(p, [`${prefix}/lib/ruby`, ...triplets.map((t) => `${prefix}/lib/${t}/ruby`), `${prefix}/share/rubygems-integration`, '/var/lib/gems']);
    case 'node':
      return [];
    case 'java': {
      // JAVA_HOME/bin/java (or JAVA_HOME/jre/bin/java): the whole home holds lib/modules, libjvm.so and conf.
      return expand(p, [prefix]).filter((home) => p.fs.resolveEntry(`${home}/lib/jvm.cfg`) !== null);
    }
  }
}

/** ctypes.util.find_library runs `/sbin/ldconfig -p`, which prints /etc/ld.so.cache. */
function keepLdconfig(p: Planner, why: string): void {
  if (!p.fs.resolveEntry('/sbin/ldconfig')) return;
  const reason = `ctypes.util.find_library runs /sbin/ldconfig -p (${why})`;
  p.keep.keepLookup('/sbin/ldconfig', reason);
  if (p.fs.resolveEntry('/etc/ld.so.cache')) p.keep.keepLookup('/etc/ld.so.cache', reason, { program: false });
}

/** Multiarch triplets (`x86_64-linux-gnu`) under PREFIX/lib. */
function multiarch(p: Planner, prefix: string): string[] {
  return (p.fs.list(`${prefix}/lib`) ?? []).filter((name) => /^[a-z0-9_]+-linux-[a-z0-9_]+$/.test(name));
}

/** Existing paths matching patterns whose components may hold `*`, `?` or `[…]`. */
function expand(p: Planner, patterns: string[]): string[] {
  const found = new Set<string>();
  for (const pattern of patterns) {
    let paths = ['/'];
    for (const component of pattern.split('/').filter(Boolean)) {
      const next: string[] = [];
      for (const dir of paths) {
        if (!/[*?[]/.test(component)) next.push(path.join(dir, component));
        else {
          const matcher = compileNameGlob(component);
          for (const name of p.fs.list(dir) ?? []) if (matcher(name)) next.push(path.join(dir, name));
        }
      }
      paths = next;
    }
    for (const candidate of paths) if (p.fs.resolveEntry(candidate)) found.add(candidate);
  }
  return [...found];
}

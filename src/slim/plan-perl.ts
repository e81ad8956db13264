/**
 * Perl keeps what a kept perl script loads, not perl's whole library: the modules and files its
 * source names (analysis/perl-source.ts, read during the layer scan), resolved against @INC in
 * perl's own order, then what those name, until nothing new appears; each module's `auto/`
 * directory (XS objects with their ELF closures, AutoLoader's `.al` files); and the namespace
 * directory of a module that loads a name known only at run time (`Encode` loads `Encode::Byte`,
 * its plugins live below it). When a script itself loads a name known only at run time, or perl's
 * @INC layout is not one this rule knows, the caller keeps the whole library directories instead.
 */
import path from 'node:path/posix';
import { perlModuleFile, type PerlLoads } from '../analysis/index.js';
import { compileNameGlob } from '../shared/glob/index.js';
import type { Planner } from './planner.js';

/**
 * Debian's @INC (`perl -e 'print "@INC"'` of perl 5.36): PREFIX, TRIPLET, VERSION (5.36) and
 * FULL (5.36.0) are filled in from the image; PERL5LIB and PERLLIB from Env come first.
 */
const DEBIAN_INC = [
  '/etc/perl',
  '{local}/lib/{triplet}/perl/{full}',
  '{local}/share/perl/{full}',
  '{prefix}/lib/{triplet}/perl5/{version}',
  '{prefix}/share/perl5',
  '{prefix}/lib/{triplet}/perl-base',
  '{prefix}/lib/{triplet}/perl/{version}',
  '{prefix}/share/perl/{version}',
  '{local}/lib/site_perl',
];

/** The @INC directories of `program` that exist in the image, in perl's order; null when the layout is not Debian's. */
export function perlInc(p: Planner, program: string): string[] | null {
  const prefix = path.dirname(path.dirname(program));
  const local = prefix === '/usr' ? '/usr/local' : `${prefix}/local`;
  const triplets = (p.fs.list(`${prefix}/lib`) ?? []).filter((name) => /^[a-z0-9_]+-linux-[a-z0-9_]+$/.test(name));
  const versions = (p.fs.list(`${prefix}/share/perl`) ?? []).filter((name) => /^5\.\d+$/.test(name));
  const triplet = triplets.find((t) => isDirectory(p, `${prefix}/lib/${t}/perl-base`));
  const version = versions[0];
  if (!triplet || versions.length !== 1 || !version) return null;
  const full = (p.fs.list(`${prefix}/share/perl`) ?? []).find((name) => name.startsWith(`${version}.`)) ?? `${version}.0`;
  const fromEnv = ['PERL5LIB', 'PERLLIB'].flatMap((name) => (p.env.get(name) ?? '').split(':')).filter((dir) => dir.startsWith('/'));
  const dirs = [...fromEnv, ...DEBIAN_INC.map((dir) => dir.replace('{prefix}', prefix).replace('{local}', local).replace('{triplet}', triplet).replace('{full}', full).replace('{version}', version))];
  return [...new Set(dirs)].filter((dir) => isDirectory(p, dir));
}

/** What loads a script's modules: the `dynamic` statements that make a closure unknowable, or null. */
export function scriptDynamicLoads(p: Planner, script: string): string[] | null {
  const loads = p.fs.payload(p.fs.realpath(script) ?? script)?.perl;
  if (!loads) return [`its source was not read (larger than the scan reads, or not a perl script)`];
  return loads.dynamic.length > 0 ? loads.dynamic : null;
}

/**
 * Keeps the modules `script` loads, transitively, found in `inc`. `done` holds the @INC-relative
 * files already handled (shared by every script of the same perl).
 */
export function keepPerlModules(p: Planner, inc: readonly string[], script: string, why: string, done: Set<string>): void {
  const queue: Array<{ file: string; by: string }> = [];
  const enqueue = (loads: PerlLoads, by: string) => {
    for (const module of loads.modules) queue.push({ file: perlModuleFile(module), by });
    for (const file of loads.files) queue.push({ file, by });
    for (const pattern of loads.patterns) for (const file of matchInInc(p, inc, pattern)) queue.push({ file, by });
  };
  enqueue(p.fs.payload(p.fs.realpath(script) ?? script)?.perl ?? { modules: [], files: [], patterns: [], dynamic: [] }, script);
  while (queue.length > 0) {
    const { file, by } = queue.shift()!;
    if (done.has(file)) continue;
    done.add(file);
    const found = inc.map((dir) => `${dir}/${file}`).find((candidate) => p.fs.resolveEntry(candidate) !== null);
    // Not found: an optional module (`eval { require Win32 }`) or a word of prose; perl would fail the same way.
    if (!found) continue;
    const reason = `perl ${file.endsWith('.pm') ? `module ${file.slice(0, -3).replace(/\//g, '::')}` : `library file ${file}`}, loaded by ${by} (${why})`;
    const real = p.keep.keepLookup(found, reason, { program: false });
    if (file.endsWith('.pm')) {
      // XSLoader and DynaLoader look for auto/NAME/NAME.so in every @INC directory; AutoLoader for its .al files.
      // Only the directory's own files: its subdirectories belong to other modules (auto/Encode/JP is Encode::JP's).
      for (const dir of inc) {
        const auto = `${dir}/auto/${file.slice(0, -3)}`;
        if (!isDirectory(p, auto)) continue;
        for (const name of p.fs.list(auto) ?? []) if (!isDirectory(p, `${auto}/${name}`)) p.keep.keepLookup(`${auto}/${name}`, `XS object and autoloaded parts of ${reason}`);
      }
    }
    const loads = real ? p.fs.payload(real)?.perl : undefined;
    if (!loads) continue;
    enqueue(loads, found);
    if (loads.dynamic.length > 0 && file.endsWith('.pm')) {
      const namespace = file.slice(0, -3);
      const statement = loads.dynamic[0]!;
      for (const dir of inc) {
        if (!isDirectory(p, `${dir}/${namespace}`)) continue;
        p.keep.keepTree(`${dir}/${namespace}`, `the modules below ${found}, which loads a module named at run time ('${statement}') (${why})`);
        // Each module below is handled as loaded: its auto/ parts and what it loads in turn.
        const real = p.fs.realpath(`${dir}/${namespace}`) ?? `${dir}/${namespace}`;
        for (const below of p.keep.below(real)) if (below.endsWith('.pm')) queue.push({ file: `${namespace}${below.slice(real.length)}`, by: found });
      }
    }
  }
}

/** @INC-relative files matching a pattern whose `*` stand for interpolated names (`File/Spec/*.pm`). */
function matchInInc(p: Planner, inc: readonly string[], pattern: string): string[] {
  const found = new Set<string>();
  for (const dir of inc) {
    let paths = [''];
    for (const component of pattern.split('/')) {
      const next: string[] = [];
      for (const sub of paths) {
        if (!component.includes('*')) next.push(sub ? `${sub}/${component}` : component);
        else {
          const matcher = compileNameGlob(component);
          for (const name of p.fs.list(`${dir}/${sub}`) ?? []) if (matcher(name)) next.push(sub ? `${sub}/${name}` : name);
        }
      }
      paths = next;
    }
    for (const file of paths) if (p.fs.resolveEntry(`${dir}/${file}`)) found.add(file);
  }
  return [...found];
}

/** Whether `dir` is a directory, symlinks on the way followed. */
function isDirectory(p: Planner, dir: string): boolean {
  const real = p.fs.realpath(dir);
  return real !== null && p.fs.isDirectory(real);
}

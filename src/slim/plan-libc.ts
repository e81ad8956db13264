/**
 * What glibc loads on a program's behalf beyond NSS: preloaded libraries (LD_PRELOAD in Env,
 * /etc/ld.so.preload), locale data for the LANG/LC_* the config sets, and gconv modules for
 * iconv (a risk: which charsets are used cannot be told).
 */
import { dependencyReason, keepDependency } from './plan-closure.js';
import type { Planner } from './planner.js';
import { resolveExtra } from './resolve-extra.js';

/**
 * Locales glibc has built in: they need no files. C.UTF-8 is not one: glibc 2.35+ (and Debian's
 * older patch) loads it from /usr/lib/locale/C.utf8, and setlocale(LC_ALL, "") fails without it.
 */
const BUILTIN_LOCALES = /^(C|POSIX)$/;

export function keepLibcExtras(p: Planner): void {
  const glibc = p.keptBinaries().filter((binary) => binary.libc === 'glibc' && binary.linkage === 'dynamic');
  const program = glibc.find((binary) => binary.role === 'executable');
  if (!program) return;
  keepPreloads(p, program.path);
  keepLocales(p, glibc.map((binary) => binary.path));
  for (const binary of glibc) {
    if (p.elf(binary.path)?.imports.includes('iconv_open')) {
      const gconv = ['/usr/lib/x86_64-linux-gnu/gconv', '/usr/lib/aarch64-linux-gnu/gconv', '/usr/lib64/gconv', '/usr/lib/gconv'].find((dir) => p.fs.resolveEntry(dir));
      p.risk(binary.path, `calls iconv_open: glibc loads gconv modules for charsets other than ASCII and Unicode at run time; ${gconv ? `--keep ${gconv} keeps them all` : 'the image has no gconv directory'}, or ${p.probeHint()} keeps the ones used`);
    }
  }
}

/** LD_PRELOAD and /etc/ld.so.preload: names are searched like NEEDED, paths used as is (glibc's dl-preload). */
function keepPreloads(p: Planner, program: string): void {
  const fromEnv = (p.env.get('LD_PRELOAD') ?? '').split(/[:\s]+/).filter(Boolean);
  const preloadFile = p.fs.resolveEntry('/etc/ld.so.preload') ? p.fs.readText('/etc/ld.so.preload') : null;
  const fromFile = (preloadFile ?? '').split(/[:\s]+/).filter(Boolean);
  if (preloadFile !== null) p.keep.keepLookup('/etc/ld.so.preload', 'glibc loads the libraries it lists into every program', { program: false });
  const sources: Array<[string[], string, string | null]> = [
    [fromEnv, 'LD_PRELOAD in Env', null],
    [fromFile, '/etc/ld.so.preload', '/etc/ld.so.preload'],
  ];
  for (const [names, source, riskPath] of sources) {
    if (names.length === 0) continue;
    const { found, closure } = resolveExtra(p, program, names);
    for (const name of names) {
      const dep = found.get(name);
      if (!dep || dep.via === 'not-found') p.risk(riskPath, `${riskPath ? 'lists' : `${source} names`} ${name}, which is not in the source image either`);
      else keepDependency(p, dep, `${name}: ${source} loads it into every program`);
    }
    for (const dep of closure) keepDependency(p, dep, dependencyReason(dep));
  }
}

/** Locale data for LANG, LC_ALL and LC_* when a kept object calls setlocale. */
function keepLocales(p: Planner, objects: string[]): void {
  const caller = objects.find((path) => p.elf(path)?.imports.includes('setlocale'));
  if (!caller) return;
  const locales = new Set<string>();
  for (const [name, value] of p.env) if ((name === 'LANG' || name.startsWith('LC_')) && value && !BUILTIN_LOCALES.test(value)) locales.add(value);
  if (locales.size === 0) return;
  for (const locale of locales) {
    const why = `locale data for ${locale} (set in Env; ${caller} calls setlocale)`;
    const normalized = locale.replace(/\.UTF-8$/i, '.utf8');
    let found = false;
    for (const candidate of ['/usr/lib/locale/locale-archive', `/usr/lib/locale/${locale}`, `/usr/lib/locale/${normalized}`]) {
      if (!p.fs.resolveEntry(candidate)) continue;
      found = true;
      if (p.fs.resolveEntry(candidate)?.entry.type === 'directory') p.keep.keepTree(candidate, why);
      else p.keep.keepLookup(candidate, why, { program: false });
    }
    if (found) p.keep.keepLookup('/usr/share/locale/locale.alias', why, { program: false });
  }
}

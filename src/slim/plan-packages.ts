/**
 * What the package database says a program needs beyond its ELF closure: the configuration files
 * and private data of the package that installed each program the entrypoint starts, and of its
 * sibling packages built from the same source package (nginx → nginx-common's /etc/nginx and
 * libnginx-mod-*'s modules; convert → libmagickcore's coders and imagemagick-6-common's
 * policy.xml). Documentation, man pages, info, lintian overrides and service-manager files stay
 * out. Runtime directories the packages own (/run/PKG, /var/lib/PKG, /var/log/PKG,
 * /var/cache/PKG) are kept as empty directories with their modes and owners.
 */
import type { InstalledPackage } from '../packages/index.js';
import type { Planner } from './planner.js';
import { perlScriptArgument, runtimeOf } from './plan-runtimes.js';

/** Paths no running container reads: documentation, and files for init systems, cron and logrotate. */
const NOT_RUNTIME = /^\/(?:usr\/share\/(?:doc|doc-base|man|info|lintian|bug|locale|menu|applications|icons|pixmaps)|usr\/lib\/systemd|lib\/systemd|etc\/(?:init\.d|init|systemd|logrotate\.d|cron\.[a-z]+|ufw|rc[0-6S]\.d|apport))(?:\/|$)/;
/** Directories whose content is made at run time: kept empty. */
const RUNTIME_DIR = /^\/(?:run|var\/run|var\/lib|var\/log|var\/cache|var\/spool|var\/tmp)\/[^/]+/;

/** The packages of the programs the entrypoint starts, with their sibling packages, once each. */
export function entrypointPackages(p: Planner): Array<{ pkg: InstalledPackage; program: string }> {
  const index = p.analysis.packages;
  const result: Array<{ pkg: InstalledPackage; program: string }> = [];
  const seen = new Set<number>();
  for (const plan of p.execPlans) {
    const ep = plan.entrypoint;
    const perlArgument = perlScriptArgument(p, ep) !== null;
    for (const program of [ep.binary, ep.path, ep.command, ...ep.interpreters]) {
      if (!program) continue;
      // perl running a script keeps what the script loads (plan-perl.ts), not its packages' whole library.
      if (runtimeOf(program) === 'perl' && ((program !== ep.path && ep.interpreters.includes(program)) || perlArgument)) continue;
      const real = p.fs.resolveEntry(program)?.path ?? program;
      const owner = index.ownerOf(real);
      if (!owner) continue;
      for (const pkg of index.sameSourceAs(owner)) {
        if (seen.has(pkg.id)) continue;
        seen.add(pkg.id);
        result.push({ pkg, program: real });
      }
    }
  }
  return result;
}

export function keepPackageFiles(p: Planner): void {
  for (const { pkg, program } of entrypointPackages(p)) keepPackage(p, pkg, program);
}

/** Keeps one package's conffiles and the contents of its private directories (runtime directories empty). */
export function keepPackage(p: Planner, pkg: InstalledPackage, program: string): void {
  const index = p.analysis.packages;
  const owner = index.ownerOf(program);
  const relation = owner?.id === pkg.id ? `the package of ${program}` : `built from source package ${owner ? ownerSource(owner) : '?'} like ${program}'s package ${owner?.name ?? '?'}`;
  for (const file of index.conffilesOf(pkg)) {
    if (NOT_RUNTIME.test(file)) continue;
    p.keep.keepLookup(file, `configuration file of ${pkg.name} (${relation})`);
  }
  for (const dir of index.privateDirectoriesOf(pkg)) {
    if (NOT_RUNTIME.test(dir)) continue;
    if (RUNTIME_DIR.test(dir)) {
      keepEmptyTree(p, pkg, dir, relation);
      continue;
    }
    const reason = `data of ${pkg.name} (${relation}): its own directory ${dir}`;
    const files = pkg.files.filter((path) => path === dir || path.startsWith(`${dir}/`));
    const unused = `the probes ran ${program} and never used these programs of ${pkg.name}'s ${dir}`;
    for (const path of files) {
      if (NOT_RUNTIME.test(path)) continue;
      const entry = p.fs.entry(path);
      if (!entry || p.narrowing?.leaveOut(path, program, unused)) continue;
      if (entry.type === 'directory') p.keep.keepEntry(path, reason);
      else p.keep.keepLookup(path, reason);
    }
    // Files maintainer scripts made in the package's own directory (e.g. modules-enabled links) are its data too.
    if (dir.startsWith('/etc/')) p.keep.keepTree(dir, reason);
  }
}

/** A runtime directory and the directories below it that the package lists, without their files. */
function keepEmptyTree(p: Planner, pkg: InstalledPackage, dir: string, relation: string): void {
  const reason = `runtime directory of ${pkg.name} (${relation}): kept empty, with its mode and owner`;
  for (const path of pkg.files) {
    if ((path === dir || path.startsWith(`${dir}/`)) && p.fs.entry(path)?.type === 'directory') p.keep.keepEntry(path, reason);
  }
}

function ownerSource(pkg: InstalledPackage): string {
  return pkg.source?.name ?? pkg.name;
}

/** Where the loader looks by default: a library there is a library, not a plugin. */
const LIBRARY_DIR = /^\/(?:usr\/)?(?:local\/)?lib(?:32|64|x32)?(?:\/[a-z0-9_]+-linux-[a-z0-9_]+)?$/;
/** Reasons that do not make a shared object a plugin: a dependency, or a perl XS object (loaded by its module's name, not by listing). */
const DEPENDENCY_REASON = /NEEDED by|^interpreter of|^target of|^XS object/;

/**
 * A plugin (a shared object kept for its own sake, not as a dependency, outside the loader's
 * directories: a load_module line, --keep, a probe, package data) keeps its whole directory: the
 * program that loads one finds the others by listing it (ImageMagick's coders). The plugin's
 * package family keeps its configuration files too (ImageMagick's policy.xml limits what the
 * coders accept).
 */
export function keepPluginDirectories(p: Planner): void {
  const dirs = new Map<string, string>();
  for (const binary of p.keptBinaries()) {
    if (binary.role !== 'library') continue;
    const dir = binary.path.slice(0, binary.path.lastIndexOf('/')) || '/';
    if (LIBRARY_DIR.test(dir) || dirs.has(dir) || isSharedDirectoryLike(dir)) continue;
    const reasons = p.keep.reasons.get(binary.path) ?? [];
    if (reasons.length === 0 || reasons.every((reason) => DEPENDENCY_REASON.test(reason))) continue;
    dirs.set(dir, binary.path);
  }
  const index = p.analysis.packages;
  const families = new Set<number>();
  for (const [dir, plugin] of dirs) {
    const unused = `the probes loaded ${plugin} and no other plugin of ${dir}`;
    const leaveOut = (path: string) => p.narrowing?.leaveOut(path, plugin, unused) ?? false;
    p.keep.keepTree(dir, `plugin directory of ${plugin} (a program that loads one plugin finds the others by listing it)`, leaveOut);
    const owner = index.ownerOf(plugin);
    if (!owner) continue;
    for (const pkg of index.sameSourceAs(owner)) {
      if (families.has(pkg.id)) continue;
      families.add(pkg.id);
      for (const file of index.conffilesOf(pkg)) {
        if (!NOT_RUNTIME.test(file)) p.keep.keepLookup(file, `configuration file of ${pkg.name}, the package family of the plugin ${plugin} (e.g. its security policy)`);
      }
    }
  }
}

function isSharedDirectoryLike(dir: string): boolean {
  return dir === '/' || /^\/(?:usr\/)?(?:s?bin|libexec)$/.test(dir);
}

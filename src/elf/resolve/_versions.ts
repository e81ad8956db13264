/**
 * Symbol-version checks as glibc runs them before relocation (elf/dl-version.c
 * `_dl_check_map_versions` / `match_symbol`): every version an object needs from file F must be
 * defined by the loaded object F names. A missing version is fatal; a weak one
 * (VER_FLG_WEAK) and a library without version definitions only print a warning. musl does
 * not check versions.
 */
import type { ElfInfo } from '../types.js';
import type { LinkMap, LoadedObject } from './_link-map.js';

const VER_FLG_WEAK = 0x2;

export interface VersionFindings {
  problems: string[];
  warnings: string[];
  /** Missing versions per (requiring object, needed file): to annotate the dependency edge. */
  byEdge: Map<string, string>;
}

export function checkVersions(map: LinkMap): VersionFindings {
  const findings: VersionFindings = { problems: [], warnings: [], byEdge: new Map() };
  for (const object of map.objects) {
    if (object.role === 'interpreter') continue;
    for (const need of object.elf.dynamic?.verneed ?? []) {
      const target = map.byName(need.file);
      if (!target) continue; // not loaded: already reported as missing
      checkNeed(object, target, need.file, need.versions, findings);
    }
  }
  return findings;
}

function checkNeed(
  object: LoadedObject,
  target: LoadedObject,
  file: string,
  versions: Array<{ name: string; flags: number }>,
  findings: VersionFindings,
): void {
  const defined = target.elf.dynamic?.verdef ?? [];
  if (defined.length === 0) {
    // ld.so warns "no version information available", then aborts in check_match (dl-lookup.c:
    // "Inconsistency detected by ld.so … Assertion `version->filename == NULL || …' failed")
    // as soon as it binds a symbol the object needs with a version from this file.
    const strong = versions.filter((version) => (version.flags & VER_FLG_WEAK) === 0).map((version) => version.name);
    if (strong.length === 0) {
      if (versions.length > 0) findings.warnings.push(`${target.path}: no version information available (required by ${object.path})`);
      return;
    }
    const message = `will fail: ${target.path} has no version information but ${object.path} needs ${strong.join(', ')} from it (ld.so aborts with "Inconsistency detected by ld.so: … check_match" when it binds such a symbol)`;
    findings.problems.push(message);
    if (!findings.byEdge.has(edgeKey(object.path, file))) findings.byEdge.set(edgeKey(object.path, file), message);
    return;
  }
  const definedNames = versionNames(target.elf);
  for (const version of versions) {
    if (definedNames.has(version.name)) continue;
    if ((version.flags & VER_FLG_WEAK) !== 0) {
      findings.warnings.push(`${target.path}: weak version ${version.name} not found (required by ${object.path})`);
      continue;
    }
    const message = `will fail: version ${version.name} not found in ${target.path} (required by ${object.path}); ${provides(target, version.name)}`;
    findings.problems.push(message);
    const key = edgeKey(object.path, file);
    if (!findings.byEdge.has(key)) findings.byEdge.set(key, message);
  }
}

/**
 * The version names an object defines, as a set: every closure that loads a library checks every
 * loaded object's needs against it (libc.so.6 defines about 40 versions), so it is built once.
 */
const namesOf = new WeakMap<ElfInfo, ReadonlySet<string>>();
function versionNames(elf: ElfInfo): ReadonlySet<string> {
  let names = namesOf.get(elf);
  if (!names) {
    names = new Set(elf.dynamic?.verdef ?? []);
    namesOf.set(elf, names);
  }
  return names;
}

export function edgeKey(neededBy: string, name: string): string {
  return `${neededBy}\u0000${name}`;
}

/** "the image's libc provides up to GLIBC_2.31", or what the library does define. */
function provides(target: LoadedObject, missing: string): string {
  const defs = (target.elf.dynamic?.verdef ?? []).slice(1);
  const prefix = /^([A-Za-z_]+?)_?\d/.exec(missing)?.[1];
  const family = prefix ? defs.filter((name) => name.startsWith(prefix)) : [];
  if (family.length > 0) {
    const highest = family.reduce((best, name) => (compareVersions(name, best) > 0 ? name : best));
    const who = target.elf.dynamic?.soname === 'libc.so.6' ? "the image's libc" : target.path;
    return `${who} provides up to ${highest}`;
  }
  return defs.length > 0 ? `it defines ${defs.slice(0, 6).join(', ')}${defs.length > 6 ? ', …' : ''}` : 'it defines no versions';
}

/**
 * Numeric comparison of the dotted numbers in two version names of any family (`GCC_4.2.0`,
 * `OPENSSL_3.0.0`; `GLIBC_2.9` < `GLIBC_2.34`). GLIBC_ names alone: classify.ts's glibcVersionParts.
 */
function compareVersions(a: string, b: string): number {
  const numbers = (name: string) => (name.match(/\d+/g) ?? []).map(Number);
  const x = numbers(a);
  const y = numbers(b);
  for (let i = 0; i < Math.max(x.length, y.length); i++) {
    const diff = (x[i] ?? -1) - (y[i] ?? -1);
    if (diff !== 0) return diff;
  }
  return a.localeCompare(b);
}

/**
 * Libraries a program loads at run time without a DT_NEEDED (NSS modules, libgcc_s for thread
 * cancellation, `.note.dlopen` names), resolved the way the loader would: as if the requesting
 * object NEEDed them, through the resolver the analysis uses, so RPATH, LD_LIBRARY_PATH,
 * ld.so.cache and the default directories apply in the loader's order.
 */
import { resolveClosure, type ResolvedDependency } from '../elf/index.js';
import type { Planner } from './planner.js';

export interface ExtraResolution {
  /** Each requested name: the dependency record (path null when not found). */
  found: Map<string, ResolvedDependency>;
  /** Everything the requested libraries pull in (their own closures), interpreter excluded. */
  closure: ResolvedDependency[];
}

/** Resolves `names` as dlopen() called from `requester` (an ELF file of the image) would. */
export function resolveExtra(p: Planner, requester: string, names: readonly string[]): ExtraResolution {
  const found = new Map<string, ResolvedDependency>();
  const elf = p.elf(requester);
  if (!elf || names.length === 0) return { found, closure: [] };
  const dynamic = elf.dynamic ?? {
    needed: [],
    soname: null,
    rpath: [],
    runpath: [],
    flags: 0,
    flags1: 0,
    bindNow: false,
    textrel: false,
    hasDebug: false,
    verneed: [],
    verdef: [],
  };
  const synthetic = { ...elf, dynamic: { ...dynamic, needed: [...names], soname: null, verneed: [], verdef: [] } };
  const result = resolveClosure(requester, synthetic, p.fs, { env: p.config.env ?? [], workingDir: p.config.workingDir });
  const closure: ResolvedDependency[] = [];
  for (const dep of result.deps) {
    if (dep.via === 'interpreter') continue;
    if (dep.depth === 1 && names.includes(dep.name) && !found.has(dep.name)) found.set(dep.name, dep);
    else closure.push(dep);
  }
  return { found, closure };
}

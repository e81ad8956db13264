/**
 * glibc's search for one DT_NEEDED name (elf/dl-load.c `_dl_map_new_object`):
 *   a name with `/` is a path (DSTs expanded);
 *   otherwise, unless the requesting object has DT_RUNPATH: the DT_RPATH of the requester, of
 *   the object that loaded it and on up, then of the main program; then LD_LIBRARY_PATH; then the
 *   requester's own DT_RUNPATH; then /etc/ld.so.cache; then the system directories —
 *   the last two skipped (for the cache: only entries inside system directories) under
 *   DF_1_NODEFLIB. Candidates of another class or machine are skipped.
 */
import type { ElfInfo, FileLookup } from '../types.js';
import type { CacheState } from './_image-state.js';
import { LD_SO_CACHE } from './_image-state.js';
import type { GlibcLayout } from './_layout.js';
import type { LoadedObject } from './_link-map.js';
import type { ArchFacts } from './_machine.js';
import { describeClass } from './_machine.js';
import { probe, type Probe } from './_probe.js';
import { absolutize, expandGlibcDst, glibcSearchDirs, joinEntries, joinPath, originOf, type DstValues } from './_search-path.js';
import { lookupLdSoCache } from './ld-so-cache.js';
import type { ResolveVia } from './types.js';

const DF_1_NODEFLIB = 0x800;

export interface GlibcSearch {
  lookup: FileLookup;
  /** The process ABI (the main program's). */
  process: ElfInfo;
  main: LoadedObject;
  arch: ArchFacts;
  layout: GlibcLayout;
  cache: CacheState | null;
  ldLibraryPath: string | null;
  cwd: string;
}

export type SearchOutcome =
  | { kind: 'found'; probe: Extract<Probe, { kind: 'found' }>; realname: string; via: ResolveVia; viaDetail: string }
  | { kind: 'failed'; reason: string; otherClass: string[]; searched: string[] };

interface Source {
  via: ResolveVia;
  label: string;
  dirs: string[];
}

/**
 * searchGlibc, remembering the outcomes that do not depend on the requester: a bare name asked
 * for by an object with no DT_RUNPATH and no DF_1_NODEFLIB, with no DT_RPATH on its loader chain
 * or the main program and no LD_LIBRARY_PATH, goes through ld.so.cache and the system directories
 * alone. That is most edges of most closures, and every closure over the same image and loader
 * asks them again (1588 closures, 26,473 edges on the bench image). `outcomes` holds them for
 * one image, process ABI and loader (searchMemoKey); they are shared, never modified.
 */
export function searchGlibcMemo(name: string, requester: LoadedObject, search: GlibcSearch, outcomes: Map<string, SearchOutcome>): SearchOutcome {
  if (!requesterIndependent(name, requester, search)) return searchGlibc(name, requester, search);
  let outcome = outcomes.get(name);
  if (!outcome) {
    outcome = searchGlibc(name, requester, search);
    outcomes.set(name, outcome);
  }
  return outcome;
}

function requesterIndependent(name: string, requester: LoadedObject, search: GlibcSearch): boolean {
  if (name.includes('/') || search.ldLibraryPath || hasRunpath(requester.elf) || nodeflib(requester.elf)) return false;
  for (let object: LoadedObject | null = requester; object; object = object.loader) if (hasRpath(object.elf)) return false;
  return !hasRpath(search.main.elf);
}

/**
 * What a requester-independent search depends on besides the image: the process ABI (which
 * candidates probe() accepts, the ld.so.cache flags), the loader (its system directories) and
 * whether it is glibc's (another loader gets no cache).
 */
export function searchMemoKey(process: ElfInfo, flavour: string, loaderPath: string | null): string {
  return `${process.class}\0${process.endian}\0${process.machine}\0${process.flags}\0${flavour}\0${loaderPath ?? ''}`;
}

export function searchGlibc(name: string, requester: LoadedObject, search: GlibcSearch): SearchOutcome {
  const otherClass: string[] = [];
  if (name.includes('/')) {
    const expanded = expandGlibcDst(name, dstValues(requester, search));
    if (expanded === null) return { kind: 'failed', reason: `cannot expand the dynamic string token in ${name}`, otherClass, searched: [] };
    const realname = absolutize(expanded, search.cwd);
    const result = probe(search.lookup, realname, search.process, 'glibc');
    if (result.kind === 'found') return { kind: 'found', probe: result, realname, via: 'path', viaDetail: realname };
    if (result.kind === 'unloadable') return unloadable(result);
    if (result.kind === 'other-class') otherClass.push(otherClassNote(result.path, result.elf));
    return { kind: 'failed', reason: '', otherClass, searched: [realname] };
  }

  const searched: string[] = [];
  for (const source of pathSources(requester, search)) {
    if (source.dirs.length > 0) searched.push(`${source.label} ${source.dirs.join(':')}`);
    for (const dir of source.dirs) {
      const realname = joinPath(dir, name);
      const result = probe(search.lookup, realname, search.process, 'glibc');
      if (result.kind === 'found') return { kind: 'found', probe: result, realname, via: source.via, viaDetail: dir };
      if (result.kind === 'unloadable') return unloadable(result);
      if (result.kind === 'other-class') otherClass.push(otherClassNote(result.path, result.elf));
    }
    if (source.via === 'runpath') {
      const fromCache = searchCache(name, requester, search, searched, otherClass);
      if (fromCache) return fromCache;
    }
  }
  return { kind: 'failed', reason: '', otherClass, searched };
}

/** RPATH chain, LD_LIBRARY_PATH, RUNPATH, then (after the cache) the system directories. */
function pathSources(requester: LoadedObject, search: GlibcSearch): Source[] {
  const sources: Source[] = [];
  if (!hasRunpath(requester.elf)) {
    let didMain = false;
    for (let object: LoadedObject | null = requester; object; object = object.loader) {
      const dirs = rpathDirs(object, search);
      if (dirs.length === 0) continue;
      sources.push({ via: 'rpath', label: `RPATH of ${object.path}`, dirs });
      didMain ||= object === search.main;
    }
    if (!didMain && requester !== search.main) {
      const dirs = rpathDirs(search.main, search);
      if (dirs.length > 0) sources.push({ via: 'rpath', label: `RPATH of ${search.main.path}`, dirs });
    }
  }
  if (search.ldLibraryPath) {
    const dirs = glibcSearchDirs(search.ldLibraryPath, /[:;]/, dstValues(search.main, search), search.cwd);
    if (dirs.length > 0) sources.push({ via: 'ld-library-path', label: 'LD_LIBRARY_PATH', dirs });
  }
  const runpath = hasRunpath(requester.elf)
    ? glibcSearchDirs(joinEntries(requester.elf.dynamic!.runpath), /:/, dstValues(requester, search), search.cwd)
    : [];
  // The cache is consulted right after RUNPATH: an empty RUNPATH source marks the spot.
  sources.push({ via: 'runpath', label: `RUNPATH of ${requester.path}`, dirs: runpath });
  if (!nodeflib(requester.elf)) sources.push({ via: 'default-path', label: 'system directories', dirs: search.layout.systemDirs });
  return sources.filter((source) => source.dirs.length > 0 || source.via === 'runpath');
}

function searchCache(name: string, requester: LoadedObject, search: GlibcSearch, searched: string[], otherClass: string[]): SearchOutcome | null {
  if (!search.cache?.present || search.cache.error) return null;
  searched.push(LD_SO_CACHE);
  let cached = lookupLdSoCache(search.cache.byName.get(name) ?? [], name, search.arch.cacheFlags.accepted);
  if (cached && nodeflib(requester.elf) && search.layout.systemDirs.some((dir) => cached!.startsWith(`${dir}/`))) cached = null;
  if (!cached) return null;
  const result = probe(search.lookup, cached, search.process, 'glibc');
  if (result.kind === 'found') return { kind: 'found', probe: result, realname: cached, via: 'ld.so.cache', viaDetail: LD_SO_CACHE };
  if (result.kind === 'unloadable') return unloadable(result);
  if (result.kind === 'other-class') otherClass.push(otherClassNote(result.path, result.elf));
  return null;
}

/** Effective DT_RPATH: ignored when the object also has DT_RUNPATH (elf/get-dynamic-info.h). */
function rpathDirs(object: LoadedObject, search: GlibcSearch): string[] {
  if (!hasRpath(object.elf)) return [];
  return glibcSearchDirs(joinEntries(object.elf.dynamic!.rpath), /:/, dstValues(object, search), search.cwd);
}

export function dstValues(object: LoadedObject, search: Pick<GlibcSearch, 'arch' | 'layout'>): DstValues {
  // The main program's origin is /proc/self/exe (symlinks resolved); a library's is the directory it was opened from.
  const origin = object.role === 'main' ? originOf(object.path) : originOf(object.realname);
  return { origin, platform: search.arch.platform, lib: search.layout.lib };
}

/** Whether DT_RPATH is in effect (present, and no DT_RUNPATH beside it). */
function hasRpath(elf: ElfInfo): boolean {
  const dynamic = elf.dynamic;
  return dynamic !== null && dynamic.rpath.length > 0 && dynamic.runpath.length === 0;
}

function hasRunpath(elf: ElfInfo): boolean {
  return (elf.dynamic?.runpath.length ?? 0) > 0;
}

function nodeflib(elf: ElfInfo): boolean {
  return ((elf.dynamic?.flags1 ?? 0) & DF_1_NODEFLIB) !== 0;
}

function unloadable(result: Extract<Probe, { kind: 'unloadable' }>): SearchOutcome {
  const via = result.chain.length > 1 ? ` (${result.chain[0]})` : '';
  return { kind: 'failed', reason: `${result.path}${via}: ${result.reason}`, otherClass: [], searched: [] };
}

function otherClassNote(path: string, elf: ElfInfo): string {
  return `${path} (${describeClass(elf)})`;
}

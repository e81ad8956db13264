/**
 * The dependency closure of one ELF object as the image's own loader would build it: the
 * interpreter first, then every DT_NEEDED of every loaded object in breadth-first load order
 * (glibc `_dl_map_object_deps`, musl `load_deps`), each resolved with that loader's search
 * rules, then glibc's symbol-version checks. Every line of `problems` is a reason the program
 * will not start.
 */
import type { ElfInfo, FileLookup } from '../types.js';
import { searchGlibc, searchGlibcMemo, searchMemoKey, type GlibcSearch, type SearchOutcome } from './_glibc.js';
import { ldSoCache } from './_image-state.js';
import { resolveInterpreter } from './_interpreter.js';
import { glibcLayout } from './_layout.js';
import { initialNames, LinkMap, type LoadedObject } from './_link-map.js';
import { archFacts, muslArchOf } from './_machine.js';
import { missingMessage, staleCacheHint, type Missing } from './_messages.js';
import { isMuslBuiltin, searchMusl, type MuslSearch } from './_musl.js';
import { absolutize, envValue } from './_search-path.js';
import { checkVersions, edgeKey } from './_versions.js';
import { detectImageLibc, findLoader } from './libc.js';
import type { LoaderFlavour, ResolutionResult, ResolveContext, ResolvedDependency, ResolveMemo, ResolveVia } from './types.js';

/** Names the kernel's vDSO answers to: mapped by the kernel, never a file. */
export const VDSO_NAMES = new Set(['linux-vdso.so.1', 'linux-gate.so.1', 'linux-vdso64.so.1', 'linux-vdso32.so.1']);

type Resolver = (name: string, requester: LoadedObject) => SearchOutcome;

/**
 * One edge of the closure, always built as the same literal (an object spread with overridden
 * keys took most of resolveClosure's time on 1588 closures). Key order as the Report lists them.
 */
function dependency(name: string, requester: LoadedObject, path: string | null, via: ResolveVia, viaDetail: string | null = null, chain: string[] = []): ResolvedDependency {
  return { name, neededBy: requester.path, depth: requester.depth + 1, viaDetail, chain, problem: null, path, via };
}

/** A memo for the closures of one image whose lookup will not change while they are resolved. */
export function createResolveMemo(): ResolveMemo {
  return { searches: new Map() };
}

function memoFor(memo: ResolveMemo, key: string): Map<string, SearchOutcome> {
  let outcomes = memo.searches.get(key);
  if (!outcomes) {
    outcomes = new Map();
    memo.searches.set(key, outcomes);
  }
  return outcomes;
}

export function resolveClosure(path: string, elf: ElfInfo, lookup: FileLookup, ctx: ResolveContext): ResolutionResult {
  const needed = elf.dynamic?.needed ?? [];
  if (elf.interpreter === null && needed.length === 0) return { flavour: 'none', deps: [], problems: [], versionProblems: [], warnings: [] };
  const cwd = ctx.workingDir ? absolutize(ctx.workingDir, '/') : '/';
  const map = new LinkMap();
  const main = map.add({
    path: lookup.resolve(path)?.path ?? path,
    realname: '',
    chain: [],
    elf,
    loader: null,
    depth: 0,
    role: 'main',
    names: initialNames('', elf),
    shortname: null,
  });
  const deps: ResolvedDependency[] = [];
  const problems: string[] = [];
  const warnings: string[] = [];

  // The loader: the program's PT_INTERP, or for a library the image's loader it would run under.
  let flavour: LoaderFlavour;
  let loader: LoadedObject | null = null;
  let loaderName: string | null = null;
  if (elf.interpreter !== null) {
    const interpreter = resolveInterpreter(main, lookup, cwd);
    deps.push(interpreter.dep);
    if (interpreter.dep.problem) problems.push(interpreter.dep.problem);
    flavour = interpreter.flavour;
    loader = interpreter.object;
    loaderName = elf.interpreter;
  } else {
    flavour = libraryFlavour(needed, lookup, elf.machine);
    const found = flavour === 'glibc' || flavour === 'musl' ? findLoader(lookup, flavour, elf.machine) : null;
    if (found) {
      loaderName = found.path;
      loader = { path: found.realPath, realname: found.path, chain: [], elf: found.elf, loader: null, depth: 1, role: 'interpreter', names: initialNames(found.path, found.elf), shortname: null };
    }
  }
  if (loader) map.add(loader);

  const ldLibraryPath = envValue(ctx.env, 'LD_LIBRARY_PATH', flavour === 'musl' ? 'first' : 'last');
  const arch = archFacts(elf);
  const ldsoName = loaderName ?? `/lib/ld-musl-${arch.muslArch ?? 'unknown'}.so.1`;
  let resolve: Resolver;
  let glibcSearch: GlibcSearch | null = null;
  if (flavour === 'musl') {
    const search: MuslSearch = { lookup, process: elf, ldsoName, arch: muslArchOf(ldsoName) ?? arch.muslArch, ldLibraryPath, cwd };
    resolve = (name, requester) => searchMusl(name, requester, search);
  } else {
    const cache = flavour === 'glibc' ? ldSoCache(lookup) : null;
    if (cache?.error) warnings.push(`/etc/ld.so.cache is ignored by ld.so: ${cache.error}`);
    if (flavour === 'other') warnings.push(`${elf.interpreter ?? 'the loader'} is neither glibc's nor musl's loader: resolved with the generic ELF rules`);
    const layout = glibcLayout(flavour === 'glibc' ? (loader?.path ?? null) : null, arch);
    glibcSearch = { lookup, process: elf, main, arch, layout, cache, ldLibraryPath, cwd };
    const search = glibcSearch;
    const outcomes = ctx.memo ? memoFor(ctx.memo, searchMemoKey(elf, flavour, loader?.path ?? null)) : null;
    resolve = outcomes ? (name, requester) => searchGlibcMemo(name, requester, search, outcomes) : (name, requester) => searchGlibc(name, requester, search);
  }

  const missing = new Map<string, Missing>();
  const queue: LoadedObject[] = [main];
  for (let i = 0; i < queue.length; i++) {
    const requester = queue[i]!;
    for (const name of requester.elf.dynamic?.needed ?? []) {
      if (VDSO_NAMES.has(name)) {
        deps.push(dependency(name, requester, null, 'vdso'));
        continue;
      }
      if (flavour === 'musl' && isMuslBuiltin(name, ldsoName)) {
        deps.push(dependency(name, requester, loader?.path ?? null, 'musl-builtin', ldsoName, loader?.chain ?? []));
        continue;
      }
      const known = flavour === 'musl' ? (name.includes('/') ? undefined : map.byShortname(name)) : map.byName(name);
      if (known) {
        deps.push(dependency(name, requester, known.path, 'already-loaded'));
        continue;
      }
      const outcome = resolve(name, requester);
      if (outcome.kind === 'failed') {
        const dep = dependency(name, requester, null, 'not-found');
        deps.push(dep);
        const entry = missing.get(name) ?? { name, needers: [], outcome, deps: [] };
        entry.needers.push(requester.path);
        entry.deps.push(dep);
        missing.set(name, entry);
        continue;
      }
      const { probe } = outcome;
      const existing = map.byPath(probe.path);
      if (existing) {
        const builtin = flavour === 'musl' && existing === loader;
        if (flavour !== 'musl') map.addName(existing, name);
        else if (!existing.shortname && !name.includes('/')) map.setShortname(existing, name);
        deps.push(dependency(name, requester, existing.path, builtin ? 'musl-builtin' : 'already-loaded', outcome.viaDetail, probe.chain));
        continue;
      }
      const object = map.add({
        path: probe.path,
        realname: outcome.realname,
        chain: probe.chain,
        elf: probe.elf,
        loader: requester,
        depth: requester.depth + 1,
        role: 'library',
        names: flavour === 'musl' ? new Set() : new Set([...initialNames(outcome.realname, probe.elf), name]),
        shortname: flavour === 'musl' && !name.includes('/') ? name : null,
      });
      queue.push(object);
      deps.push(dependency(name, requester, probe.path, outcome.via, outcome.viaDetail, probe.chain));
    }
  }

  if (flavour === 'musl' && !loader && elf.interpreter === null) {
    const builtins = deps.filter((dep) => dep.via === 'musl-builtin');
    for (const dep of builtins) dep.problem = `${dep.name} (needed by ${dep.neededBy}) is provided by the musl loader, which is not in the image`;
    problems.push(...new Set(builtins.map((dep) => dep.problem!)));
  }
  for (const entry of missing.values()) {
    const hint = glibcSearch && flavour === 'glibc' ? staleCacheHint(entry, glibcSearch) : '';
    for (const dep of entry.deps) dep.problem = missingMessage(entry, [dep.neededBy], hint);
    problems.push(missingMessage(entry, entry.needers, hint));
  }

  let versionProblems: string[] = [];
  if (flavour === 'glibc') {
    const versions = checkVersions(map);
    versionProblems = [...new Set(versions.problems)];
    problems.push(...versionProblems);
    warnings.push(...new Set(versions.warnings));
    // Most closures have no version problem: skip building a key per edge then.
    if (versions.byEdge.size > 0) for (const dep of deps) dep.problem ??= versions.byEdge.get(edgeKey(dep.neededBy, dep.name)) ?? null;
  }
  return { flavour, deps, problems: [...new Set(problems)], versionProblems, warnings };
}

/** The loader a library (no PT_INTERP) would be loaded by: named by its libc dependency, else the image's. */
function libraryFlavour(needed: string[], lookup: FileLookup, machine: number): LoaderFlavour {
  if (needed.includes('libc.so.6')) return 'glibc';
  if (needed.some((name) => name === 'libc.so' || /^libc\.musl-[\w-]+\.so\.1$/.test(name))) return 'musl';
  const image = detectImageLibc(lookup, machine);
  return image.glibc ? 'glibc' : image.musl ? 'musl' : 'other';
}

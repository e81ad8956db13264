/**
 * Which C libraries an image carries, found the way programs find them: the glibc loader
 * (`ld-linux*.so.*`, `ld64.so.*`, `ld.so.1`) or musl loader (`ld-musl-<arch>.so.1`) in the
 * usual directories, and the libc.so.6 that glibc loader would load.
 */
import { glibcProvided } from '../classify.js';
import type { ElfInfo, FileLookup } from '../types.js';
import { searchGlibc } from './_glibc.js';
import { ldSoCache, memoLibc } from './_image-state.js';
import { glibcLayout } from './_layout.js';
import { initialNames, type LoadedObject } from './_link-map.js';
import { archFacts, interpreterFlavour, isMultiarchTriplet } from './_machine.js';
import type { ImageLibc } from './types.js';

const LOADER_DIRS = ['/lib64', '/lib', '/usr/lib64', '/usr/lib', '/libx32', '/lib32', '/usr/libx32', '/usr/lib32'];

/** The image's glibc (loader, libc.so.6, highest GLIBC_ version) and musl loader, optionally for one e_machine. */
export function detectImageLibc(lookup: FileLookup, machine?: number): ImageLibc {
  return memoLibc(lookup, String(machine ?? 'any'), () => {
    const glibcLoader = findLoader(lookup, 'glibc', machine);
    const muslLoader = findLoader(lookup, 'musl', machine);
    return {
      glibc: glibcLoader ? { loader: glibcLoader.path, ...libcOf(lookup, glibcLoader) } : null,
      musl: muslLoader ? { loader: muslLoader.path } : null,
    };
  });
}

interface FoundLoader {
  /** The path as found (what a PT_INTERP names), e.g. `/lib64/ld-linux-x86-64.so.2`. */
  path: string;
  realPath: string;
  elf: ElfInfo;
}

/** A loader of the given kind: the canonical PT_INTERP paths first, then the usual directories. */
export function findLoader(lookup: FileLookup, kind: 'glibc' | 'musl', machine?: number): FoundLoader | null {
  for (const candidate of candidates(lookup, kind, machine)) {
    const found = lookup.resolve(candidate);
    if (found?.kind !== 'file') continue;
    const elf = lookup.elf(found.path);
    if (!elf || elf.type !== 'DYN' || (machine !== undefined && elf.machine !== machine)) continue;
    return { path: candidate, realPath: found.path, elf };
  }
  return null;
}

function* candidates(lookup: FileLookup, kind: 'glibc' | 'musl', machine?: number): Generator<string> {
  if (kind === 'glibc' && machine !== undefined) {
    for (const elfClass of [64, 32] as const) {
      const canonical = archFacts({ class: elfClass, machine, endian: 'little', flags: 0 }).glibcInterpreter;
      if (canonical) yield canonical;
    }
  }
  const dirs = [...LOADER_DIRS];
  for (const parent of ['/lib', '/usr/lib']) {
    for (const name of lookup.list(parent) ?? []) if (isMultiarchTriplet(name)) dirs.push(`${parent}/${name}`);
  }
  for (const dir of dirs) {
    for (const name of lookup.list(dir) ?? []) {
      if (interpreterFlavour(name) === kind && !name.endsWith('.path')) yield `${dir}/${name}`;
    }
  }
}

/** The libc.so.6 the loader would load (ld.so.cache, then its system directories) and its highest GLIBC_ version. */
function libcOf(lookup: FileLookup, loader: FoundLoader): { libc: string | null; maxVersion: string | null } {
  const arch = archFacts(loader.elf);
  const object: LoadedObject = {
    path: loader.realPath,
    realname: loader.path,
    chain: [],
    elf: loader.elf,
    loader: null,
    depth: 0,
    role: 'main',
    names: initialNames(loader.path, loader.elf),
    shortname: null,
  };
  const outcome = searchGlibc('libc.so.6', object, {
    lookup,
    process: loader.elf,
    main: object,
    arch,
    layout: glibcLayout(loader.realPath, arch),
    cache: ldSoCache(lookup),
    ldLibraryPath: null,
    cwd: '/',
  });
  if (outcome.kind !== 'found') return { libc: null, maxVersion: null };
  return { libc: outcome.probe.path, maxVersion: glibcProvided(outcome.probe.elf) };
}

/**
 * Dependency resolution exactly as the image's own loader (glibc ld.so or musl) would do it,
 * over a read-only view of the image, with the reasons a program will fail to start.
 */
export { createResolveMemo, resolveClosure, VDSO_NAMES } from './closure.js';
export { detectImageLibc } from './libc.js';
export { parseLdSoCache, lookupLdSoCache } from './ld-so-cache.js';
export { readLdSoConf, readLdSoConfEntries, type LdSoConfDir } from './ld-so-conf.js';
export { staleLdSoCache } from './stale-cache.js';
export { insecureSearchPaths } from './insecure.js';
export { createDirLookup } from './dir-lookup.js';
export type {
  ImageLibc,
  LdSoCacheEntry,
  LoaderFlavour,
  ResolutionResult,
  ResolveContext,
  ResolveMemo,
  ResolvedDependency,
  ResolveVia,
} from './types.js';

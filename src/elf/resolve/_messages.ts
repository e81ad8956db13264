/** One-line explanations of why a dependency will not load. */
import type { GlibcSearch, SearchOutcome } from './_glibc.js';
import { ldSoConf, LD_SO_CACHE } from './_image-state.js';
import { probe } from './_probe.js';
import { joinPath } from './_search-path.js';
import type { ResolvedDependency } from './types.js';

export interface Missing {
  name: string;
  needers: string[];
  outcome: Extract<SearchOutcome, { kind: 'failed' }>;
  deps: ResolvedDependency[];
}

export function missingMessage(entry: Missing, needers: string[], hint: string): string {
  const { name, outcome } = entry;
  const by = `needed by ${listNeeders(needers)}`;
  if (outcome.reason) return `${name} (${by}) cannot be loaded: ${outcome.reason}`;
  if (outcome.otherClass.length > 0) return `${name} (${by}) found only with the wrong class/machine: ${outcome.otherClass.join(', ')}`;
  const searched = outcome.searched.length > 0 ? `; searched ${outcome.searched.join('; ')}` : '';
  return `${name} not found (${by})${searched}${hint}`;
}

function listNeeders(needers: string[]): string {
  const unique = [...new Set(needers)];
  return unique.length <= 3 ? unique.join(', ') : `${unique.slice(0, 3).join(', ')} and ${unique.length - 3} more`;
}

/**
 * ld.so never reads ld.so.conf: when the library sits in a directory it lists but the cache
 * does not have it, the image was built without running ldconfig afterwards.
 */
export function staleCacheHint(entry: Missing, search: GlibcSearch): string {
  if (entry.outcome.reason || entry.outcome.otherClass.length > 0 || entry.name.includes('/')) return '';
  for (const { dir, source } of ldSoConf(search.lookup)) {
    const candidate = joinPath(dir, entry.name);
    if (probe(search.lookup, candidate, search.process, 'glibc').kind !== 'found') continue;
    const cache = search.cache;
    if (!cache?.present) return `; ${candidate} exists and ${source} lists ${dir}, but the image has no ${LD_SO_CACHE} and ld.so does not read ld.so.conf (run ldconfig in the image build)`;
    return `; ${candidate} exists and ${source} lists ${dir}, but ${LD_SO_CACHE} does not have it: the cache is stale (run ldconfig after installing it)`;
  }
  return '';
}

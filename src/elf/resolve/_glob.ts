/**
 * glob(3) over a FileLookup, for ld.so.conf `include` patterns: `*`, `?` and `[…]` per path
 * component, no match for a leading `.` unless the pattern spells it, results sorted
 * bytewise (ldconfig runs with LC_COLLATE=C).
 */
import { compileNameGlob } from '../../shared/glob/index.js';
import type { FileLookup } from '../types.js';

/** Existing paths matching an absolute pattern, sorted. */
export function globPaths(lookup: FileLookup, pattern: string): string[] {
  let prefixes = ['/'];
  const components = pattern.split('/').filter((part) => part !== '');
  for (const component of components) {
    const next: string[] = [];
    for (const prefix of prefixes) {
      if (!hasWildcard(component)) {
        next.push(join(prefix, unescape(component)));
        continue;
      }
      const names = lookup.list(prefix) ?? [];
      const matcher = compileNameGlob(component);
      for (const name of names) if (matcher(name) && (!name.startsWith('.') || component.startsWith('.'))) next.push(join(prefix, name));
    }
    prefixes = next;
  }
  return prefixes.filter((path) => lookup.resolve(path) !== null).sort(bytewise);
}

function hasWildcard(component: string): boolean {
  return /[*?[]/.test(component);
}

function unescape(component: string): string {
  return component.replace(/\\(.)/g, '$1');
}

function join(prefix: string, name: string): string {
  return prefix === '/' ? `/${name}` : `${prefix}/${name}`;
}

function bytewise(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a), Buffer.from(b));
}

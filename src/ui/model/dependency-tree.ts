/**
 * A binary's resolved closure as a tree by parent, as lddtree draws it: each object under the
 * object whose DT_NEEDED named it (libpcre2-8 under libselinux, which needs it), in the order
 * the loader met them. An object already loaded elsewhere is shown once more, marked as a
 * repeat, and not expanded again.
 */
import type { Binary, ResolvedDependency } from '../../report/index.js';

export interface DependencyRow {
  dep: ResolvedDependency;
  /** 0 for the binary's own NEEDED and its interpreter. */
  level: number;
  /** Loaded through another parent already (or the loader itself): listed, not expanded. */
  repeat: boolean;
}

/** Edges that name an object without loading it again. */
const NOT_EXPANDED = new Set<ResolvedDependency['via']>(['already-loaded', 'musl-builtin', 'vdso', 'not-found']);

export function dependencyTree(binary: Binary): DependencyRow[] {
  const deps = binary.resolved;
  if (deps.length === 0) return [];
  const children = new Map<string, ResolvedDependency[]>();
  for (const dep of deps) {
    const list = children.get(dep.neededBy);
    if (list) list.push(dep);
    else children.set(dep.neededBy, [dep]);
  }
  // The binary's own edges name it by its real path (the first edge is always one of them).
  const root = deps.find((dep) => dep.depth === 1)?.neededBy ?? binary.path;
  const rows: DependencyRow[] = [];
  const expanded = new Set<string>([root]);
  const visit = (parent: string, level: number): void => {
    for (const dep of children.get(parent) ?? []) {
      const repeat = dep.via === 'already-loaded' || (dep.path !== null && expanded.has(dep.path) && dep.via !== 'musl-builtin');
      rows.push({ dep, level, repeat });
      if (repeat || dep.path === null || NOT_EXPANDED.has(dep.via)) continue;
      expanded.add(dep.path);
      visit(dep.path, level + 1);
    }
  };
  visit(root, 0);
  // Edges whose parent never appeared (a report edited by hand) still show, at the top level.
  if (rows.length < deps.length) {
    const shown = new Set(rows.map((row) => row.dep));
    for (const dep of deps) if (!shown.has(dep)) rows.push({ dep, level: 0, repeat: false });
  }
  return rows;
}

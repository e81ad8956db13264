/** Installed packages added, removed and upgraded or downgraded (same manager, name and architecture). */
import type { Package } from '../report/index.js';
import type { DiffPackage, ImageDiff, PackageChange } from './schema.js';

export function diffPackages(a: readonly Package[], b: readonly Package[]): ImageDiff['packages'] {
  const before = new Map<string, Package>();
  for (const pkg of a) before.set(key(pkg), pkg);
  const added: DiffPackage[] = [];
  const changed: PackageChange[] = [];
  for (const pkg of b) {
    const old = before.get(key(pkg));
    if (!old) {
      added.push(diffPackage(pkg));
      continue;
    }
    before.delete(key(pkg));
    if (old.version !== pkg.version) {
      changed.push({ manager: pkg.manager, name: pkg.name, architecture: pkg.architecture, before: old.version, after: pkg.version });
    }
  }
  return { added, removed: [...before.values()].map(diffPackage), changed };
}

function key(pkg: Package): string {
  return `${pkg.manager}\0${pkg.name}\0${pkg.architecture ?? ''}`;
}

function diffPackage(pkg: Package): DiffPackage {
  return { manager: pkg.manager, name: pkg.name, architecture: pkg.architecture, version: pkg.version };
}

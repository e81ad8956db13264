/**
 * What an SBOM lists, taken from a Report once so that the CycloneDX and SPDX writers say the
 * same thing: installed packages with PURLs, every ELF file with its digest and owning package,
 * the Go modules compiled into each Go binary, and the resolved DT_NEEDED graph.
 */
import type { Binary, Package, Report } from '../report/index.js';
import { goModulePurl, packagePurl } from './purl.js';

export interface InventoryPackage {
  /** Unique within the document. */
  ref: string;
  purl: string;
  pkg: Package;
}

export interface InventoryGoModule {
  ref: string;
  purl: string;
  path: string;
  version: string;
  /** The go.sum `h1:` hash, when the build info records one. */
  sum: string | null;
  /** The main module (the one built), not a dependency. */
  main: boolean;
  /** `path@version` the module was replaced by, when it was. */
  replacedBy: string | null;
}

export interface InventoryFile {
  ref: string;
  binary: Binary;
  /** Ref of the package that installed the file, or null. */
  packageRef: string | null;
  goModules: InventoryGoModule[];
  /** Refs of the files this one's DT_NEEDED entries (and interpreter) resolve to. */
  dependsOn: string[];
}

export interface Inventory {
  packages: InventoryPackage[];
  files: InventoryFile[];
}

export function buildInventory(report: Report): Inventory {
  const packages = report.packages.map((pkg, index) => ({ ref: `package-${index + 1}`, purl: packagePurl(pkg, report.distro), pkg }));
  const packageRefByKey = new Map(packages.map((entry) => [packageKey(entry.pkg), entry.ref]));
  const fileRefByPath = new Map(report.binaries.map((binary, index) => [binary.path, `file-${index + 1}`]));
  const edges = neededGraph(report.binaries);
  const files = report.binaries.map((binary) => {
    const ref = fileRefByPath.get(binary.path)!;
    const targets = [...(edges.get(binary.path) ?? [])].flatMap((path) => fileRefByPath.get(path) ?? []);
    return {
      ref,
      binary,
      packageRef: binary.package ? (packageRefByKey.get(packageKey(binary.package)) ?? null) : null,
      goModules: goModules(binary, ref),
      dependsOn: [...new Set(targets)].sort(compareRefs),
    };
  });
  return { packages, files };
}

function packageKey(pkg: { manager: string; name: string; version: string; architecture: string | null }): string {
  return `${pkg.manager}\0${pkg.name}\0${pkg.version}\0${pkg.architecture ?? ''}`;
}

/**
 * neededBy → resolved path over every closure: the loader's real graph, including libraries
 * found through the executable's RPATH (which a library's own record cannot show).
 */
function neededGraph(binaries: readonly Binary[]): Map<string, Set<string>> {
  const edges = new Map<string, Set<string>>();
  for (const binary of binaries) {
    for (const dep of binary.resolved) {
      if (!dep.path || dep.path === dep.neededBy) continue;
      let targets = edges.get(dep.neededBy);
      if (!targets) edges.set(dep.neededBy, (targets = new Set()));
      targets.add(dep.path);
    }
  }
  return edges;
}

function goModules(binary: Binary, fileRef: string): InventoryGoModule[] {
  const go = binary.go;
  if (!go) return [];
  const modules: InventoryGoModule[] = [];
  const main = go.mainModule ? splitModule(go.mainModule) : null;
  if (main) modules.push({ ref: `${fileRef}-go-main`, purl: goModulePurl(main.path, main.version), path: main.path, version: main.version, sum: null, main: true, replacedBy: null });
  go.deps.forEach((dep, index) => {
    // A module replaced by another module is listed as the replacement (the code compiled in);
    // one replaced by a local directory (`=> ../lib`) keeps its own path and version.
    const used = dep.replace && !isDirectory(dep.replace.path) ? dep.replace : dep;
    modules.push({
      ref: `${fileRef}-go-${index + 1}`,
      purl: goModulePurl(used.path, used.version),
      path: used.path,
      version: used.version,
      sum: used.sum,
      main: false,
      replacedBy: dep.replace ? [dep.replace.path, dep.replace.version].filter(Boolean).join('@') : null,
    });
  });
  return modules;
}

/** A replacement by directory: go.mod's rule, a path starting with `./`, `../` or `/`. */
function isDirectory(path: string): boolean {
  return path.startsWith('./') || path.startsWith('../') || path.startsWith('/') || path === '.' || path === '..';
}

/** `example.com/m@v1.2.3` → path and version (`(devel)` when none). */
function splitModule(module: string): { path: string; version: string } {
  const at = module.lastIndexOf('@');
  return at <= 0 ? { path: module, version: '(devel)' } : { path: module.slice(0, at), version: module.slice(at + 1) };
}

function compareRefs(a: string, b: string): number {
  return a.localeCompare(b, 'en', { numeric: true });
}

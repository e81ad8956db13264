/**
 * Every installed package with its files at their canonical paths (parents resolved through the
 * image's symlinks, so dpkg's `/bin/sh` is found at `/usr/bin/sh` on a merged-/usr image), and
 * the file → package map. Packages are interned: the map holds small integer ids.
 */
import { normalizeListed } from './dpkg-info.js';
import { isSharedDirectory } from './shared-dirs.js';
import type { DatabaseNote, Distro, PackageFiles, PackageRecord } from './types.js';

/** A package record with its id (its index in `PackageIndex.packages`) and canonical file lists. */
export interface InstalledPackage extends PackageRecord {
  readonly id: number;
}

export class PackageIndex {
  /** Non-directory path → owning package id (the first database entry that lists it). */
  private readonly fileOwner = new Map<string, number>();
  /** Directory → ids of every package that lists it. */
  private readonly dirOwners = new Map<string, number[]>();
  private readonly bySource = new Map<string, number[]>();
  private readonly canonicalDir = new Map<string, string>();
  readonly packages: readonly InstalledPackage[];

  constructor(
    records: PackageRecord[],
    readonly notes: DatabaseNote[],
    readonly distro: Distro | null,
    private readonly files: PackageFiles,
  ) {
    this.packages = records.map((record, id) => {
      const pkg: InstalledPackage = {
        ...record,
        id,
        files: this.canonicalList(record.files),
        conffiles: this.canonicalList(record.conffiles),
      };
      for (const path of pkg.files) {
        if (this.listsDirectory(path)) push(this.dirOwners, path, id);
        else if (!this.fileOwner.has(path)) this.fileOwner.set(path, id);
      }
      push(this.bySource, sourceName(pkg), id);
      return pkg;
    });
  }

  /** Where `path` is in the final filesystem (parents resolved; the last component not followed). */
  canonical(path: string): string {
    const normal = normalizeListed(path);
    if (!normal) return '/';
    const slash = normal.lastIndexOf('/');
    const parent = slash <= 0 ? '/' : normal.slice(0, slash);
    let dir = this.canonicalDir.get(parent);
    if (dir === undefined) {
      dir = parent === '/' ? '' : (this.files.realpath(parent) ?? parent);
      if (dir === '/') dir = '';
      this.canonicalDir.set(parent, dir);
    }
    return `${dir}/${normal.slice(slash + 1)}`;
  }

  /** The package that installed the file, symlink or device at `path`; for a directory, its only owner (null when shared). */
  ownerOf(path: string): InstalledPackage | null {
    const canonical = this.canonical(path);
    const id = this.fileOwner.get(canonical);
    if (id !== undefined) return this.packages[id]!;
    const dirOwners = this.dirOwners.get(canonical);
    return dirOwners?.length === 1 ? this.packages[dirOwners[0]!]! : null;
  }

  /** Every package that lists `path` (several for shared directories). */
  ownersOf(path: string): InstalledPackage[] {
    const canonical = this.canonical(path);
    const id = this.fileOwner.get(canonical);
    const ids = id !== undefined ? [id] : (this.dirOwners.get(canonical) ?? []);
    return ids.map((owner) => this.packages[owner]!);
  }

  /** Paths the package lists, canonical, directories included. */
  filesOf(pkg: InstalledPackage): readonly string[] {
    return pkg.files;
  }

  /** The package's configuration files (dpkg conffiles, rpm %config, apk files under /etc), canonical. */
  conffilesOf(pkg: InstalledPackage): readonly string[] {
    return pkg.conffiles;
  }

  /** Packages built from the same source package as `pkg`, `pkg` included (dpkg Source, apk origin, rpm SOURCERPM name). */
  sameSourceAs(pkg: InstalledPackage): InstalledPackage[] {
    return (this.bySource.get(sourceName(pkg)) ?? [pkg.id]).map((id) => this.packages[id]!);
  }

  /**
   * The package's own directories: those it lists that no package from another source package
   * lists and that are not shared hierarchy directories (`/etc`, `/usr/share`, …), topmost only (`/etc/nginx`, `/usr/share/nginx`, `/var/lib/nginx`, not their
   * subdirectories), in byte order.
   */
  privateDirectoriesOf(pkg: InstalledPackage): string[] {
    const family = new Set(this.sameSourceAs(pkg).map((member) => member.id));
    const isPrivate = (dir: string) => !isSharedDirectory(dir) && (this.dirOwners.get(dir) ?? []).every((id) => family.has(id));
    const own = pkg.files.filter((path) => this.dirOwners.has(path) && isPrivate(path));
    const ownSet = new Set(own);
    return own.filter((dir) => !ownSet.has(dir.slice(0, dir.lastIndexOf('/')))).sort();
  }

  /** A listed directory, or a symlink standing for one (dpkg lists `/lib`, a symlink to `usr/lib` on merged-/usr images). */
  private listsDirectory(path: string): boolean {
    if (this.files.isDirectory(path)) return true;
    const real = this.files.realpath(path);
    return real !== null && real !== path && this.files.isDirectory(real);
  }

  private canonicalList(paths: string[]): string[] {
    const out: string[] = [];
    for (const path of paths) if (normalizeListed(path)) out.push(this.canonical(path));
    return out;
  }
}

/** The source package name a package was built from (its own name when the database names none). */
export function sourceName(pkg: PackageRecord): string {
  return pkg.source?.name ?? pkg.name;
}

function push(map: Map<string, number[]>, key: string, id: number): void {
  const list = map.get(key);
  if (list) {
    if (list[list.length - 1] !== id) list.push(id);
  } else map.set(key, [id]);
}

/** The Report's view of the package databases: packages, database notes, distro, and a file's owner. */
import { isPackageDatabaseFile, type InstalledPackage, type PackageIndex } from '../packages/index.js';
import type { Package, PackageDatabase, PackageRef, Report } from '../report/index.js';
import type { ImageFs } from './image-fs.js';

export function packagesReport(index: PackageIndex, fs: ImageFs): Pick<Report, 'packages' | 'packageDatabases' | 'distro'> {
  const packages: Package[] = index.packages.map((pkg) => ({
    ...packageRef(pkg),
    epoch: pkg.epoch,
    source: pkg.source,
    sourceRpm: pkg.sourceRpm,
    license: pkg.license,
    database: pkg.database,
    files: pkg.files.length,
    missingFiles: pkg.files.reduce((missing, path) => (fs.exists(path) ? missing : missing + 1), 0),
  }));
  const packageDatabases: PackageDatabase[] = index.notes.map((note) => ({ ...note, diagnostics: [...note.diagnostics] }));
  return { packages, packageDatabases, distro: index.distro };
}

export function packageRef(pkg: InstalledPackage): PackageRef {
  return { manager: pkg.manager, name: pkg.name, version: pkg.version, architecture: pkg.architecture };
}

/** Drops the captured bytes of the package databases once they are read (they serve nothing else). */
export function releaseDatabaseBytes(fs: ImageFs): void {
  for (const [path, entry] of fs.merged.entries) {
    if (entry.type === 'file' && entry.payload?.content && isPackageDatabaseFile(path, entry.size)) delete entry.payload.content;
  }
}

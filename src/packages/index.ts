/**
 * Package databases (dpkg, apk, rpm) over the final filesystem, and the file → package map.
 *
 * API for other areas (slim keep rules, SBOM, diff):
 *   readPackageDatabases(files) → PackageIndex
 *   index.ownerOf(path)            the package that installed a path (canonical lookup: `/bin/sh` finds `/usr/bin/sh`)
 *   index.ownersOf(path)           every package listing it (shared directories)
 *   index.filesOf(pkg)             its paths, canonical, directories included
 *   index.conffilesOf(pkg)         its configuration files
 *   index.sameSourceAs(pkg)        packages built from the same source package (pkg included)
 *   index.privateDirectoriesOf(pkg) its own topmost directories (listed by no other source package)
 *   index.packages, index.notes, index.distro
 * The layer scan captures the files `isPackageDatabaseFile` selects.
 */
export { readPackageDatabases } from './read-databases.js';
export { PackageIndex, sourceName, type InstalledPackage } from './package-index.js';
export { isPackageDatabaseFile, isOversizedDatabaseFile } from './capture.js';
export { isSharedDirectory } from './shared-dirs.js';
export { parseDpkgStatus, parseSource } from './dpkg-status.js';
export { parseDpkgList, parseMd5sums, parseConffilesList } from './dpkg-info.js';
export { parseApkInstalled } from './apk-installed.js';
export { parseRpmHeader, rpmRecord, parseSourceRpm } from './rpm-header.js';
export { readSqliteRpmdb } from './rpm-database.js';
export { parseOsRelease } from './distro.js';
export type { DatabaseNote, DatabaseStatus, Distro, PackageFiles, PackageManager, PackageRecord } from './types.js';

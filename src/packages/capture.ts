/**
 * Which files the layer scan captures whole for the package readers: the databases of dpkg,
 * apk and rpm and dpkg's per-package lists. Decided on the path as the tar names it, so the
 * scan keeps no other bytes; later layers and whiteouts are applied by the merge.
 */

/** Largest package database file captured (an rpmdb.sqlite of a large Fedora image is tens of MiB). */
export const MAX_DATABASE_FILE = 256 * 1024 * 1024;
/** Largest dpkg list or md5sums file captured. */
export const MAX_LIST_FILE = 16 * 1024 * 1024;

const DATABASES = new Set([
  '/var/lib/dpkg/status',
  '/lib/apk/db/installed',
  '/usr/lib/apk/db/installed',
  '/var/lib/rpm/rpmdb.sqlite',
  '/usr/lib/sysimage/rpm/rpmdb.sqlite',
]);

/** Whether the regular file at `path` (of `size` bytes) is part of a package database. */
export function isPackageDatabaseFile(path: string, size: number): boolean {
  if (DATABASES.has(path)) return size <= MAX_DATABASE_FILE;
  if (size > MAX_LIST_FILE) return false;
  if (path.startsWith('/var/lib/dpkg/status.d/')) return path.indexOf('/', 23) < 0;
  if (path.startsWith('/var/lib/dpkg/info/')) return path.indexOf('/', 19) < 0 && /\.(?:list|conffiles|md5sums)$/.test(path);
  return false;
}

/** Whether a file at `path` is a package database that was too large to capture. */
export function isOversizedDatabaseFile(path: string, size: number): boolean {
  return !isPackageDatabaseFile(path, size) && isPackageDatabaseFile(path, 0);
}

/**
 * What the package databases say: installed packages, the files each one owns, and notes on
 * the databases themselves. Plain data; the index (package-index.ts) answers queries over it.
 */

export type PackageManager = 'dpkg' | 'apk' | 'rpm';

/** One installed package as its database records it. */
export interface PackageRecord {
  manager: PackageManager;
  name: string;
  /** As the manager prints it: dpkg `[epoch:]upstream-revision`, apk `1.2.4-r2`, rpm `version-release` (epoch apart). */
  version: string;
  architecture: string | null;
  /** rpm's EPOCH tag (dpkg keeps the epoch inside `version`); null otherwise. */
  epoch: number | null;
  /**
   * The source package as the database names it (dpkg `Source:`, apk `o:` origin, rpm
   * SOURCERPM); null when the database names none. `version` is null when the source version
   * is the binary package's own.
   */
  source: { name: string; version: string | null } | null;
  /** rpm's SOURCERPM file name, as written (`openssl-3.0.7-24.el9.src.rpm`). */
  sourceRpm: string | null;
  license: string | null;
  /** Files, symlinks and directories the package installed, as the database lists them (absolute paths). */
  files: string[];
  /** Configuration files (dpkg conffiles, rpm %config files). */
  conffiles: string[];
  /** The database file this record came from. */
  database: string;
}

/** How far a database could be read. */
export type DatabaseStatus = 'read' | 'not-read' | 'partial';

export interface DatabaseNote {
  manager: PackageManager;
  /** The database file or directory, e.g. `/var/lib/dpkg/status`. */
  path: string;
  status: DatabaseStatus;
  /** Packages read from it. */
  packages: number;
  /** Why it was not (fully) read: truncated or malformed records, unsupported formats. */
  diagnostics: string[];
}

/** Read access to the final filesystem, as the package readers need it. */
export interface PackageFiles {
  /** Captured content of the regular file at exactly `path` (no symlinks followed), or null. */
  read(path: string): Uint8Array | null;
  /** Whether `path` exists (no symlinks followed in the last component). */
  exists(path: string): boolean;
  /** Names in directory `dir`, or null when it is not one. */
  list(dir: string): string[] | null;
  /** `path` with every symlink resolved inside the image root (like realpath(3)), or null when missing or looping. */
  realpath(path: string): string | null;
  /** Whether `path` is a directory (no symlinks followed in the last component). */
  isDirectory(path: string): boolean;
  /** Whether the content of `path` was left out because it is larger than the capture limit. */
  tooLarge?(path: string): boolean;
}

/** The distribution, from `/etc/os-release` (or `/usr/lib/os-release`). */
export interface Distro {
  /** `ID`, e.g. `debian`, `alpine`, `rhel`. */
  id: string;
  /** `VERSION_ID`, e.g. `12`, `3.19.1`; null when absent (Debian sid). */
  versionId: string | null;
  idLike: string[];
  prettyName: string | null;
}

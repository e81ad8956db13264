/** Reads every package database in the final filesystem into one PackageIndex. */
import { APK_INSTALLED, parseApkInstalled } from './apk-installed.js';
import { readDistro } from './distro.js';
import { readDpkg } from './dpkg-database.js';
import { PackageIndex } from './package-index.js';
import { readRpm } from './rpm-database.js';
import { decodeText, unreadableNote } from './_read.js';
import type { DatabaseNote, PackageFiles, PackageRecord } from './types.js';

export async function readPackageDatabases(files: PackageFiles): Promise<PackageIndex> {
  const records: PackageRecord[] = [];
  const notes: DatabaseNote[] = [];
  for (const read of [readDpkg(files), readApk(files), await readRpm(files)]) {
    records.push(...read.records);
    notes.push(...read.notes);
  }
  return new PackageIndex(records, notes, readDistro(files), files);
}

function readApk(files: PackageFiles): { records: PackageRecord[]; notes: DatabaseNote[] } {
  const path = files.realpath(APK_INSTALLED);
  if (!path || files.isDirectory(path)) return { records: [], notes: [] };
  const bytes = files.read(path);
  if (!bytes) return { records: [], notes: [unreadableNote('apk', path, files)] };
  const parsed = parseApkInstalled(decodeText(bytes), path);
  const status = parsed.diagnostics.length > 0 ? 'partial' : 'read';
  return { records: parsed.records, notes: [{ manager: 'apk', path, status, packages: parsed.records.length, diagnostics: parsed.diagnostics }] };
}

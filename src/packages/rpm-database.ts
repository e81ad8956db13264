/**
 * rpm's database. rpm ≥ 4.16 keeps it in SQLite (`rpmdb.sqlite`, table `Packages(hnum, blob)`,
 * one header blob per package), read here with sql.js (SQLite compiled to WebAssembly: no native
 * build, loaded only when an image has an rpmdb; see docs/decisions/packages.md). BerkeleyDB
 * (`Packages`) and NDB (`Packages.db`) databases are detected and reported as not read.
 */
import { parseRpmHeader, rpmRecord } from './rpm-header.js';
import { unreadableNote } from './_read.js';
import type { DatabaseNote, PackageFiles, PackageRecord } from './types.js';

/** Where rpm keeps its database: the classic path, and Fedora ≥ 36 / SUSE's (`/var/lib/rpm` is then a symlink). */
export const RPM_DIRS = ['/var/lib/rpm', '/usr/lib/sysimage/rpm'];
export const RPM_SQLITE = 'rpmdb.sqlite';
const UNREAD_FORMATS: Record<string, string> = { Packages: 'BerkeleyDB', 'Packages.db': 'NDB' };

export async function readRpm(files: PackageFiles): Promise<{ records: PackageRecord[]; notes: DatabaseNote[] }> {
  const records: PackageRecord[] = [];
  const notes: DatabaseNote[] = [];
  const seenDirs = new Set<string>();
  for (const dir of RPM_DIRS) {
    const canonicalDir = files.realpath(dir) ?? dir;
    if (seenDirs.has(canonicalDir)) continue;
    seenDirs.add(canonicalDir);
    const sqlite = `${canonicalDir}/${RPM_SQLITE}`;
    if (files.exists(sqlite)) {
      const bytes = files.read(sqlite);
      if (!bytes) notes.push(unreadableNote('rpm', sqlite, files));
      else {
        const read = await readSqliteRpmdb(bytes, sqlite, files.exists(`${sqlite}-wal`));
        records.push(...read.records);
        notes.push(read.note);
      }
      continue;
    }
    for (const [name, format] of Object.entries(UNREAD_FORMATS)) {
      const path = `${canonicalDir}/${name}`;
      if (!files.exists(path)) continue;
      notes.push({ manager: 'rpm', path, status: 'not-read', packages: 0, diagnostics: [`${path}: ${format} rpm database, not read (only rpmdb.sqlite is)`] });
    }
  }
  return { records, notes };
}

type SqlJsStatic = Awaited<ReturnType<typeof import('sql.js').default>>;
let sqlJs: Promise<SqlJsStatic> | undefined;

async function loadSqlJs(): Promise<SqlJsStatic> {
  sqlJs ??= import('sql.js').then((module) => module.default());
  return sqlJs;
}

/** The packages in an rpmdb.sqlite image; a malformed database or header is a diagnostic. */
export async function readSqliteRpmdb(bytes: Uint8Array, path: string, hasWal = false): Promise<{ records: PackageRecord[]; note: DatabaseNote }> {
  const note: DatabaseNote = { manager: 'rpm', path, status: 'read', packages: 0, diagnostics: [] };
  const records: PackageRecord[] = [];
  if (hasWal) note.diagnostics.push(`${path}-wal: a write-ahead log is present; changes not yet checkpointed into ${path} are not seen`);
  let rows: unknown[][];
  try {
    const SQL = await loadSqlJs();
    const db = new SQL.Database(asRollbackJournal(bytes));
    try {
      rows = db.exec('SELECT hnum, blob FROM Packages ORDER BY hnum')[0]?.values ?? [];
    } finally {
      db.close();
    }
  } catch (error) {
    note.status = 'not-read';
    note.diagnostics.push(`${path}: not a readable rpm SQLite database (${(error as Error).message})`);
    return { records, note };
  }
  for (const [hnum, blob] of rows) {
    try {
      if (!(blob instanceof Uint8Array)) throw new Error('blob is not binary');
      const record = rpmRecord(parseRpmHeader(blob), path);
      if (record) records.push(record);
    } catch (error) {
      if (note.diagnostics.length < 5) note.diagnostics.push(`${path}: package ${String(hnum)}: ${(error as Error).message}`);
    }
  }
  note.packages = records.length;
  if (note.diagnostics.length > 0) note.status = 'partial';
  return { records, note };
}

/**
 * A copy with the header's read/write format versions (bytes 18 and 19) set to 1: an in-memory
 * SQLite cannot open a file marked for WAL mode, and the main file alone is a valid rollback-mode database.
 */
function asRollbackJournal(bytes: Uint8Array): Uint8Array {
  const copy = bytes.slice();
  if (copy.length >= 100 && copy[18] === 2 && copy[19] === 2) {
    copy[18] = 1;
    copy[19] = 1;
  }
  return copy;
}

/**
 * Reads dpkg's databases from the final filesystem: `/var/lib/dpkg/status` with the
 * `info/*.list`, `*.md5sums` and `*.conffiles` files, and distroless' `status.d/` (a control
 * stanza per file, with `status.d/<pkg>.md5sums` in newer images).
 */
import { parseConffilesList, parseDpkgList, parseMd5sums } from './dpkg-info.js';
import { hasFilesOnDisk, parseDpkgStatus, type DpkgEntry } from './dpkg-status.js';
import { decodeText, unreadableNote } from './_read.js';
import type { DatabaseNote, PackageFiles, PackageRecord } from './types.js';

export const DPKG_DIR = '/var/lib/dpkg';
export const DPKG_STATUS = `${DPKG_DIR}/status`;
export const DPKG_STATUS_D = `${DPKG_DIR}/status.d`;
export const DPKG_INFO = `${DPKG_DIR}/info`;

export function readDpkg(files: PackageFiles): { records: PackageRecord[]; notes: DatabaseNote[] } {
  const records: PackageRecord[] = [];
  const notes: DatabaseNote[] = [];
  const seen = new Set<string>();
  const add = (entry: DpkgEntry, database: string, mainList: string[] | null, note: DatabaseNote) => {
    const key = `${entry.name}:${entry.architecture ?? ''}`;
    if (seen.has(key) || !hasFilesOnDisk(entry)) return;
    seen.add(key);
    const info = infoFiles(files, entry);
    note.packages++;
    records.push({
      manager: 'dpkg',
      name: entry.name,
      version: entry.version,
      architecture: entry.architecture,
      epoch: null,
      source: entry.source,
      sourceRpm: null,
      license: null,
      files: mainList ?? info.list ?? [],
      conffiles: union(entry.conffiles, info.conffiles),
      database,
    });
  };

  if (files.exists(DPKG_STATUS)) {
    const bytes = files.read(DPKG_STATUS);
    if (!bytes) notes.push(unreadableNote('dpkg', DPKG_STATUS, files));
    else {
      const parsed = parseDpkgStatus(decodeText(bytes), DPKG_STATUS);
      const note: DatabaseNote = { manager: 'dpkg', path: DPKG_STATUS, status: 'read', packages: 0, diagnostics: parsed.diagnostics };
      for (const entry of parsed.entries) add(entry, DPKG_STATUS, null, note);
      if (note.diagnostics.length > 0) note.status = 'partial';
      notes.push(note);
    }
  }

  const statusD = files.list(DPKG_STATUS_D);
  if (statusD) {
    const note: DatabaseNote = { manager: 'dpkg', path: DPKG_STATUS_D, status: 'read', packages: 0, diagnostics: [] };
    const names = new Set(statusD);
    for (const name of statusD) {
      if (name.endsWith('.md5sums')) continue;
      const path = `${DPKG_STATUS_D}/${name}`;
      const bytes = files.read(path);
      if (!bytes) {
        if (files.tooLarge?.(path)) note.diagnostics.push(`${path}: larger than the capture limit, not read`);
        continue;
      }
      const parsed = parseDpkgStatus(decodeText(bytes), path);
      note.diagnostics.push(...parsed.diagnostics);
      const md5 = names.has(`${name}.md5sums`) ? files.read(`${DPKG_STATUS_D}/${name}.md5sums`) : null;
      for (const entry of parsed.entries) add(entry, path, md5 ? parseMd5sums(decodeText(md5)) : null, note);
    }
    if (note.diagnostics.length > 0) note.status = 'partial';
    notes.push(note);
  }
  return { records, notes };
}

/** The `info/` files of a package: `name:arch.*` for Multi-Arch: same packages, else `name.*`. */
function infoFiles(files: PackageFiles, entry: DpkgEntry): { list: string[] | null; conffiles: string[] } {
  const bases = entry.architecture ? [`${entry.name}:${entry.architecture}`, entry.name] : [entry.name];
  for (const base of bases) {
    const list = files.read(`${DPKG_INFO}/${base}.list`);
    const md5 = list ? null : files.read(`${DPKG_INFO}/${base}.md5sums`);
    if (!list && !md5) continue;
    const conffiles = files.read(`${DPKG_INFO}/${base}.conffiles`);
    return {
      list: list ? parseDpkgList(decodeText(list)) : parseMd5sums(decodeText(md5!)),
      conffiles: conffiles ? parseConffilesList(decodeText(conffiles)) : [],
    };
  }
  return { list: null, conffiles: [] };
}

function union(a: string[], b: string[]): string[] {
  if (b.length === 0) return a;
  return [...new Set([...a, ...b])];
}

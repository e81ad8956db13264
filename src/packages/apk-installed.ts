/**
 * apk's installed database, `/lib/apk/db/installed` (apk-tools' `apk_db_index_read`): records
 * separated by blank lines, one `X:value` line per field. P name, V version, A arch, o origin
 * (source package), L license; `F:` opens a directory (relative to /) and the `R:` lines after
 * it name its files; `a:`, `M:` and `Z:` annotate the directory or file before them. Pure over text.
 */
import { normalizeListed } from './dpkg-info.js';
import type { PackageRecord } from './types.js';

export const APK_INSTALLED = '/lib/apk/db/installed';

export function parseApkInstalled(text: string, label = APK_INSTALLED): { records: PackageRecord[]; diagnostics: string[] } {
  const records: PackageRecord[] = [];
  const diagnostics: string[] = [];
  let current: Draft | null = null;
  let dir = '';
  const finish = (line: number) => {
    if (!current) return;
    if (!current.name || !current.version) diagnostics.push(`${label}: the record ending at line ${line} has no ${current.name ? 'V' : 'P'}: field`);
    else records.push(toRecord(current, label));
    current = null;
    dir = '';
  };
  const lines = text.split('\n');
  for (let index = 0; index < lines.length; index++) {
    const line = lines[index]!.replace(/\r$/, '');
    if (line === '') {
      finish(index);
      continue;
    }
    if (line.length < 2 || line[1] !== ':') {
      if (diagnostics.length < 5) diagnostics.push(`${label}: line ${index + 1} is not an "X:value" line`);
      continue;
    }
    current ??= { name: '', version: '', arch: null, origin: null, license: null, files: [], etcFiles: [] };
    const value = line.slice(2);
    switch (line[0]) {
      case 'P':
        current.name = value;
        break;
      case 'V':
        current.version = value;
        break;
      case 'A':
        current.arch = value || null;
        break;
      case 'o':
        current.origin = value || null;
        break;
      case 'L':
        current.license = value || null;
        break;
      case 'F': {
        const path = normalizeListed(`/${value}`);
        dir = path ?? '';
        if (path) current.files.push(path);
        break;
      }
      case 'R': {
        const path = normalizeListed(`${dir}/${value}`);
        if (path) current.files.push(path);
        if (path?.startsWith('/etc/')) current.etcFiles.push(path);
        break;
      }
    }
  }
  finish(lines.length);
  return { records, diagnostics };
}

interface Draft {
  name: string;
  version: string;
  arch: string | null;
  origin: string | null;
  license: string | null;
  files: string[];
  etcFiles: string[];
}

function toRecord(draft: Draft, database: string): PackageRecord {
  return {
    manager: 'apk',
    name: draft.name,
    version: draft.version,
    architecture: draft.arch,
    epoch: null,
    source: draft.origin ? { name: draft.origin, version: null } : null,
    sourceRpm: null,
    license: draft.license,
    files: draft.files,
    // apk has no conffile flag: files under /etc are the ones `apk audit` treats as configuration.
    conffiles: draft.etcFiles,
    database,
  };
}

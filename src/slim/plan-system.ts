/**
 * Files the C library reads by convention: time zone data, and a world-writable /tmp. (The
 * loaders' own files are kept with the dependencies found through them: plan-closure.) Go
 * programs that load named zones keep the zoneinfo tree unless they carry their own.
 */
import path from 'node:path/posix';
import type { Planner } from './planner.js';

/** Where glibc, musl, Go and the programs that read zone files themselves look for them (TZDIR aside). */
export const ZONEINFO = '/usr/share/zoneinfo';

export function keepSystemFiles(p: Planner): void {
  keepTimeZone(p);
  keepGoZoneinfo(p);
  keepTmp(p);
}

/**
 * A kept Go program linking `time.LoadLocation` reads any zone the caller names from
 * /usr/share/zoneinfo (Go's first system source; Go ignores TZDIR), unless it links
 * `time/tzdata` (`import _ "time/tzdata"` or `-tags timetzdata`), whose copy it falls back to.
 */
function keepGoZoneinfo(p: Planner): void {
  for (const binary of p.keptBinaries()) {
    const elf = binary.go ? p.elf(binary.path) : null;
    if (!elf?.goFunctions?.includes('time.LoadLocation') || elf.goPackages?.includes('time/tzdata')) continue;
    keepZoneinfo(p, ZONEINFO, `${binary.path} (Go) links time.LoadLocation, which reads named zones from it (no time/tzdata compiled in)`);
    return;
  }
}

/** The zoneinfo tree at `dir`, without the leap-second `right/` variants nothing loads by default. */
export function keepZoneinfo(p: Planner, dir: string, reason: string): void {
  const found = p.fs.resolveEntry(dir);
  if (found?.entry.type !== 'directory') return;
  p.keep.keepLookup(found.path, reason, { program: false });
  for (const name of p.fs.list(found.path) ?? []) {
    if (name === 'right') continue;
    const child = `${found.path}/${name}`;
    if (p.fs.entry(child)?.type === 'directory') p.keep.keepTree(child, reason);
    else p.keep.keepLookup(child, reason);
  }
}

/** TZ names a zone file (glibc, musl and Go read it); without TZ, /etc/localtime is the zone. */
function keepTimeZone(p: Planner): void {
  const tz = p.env.get('TZ');
  const zoneDir = p.env.get('TZDIR') || ZONEINFO;
  if (tz === undefined) {
    if (p.fs.resolveEntry('/etc/localtime')) p.keep.keepLookup('/etc/localtime', 'the local time zone: read when TZ is not set', { program: false });
    return;
  }
  const name = tz.startsWith(':') ? tz.slice(1) : tz;
  if (name === '' || name.includes('..')) return;
  const file = name.startsWith('/') ? name : path.join(zoneDir, name);
  if (p.fs.resolveEntry(file)?.entry.type === 'file') p.keep.keepLookup(file, `time zone data for TZ=${tz} in Env`, { program: false });
  const zoneinfo = p.env.get('ZONEINFO');
  if (zoneinfo?.startsWith('/')) p.keep.keepLookup(zoneinfo, 'ZONEINFO in Env (Go time zone database)', { program: false });
}

/** /tmp, world-writable with the sticky bit (1777), created when the source has none. */
function keepTmp(p: Planner): void {
  const entry = p.analysis.merged.entries.get('/tmp');
  if (entry && entry.type !== 'directory') {
    p.keep.keepLookup('/tmp', 'programs expect /tmp', { program: false });
    return;
  }
  const base = entry ?? { path: '/tmp', type: 'directory' as const, size: 0, mode: 0o1777, uid: 0, gid: 0, mtime: 0, linkTarget: null, layer: -1, inode: -1 };
  if (entry) p.keep.keepEntry('/tmp', 'programs expect a writable /tmp');
  if (entry?.mode === 0o1777) return;
  p.replacements.set('/tmp', {
    kind: 'entry',
    entry: { ...base, mode: 0o1777 },
    note: entry ? `mode ${(entry.mode & 0o7777).toString(8)} → 1777` : 'created (mode 1777): programs expect a writable /tmp',
  });
}

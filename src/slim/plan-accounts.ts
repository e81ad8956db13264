/**
 * /etc/passwd and /etc/group, reduced to root and the config User: the runtime resolves a named
 * User, its HOME and its groups from them, and libc's `files` source reads them. Every other
 * account is dropped unless --keep names the file.
 */
import type { Planner } from './planner.js';

export function keepAccounts(p: Planner): void {
  const [name = '', group = ''] = (p.config.user ?? '').split(':');
  const who = name === '' || name === '0' || name === 'root' ? 'root' : `root and the User ${p.config.user}`;
  const passwd = reduce(p, '/etc/passwd', who, 'the runtime resolves the User and its HOME from it', (fields) => {
    const [entryName, , uid] = fields;
    return entryName === 'root' || uid === '0' || (name !== '' && (entryName === name || uid === name));
  });
  const primaryGid = passwd.find((fields) => fields[0] === name || fields[2] === name)?.[3];
  reduce(p, '/etc/group', who, "the runtime sets the User's groups from it", (fields) => {
    const [entryName, , gid, members = ''] = fields;
    if (entryName === 'root' || gid === '0') return true;
    if (gid !== undefined && gid === primaryGid) return true;
    if (group !== '' && (entryName === group || gid === group)) return true;
    return name !== '' && members.split(',').includes(name);
  });
}

/** Keeps `file` with only the lines `keepLine` accepts; returns the kept lines' fields. */
function reduce(p: Planner, file: string, who: string, why: string, keepLine: (fields: string[]) => boolean): string[][] {
  const found = p.fs.resolveEntry(file);
  if (!found || (found.entry.type !== 'file' && found.entry.type !== 'hardlink')) return [];
  const named = p.keep.reasons.get(found.path)?.some((reason) => reason.startsWith('--keep'));
  const text = p.fs.readText(file);
  if (named || text === null) {
    p.keep.keepLookup(file, `${why} (kept whole: ${named ? 'named with --keep' : 'too large to reduce'})`, { program: false });
    return [];
  }
  const lines = text.split('\n').filter((line) => line.trim() !== '' && !line.startsWith('#'));
  const kept = lines.filter((line) => keepLine(line.split(':')));
  const content = Buffer.from(kept.length > 0 ? `${kept.join('\n')}\n` : '');
  p.keep.keepLookup(file, `reduced to ${who}: ${why}`, { program: false });
  if (!content.equals(Buffer.from(text))) {
    p.replacements.set(found.path, { kind: 'content', content, note: `reduced from ${lines.length} to ${kept.length} entries` });
    if (file === '/etc/passwd' && lines.length > kept.length) {
      p.risk(
        found.path,
        `reduced to ${who} (${kept.length} of ${lines.length} entries): a program that switches to another account (e.g. a daemon's 'user' setting) needs --keep ${file}`,
      );
    }
  }
  return kept.map((line) => line.split(':'));
}

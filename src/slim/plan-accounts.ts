/**
 * /etc/passwd and /etc/group, reduced to root, the config User and the accounts kept config files
 * name (nginx `user www-data;`): the runtime resolves a named User, its HOME and its groups from
 * them, a daemon switches to the account its config names, and libc's `files` source reads them.
 * Every other account is dropped unless --keep names either file, which keeps both whole. The run
 * user's HOME is kept as an empty directory with its mode and owner.
 */
import type { Planner } from './planner.js';

export function keepAccounts(p: Planner): void {
  const [name = '', group = ''] = (p.config.user ?? '').split(':');
  const named = [...p.accountNames.users.keys()];
  const who = [name === '' || name === '0' || name === 'root' ? 'root' : `root and the User ${p.config.user}`, ...named.map((user) => `${user} (${p.accountNames.users.get(user)})`)].join(', ');
  const whole = ['/etc/passwd', '/etc/group'].find((file) => {
    const found = p.fs.resolveEntry(file);
    return found !== null && p.keep.reasons.get(found.path)?.some((reason) => reason.startsWith('--keep'));
  });
  const wanted = (entryName: string | undefined, id: string | undefined) =>
    entryName === 'root' || id === '0' || (name !== '' && (entryName === name || id === name)) || (entryName !== undefined && p.accountNames.users.has(entryName));
  const passwd = reduce(p, '/etc/passwd', who, 'the runtime resolves the User and its HOME from it', whole, (fields) => wanted(fields[0], fields[2]));
  const primaryGids = new Set(passwd.filter((fields) => fields[0] !== 'root').map((fields) => fields[3]));
  const members = new Set([name, ...named].filter((user) => user !== ''));
  reduce(p, '/etc/group', who, "the runtime sets the User's groups from it", whole, (fields) => {
    const [entryName = '', , gid, list = ''] = fields;
    if (entryName === 'root' || gid === '0') return true;
    if (gid !== undefined && primaryGids.has(gid)) return true;
    if (group !== '' && (entryName === group || gid === group)) return true;
    if (p.accountNames.groups.has(entryName)) return true;
    return list.split(',').some((member) => members.has(member));
  });
  keepHome(p, passwd.length > 0 ? passwd : wholePasswd(p), name);
}

/** Keeps `file` with only the lines `keepLine` accepts; returns the kept lines' fields. */
function reduce(p: Planner, file: string, who: string, why: string, whole: string | undefined, keepLine: (fields: string[]) => boolean): string[][] {
  const found = p.fs.resolveEntry(file);
  if (!found || (found.entry.type !== 'file' && found.entry.type !== 'hardlink')) return [];
  const text = p.fs.readText(file);
  if (whole || text === null) {
    p.keep.keepLookup(file, `${why} (kept whole: ${whole ? `--keep names ${whole}` : 'too large to reduce'})`, { program: false });
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
        `reduced to ${who} (${kept.length} of ${lines.length} entries): a program that switches to an account no kept config names needs --keep ${file}`,
      );
    }
  }
  return kept.map((line) => line.split(':'));
}

function wholePasswd(p: Planner): string[][] {
  return (p.fs.readText('/etc/passwd') ?? '').split('\n').map((line) => line.split(':'));
}

/** The run user's HOME (root's when User is unset), as an empty directory: programs write their dotfiles there. */
function keepHome(p: Planner, passwd: string[][], name: string): void {
  const user = name === '' ? 'root' : name;
  const home = passwd.find((fields) => fields[0] === user || fields[2] === user)?.[5];
  if (!home || home === '/' || !home.startsWith('/')) return;
  const found = p.fs.resolveEntry(home);
  if (found?.entry.type !== 'directory') return;
  p.keep.keepLookup(home, `HOME of the run user ${user} (from /etc/passwd): kept empty, with its mode and owner`, { program: false });
}

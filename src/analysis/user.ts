/**
 * The config User as runc resolves it: a numeric uid/gid needs nothing; a name must be in the
 * image's /etc/passwd (or /etc/group), else the container fails before the program starts.
 */
import type { ImageFs } from './image-fs.js';

export function checkUser(user: string | null, fs: ImageFs): string[] {
  if (!user) return [];
  const [name = '', group] = user.split(':');
  const problems: string[] = [];
  if (name !== '' && !/^\d+$/.test(name) && !hasName(fs.readText('/etc/passwd'), name)) {
    problems.push(`unable to find user ${name}: no matching entries in /etc/passwd`);
  }
  if (group !== undefined && group !== '' && !/^\d+$/.test(group) && !hasName(fs.readText('/etc/group'), group)) {
    problems.push(`unable to find group ${group}: no matching entries in /etc/group`);
  }
  return problems;
}

/** Whether a passwd/group-format file has an entry named `name`. */
export function hasName(text: string | null, name: string): boolean {
  if (text === null) return false;
  return text.split('\n').some((line) => line.split(':')[0] === name);
}

/** Whether the config User means root (empty, `0`, `root`, `0:…`, `root:…`). */
export function runsAsRoot(user: string | null): boolean {
  const name = (user ?? '').split(':')[0] ?? '';
  return name === '' || name === '0' || name === 'root';
}

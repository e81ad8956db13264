/**
 * What a container runtime derives from the image config before exec: the uid and gid of `User`
 * (numeric, or looked up in the unpacked root's /etc/passwd and /etc/group as runc does), the
 * environment (Env, PATH defaulted as Docker does, HOME from the passwd entry when Env lacks it)
 * and the working directory.
 */
import { lstatSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { ContainerConfig } from '../image/index.js';
import { UsageError } from '../shared/errors.js';

export const DEFAULT_PATH = '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';

export interface ProcessSpec {
  uid: number;
  gid: number;
  env: string[];
  workingDir: string;
}

export function processSpec(root: string, config: ContainerConfig): ProcessSpec {
  const [user = '', group] = (config.User ?? '').split(':');
  const passwd = accountLines(root, '/etc/passwd');
  let uid = 0;
  let gid = 0;
  let home = '/';
  if (user !== '') {
    const numeric = /^\d+$/.test(user);
    const entry = passwd.find((fields) => (numeric ? fields[2] === user : fields[0] === user));
    if (!entry && !numeric) throw new UsageError(`probe: unable to find user ${user}: no matching entries in the image's /etc/passwd`);
    uid = Number(numeric ? user : entry![2]);
    gid = entry ? Number(entry[3]) : 0;
    home = entry?.[5] || '/';
  } else {
    home = passwd.find((fields) => fields[2] === '0')?.[5] || '/root';
  }
  if (group !== undefined && group !== '') {
    if (/^\d+$/.test(group)) gid = Number(group);
    else {
      const entry = accountLines(root, '/etc/group').find((fields) => fields[0] === group);
      if (!entry) throw new UsageError(`probe: unable to find group ${group}: no matching entries in the image's /etc/group`);
      gid = Number(entry[2]);
    }
  }
  const env = [...(config.Env ?? [])];
  if (!env.some((item) => item.startsWith('PATH='))) env.unshift(`PATH=${DEFAULT_PATH}`);
  if (!env.some((item) => item.startsWith('HOME='))) env.push(`HOME=${home}`);
  return { uid, gid, env, workingDir: config.WorkingDir || '/' };
}

/** The colon-separated lines of an account file of the root; none when it is missing or a symlink (which could leave the root). */
function accountLines(root: string, file: string): string[][] {
  const target = path.join(root, file);
  try {
    if (!lstatSync(target).isFile()) return [];
    return readFileSync(target, 'utf8')
      .split('\n')
      .filter((line) => line !== '' && !line.startsWith('#'))
      .map((line) => line.split(':'));
  } catch {
    return [];
  }
}

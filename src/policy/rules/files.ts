/** Rules over the final filesystem and the config: setuid, world-writable, capabilities, user. */
import type { FsEntry } from '../../report/index.js';
import { fileViolation, flagRule, octalMode } from './evidence.js';

function isRegular(entry: FsEntry): boolean {
  return entry.type === 'file' || entry.type === 'hardlink';
}

function owner(entry: FsEntry): string {
  return `owner ${entry.uid}:${entry.gid}`;
}

export const noSetuid = flagRule({
  name: 'no-setuid',
  title: 'No setuid or setgid files',
  description: 'No regular file has the setuid or setgid bit: nothing in the image can gain privileges when run.',
  scope: 'files',
  evaluate: (report) =>
    report.filesystem.entries
      .filter((entry) => isRegular(entry) && (entry.mode & 0o6000) !== 0)
      .map((entry) => {
        const bits = [entry.mode & 0o4000 ? 'setuid' : '', entry.mode & 0o2000 ? 'setgid' : ''].filter(Boolean).join('+');
        const who = entry.mode & 0o4000 ? (entry.uid === 0 ? ' root' : ` uid ${entry.uid}`) : '';
        return fileViolation(entry.path, `is ${bits}${who} (mode ${octalMode(entry.mode)}, ${owner(entry)})`, 'setuid');
      }),
});

export const noWorldWritable = flagRule({
  name: 'no-world-writable',
  title: 'No world-writable files or directories',
  description:
    'No file, directory or device is writable by every user. Directories with the sticky bit (like /tmp, mode 1777) are allowed: users cannot replace each other’s files there. Symlinks are not checked (their mode means nothing).',
  scope: 'files',
  evaluate: (report) =>
    report.filesystem.entries
      .filter((entry) => entry.type !== 'symlink' && (entry.mode & 0o002) !== 0)
      .filter((entry) => !(entry.type === 'directory' && (entry.mode & 0o1000) !== 0))
      .map((entry) => fileViolation(entry.path, `is a world-writable ${entry.type} (mode ${octalMode(entry.mode)}, ${owner(entry)})`, 'world-writable')),
});

export const noCapabilities = flagRule({
  name: 'no-capabilities',
  title: 'No file capabilities',
  description: 'No file carries capabilities (a security.capability extended attribute) that grant privileges when it runs.',
  scope: 'files',
  evaluate: (report) =>
    report.filesystem.entries
      .filter((entry) => (entry.capabilities?.length ?? 0) > 0 || entry.xattrs.includes('security.capability'))
      .map((entry) => {
        const caps = entry.capabilities?.length ? entry.capabilities.join(', ') : 'a security.capability xattr that could not be decoded';
        return fileViolation(entry.path, `has file capabilities: ${caps}`, 'capabilities');
      }),
});

export const nonRootUser = flagRule({
  name: 'non-root-user',
  title: 'The container does not run as root',
  description:
    "The image config's User is set to a user other than root (a name other than `root`, or a uid other than 0). A name is not looked up in /etc/passwd.",
  scope: 'image',
  evaluate: (report) => {
    const user = report.config.user ?? '';
    const name = user.split(':')[0] ?? '';
    if (name !== '' && name !== 'root' && !/^0+$/.test(name)) return [];
    const evidence = name === '' ? `User is ${user === '' ? 'not set' : `'${user}'`}: the container runs as root (uid 0)` : `User is '${user}': uid 0`;
    return [{ path: null, message: `the container runs as root: ${evidence}`, evidence, key: 'non-root-user' }];
  },
  passMessage: (report) => `User is '${report.config.user ?? ''}'`,
});

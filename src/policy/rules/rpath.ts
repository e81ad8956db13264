/**
 * no-insecure-rpath: RPATH/RUNPATH entries another user could plant a library in. Empty and
 * relative entries resolve against the working directory; `$ORIGIN` in a setuid/setgid file
 * follows wherever the file is hard-linked; directories that are world-writable (in the image,
 * or /tmp, /var/tmp and /dev/shm which runtimes mount writable) let anyone add libraries.
 */
import path from 'node:path/posix';
import type { Binary, FsEntry } from '../../report/index.js';
import { fileViolation, flagRule, isLoadable, octalMode } from './evidence.js';

const WRITABLE_AT_RUN_TIME = ['/tmp', '/var/tmp', '/dev/shm'];

export const noInsecureRpath = flagRule({
  name: 'no-insecure-rpath',
  title: 'No insecure library search paths',
  description:
    'No RPATH or RUNPATH entry is empty or relative (both mean the working directory), uses $ORIGIN in a setuid/setgid file, or points into a world-writable directory (/tmp, /var/tmp, /dev/shm, or one the image makes world-writable).',
  scope: 'files',
  evaluate: (report) => {
    const entries = new Map(report.filesystem.entries.map((entry) => [entry.path, entry]));
    return report.binaries.filter(isLoadable).flatMap((binary) =>
      searchPathProblems(binary, entries).map((problem) => fileViolation(binary.path, problem.evidence, problem.key)),
    );
  },
});

function searchPathProblems(binary: Binary, entries: Map<string, FsEntry>): Array<{ evidence: string; key: string }> {
  const mode = entries.get(binary.path)?.mode ?? 0;
  const privileged = (mode & 0o6000) !== 0;
  const problems: Array<{ evidence: string; key: string }> = [];
  const tags: Array<['RPATH' | 'RUNPATH', string[]]> = [
    ['RPATH', binary.rpath],
    ['RUNPATH', binary.runpath],
  ];
  for (const [tag, list] of tags) {
    for (const item of list) {
      const problem = entryProblem(item, binary.path, privileged, mode, entries);
      if (problem) problems.push({ evidence: `${tag} entry ${item === '' ? "''" : item} ${problem}`, key: `${tag} ${item}` });
    }
  }
  return problems;
}

function entryProblem(item: string, file: string, privileged: boolean, mode: number, entries: Map<string, FsEntry>): string | null {
  if (item === '') return 'is empty: it means the working directory';
  const origin = /^\$(?:ORIGIN|\{ORIGIN\})(?=\/|$)/;
  if (origin.test(item) && privileged) {
    return `uses $ORIGIN in a ${mode & 0o4000 ? 'setuid' : 'setgid'} file (mode ${octalMode(mode)}): a hard link elsewhere changes what it loads`;
  }
  if (!item.startsWith('/') && !origin.test(item)) return 'is relative: it resolves against the working directory';
  const directory = path.normalize(item.replace(origin, path.dirname(file)));
  const writable = worldWritableAncestor(directory, entries);
  return writable ? `is under world-writable ${writable}: any user can add a library there` : null;
}

/** The first directory from the root down to `directory` that anyone may write to, if any. */
function worldWritableAncestor(directory: string, entries: Map<string, FsEntry>): string | null {
  let current = '';
  for (const part of directory.split('/').filter(Boolean)) {
    current += `/${part}`;
    if (WRITABLE_AT_RUN_TIME.includes(current)) return current;
    const entry = entries.get(current);
    if (entry?.type === 'directory' && (entry.mode & 0o002) !== 0) return `${current} (mode ${octalMode(entry.mode)})`;
  }
  return null;
}

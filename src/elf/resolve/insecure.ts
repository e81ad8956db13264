/**
 * RPATH/RUNPATH entries that let whoever controls the working directory (or a world-writable
 * one) plant libraries: empty and relative entries (glibc `fillin_rpath` takes them from the
 * current directory), entries under /tmp-like directories, and $ORIGIN in setuid/setgid
 * programs (glibc drops it unless it expands inside a trusted directory, musl always).
 */
import type { ElfInfo } from '../types.js';

const WORLD_WRITABLE = ['/tmp', '/var/tmp', '/dev/shm'];

/** One line per risky search-path entry. */
export function insecureSearchPaths(elf: ElfInfo, options: { setuid: boolean }): string[] {
  const dynamic = elf.dynamic;
  if (!dynamic) return [];
  const issues: string[] = [];
  for (const [tag, entries] of [['RPATH', dynamic.rpath], ['RUNPATH', dynamic.runpath]] as const) {
    // A whole empty string is ignored by ld.so; an empty element inside a list is the working directory.
    if (entries.length === 0 || (entries.length === 1 && entries[0] === '')) continue;
    for (const entry of entries) issues.push(...entryIssues(tag, entry, options.setuid));
  }
  return [...new Set(issues)];
}

function entryIssues(tag: 'RPATH' | 'RUNPATH', entry: string, setuid: boolean): string[] {
  if (entry === '') return [`${tag} has an empty entry: libraries are looked up in the working directory`];
  const usesOrigin = /\$(ORIGIN|\{ORIGIN\})/.test(entry);
  const issues: string[] = [];
  if (!entry.startsWith('/') && !/^\$(ORIGIN|\{ORIGIN\})/.test(entry) && !/^\$(LIB|\{LIB\}|PLATFORM|\{PLATFORM\})/.test(entry)) {
    issues.push(`${tag} entry '${entry}' is relative: libraries are looked up relative to the working directory`);
  }
  if (WORLD_WRITABLE.some((dir) => entry === dir || entry.startsWith(`${dir}/`))) {
    issues.push(`${tag} entry '${entry}' is in a world-writable directory: anyone can plant a library there`);
  }
  if (usesOrigin && setuid) {
    issues.push(`${tag} entry '${entry}' uses $ORIGIN in a setuid/setgid program: hard links can point it at attacker-controlled directories (glibc accepts it only inside trusted directories, musl ignores it)`);
  }
  return issues;
}

/**
 * Fixtures other projects published, read in place from ../shared/peer-corpus (never copied
 * into this repository). Absent on a user's fresh clone: tests that use them skip with a notice.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
export const peerCorpusRoot = path.resolve(repoRoot, '..', 'shared', 'peer-corpus');

/** Absolute path of a peer-corpus folder, or undefined (with a one-time notice) when absent. */
export function peerCorpus(folder: string): string | undefined {
  const dir = path.join(peerCorpusRoot, folder);
  if (existsSync(dir)) return dir;
  if (!noticed.has(folder)) {
    noticed.add(folder);
    console.warn(`[imgslim tests] ../shared/peer-corpus/${folder} is absent: skipping the tests that read it`);
  }
  return undefined;
}

const noticed = new Set<string>();

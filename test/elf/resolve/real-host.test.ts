/**
 * This machine as one big image: for a sample of its programs and libraries, resolveClosure
 * over `/` must list what this machine's ld.so lists (`ld.so --list`), path for path. Objects
 * whose real load picks a CPU-specific glibc-hwcaps variant are left out (we model a baseline CPU).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, lstatSync, readdirSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { parseElf } from '../../../src/elf/parse.js';
import { createDirLookup, resolveClosure, type ResolutionResult } from '../../../src/elf/resolve/index.js';

const LDSO = '/lib64/ld-linux-x86-64.so.2';
const SAMPLE = 60;

/** The path as ld.so prints it: the candidate it opened, before symlinks. */
function spelled(result: ResolutionResult): string[] {
  return result.deps
    .filter((d) => !['interpreter', 'vdso', 'already-loaded'].includes(d.via))
    .map((d) => {
      if (d.path === null) return `${d.name} not found`;
      const opened = d.via === 'ld.so.cache' || d.via === 'path' ? d.chain[0]! : `${d.viaDetail}/${d.name}`;
      return `${d.name} ${opened}`;
    });
}

function realList(file: string): string[] | null {
  const run = spawnSync(LDSO, ['--list', file], { encoding: 'utf8', timeout: 20_000 });
  const lines: string[] = [];
  for (const line of run.stdout.split('\n')) {
    const match = /^\t(\S+) => (.+?)(?: \(0x[0-9a-f]+\))?$/.exec(line);
    if (match) lines.push(`${match[1]} ${match[2]}`);
  }
  return lines.some((line) => line.includes('/glibc-hwcaps/')) ? null : lines;
}

describe.skipIf(!existsSync(LDSO) || process.arch !== 'x64')('this machine’s ld.so agrees on its own programs and libraries', () => {
  const lookup = createDirLookup('/', parseElf);
  const pick = (dir: string, wantInterpreter: boolean) =>
    readdirSync(dir)
      .sort()
      .map((name) => `${dir}/${name}`)
      .filter((file) => lstatSync(file).isFile())
      .filter((file) => {
        const elf = lookup.elf(file);
        return elf !== null && elf.machine === 62 && (wantInterpreter ? elf.interpreter !== null : elf.interpreter === null && (elf.dynamic?.needed.length ?? 0) > 0);
      })
      .slice(0, SAMPLE);

  for (const [label, dir, programs] of [['programs in /usr/bin', '/usr/bin', true], ['libraries in /usr/lib/x86_64-linux-gnu', '/usr/lib/x86_64-linux-gnu', false]] as const) {
    test.skipIf(!existsSync(dir))(label, () => {
      const files = pick(dir, programs);
      expect(files.length).toBeGreaterThan(0);
      let compared = 0;
      for (const file of files) {
        const real = realList(file);
        if (real === null) continue;
        const ours = resolveClosure(file, lookup.elf(file)!, lookup, { env: [] });
        expect(`${file}: ${spelled(ours).join(', ')}`).toBe(`${file}: ${real.join(', ')}`);
        compared++;
      }
      expect(compared).toBeGreaterThan(0);
    });
  }
});

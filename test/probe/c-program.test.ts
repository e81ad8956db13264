/**
 * A C program that fopen()s a data file by a name it builds at run time (no string in the binary
 * names it, so static analysis cannot see it), compiled here with gcc (dynamic glibc, on a Debian
 * base) and with musl-gcc -static: the default slim drops the file and the slimmed program fails;
 * with --probe the file is kept and the verification passes. The static build shows the tracer
 * does not rely on the dynamic loader.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, test } from 'vitest';
import { runCliInProcess } from '../helpers/cli.js';
import type { EntrySpec } from '../helpers/image-builder.js';
import { hasTool, isRoot, testTmp } from '../helpers/tools.js';
import { baseLayer, programEntry, writeImageFile } from '../slim/_host-images.js';
import { listRootfs, runInRootfs, unpack } from '../slim/_support.js';

const SOURCE = `#include <stdio.h>
int main(void) {
  char name[64];
  /* "/usr/share/app/table.dat", assembled so that no string in the binary names it */
  snprintf(name, sizeof name, "%cusr%cshare%capp%c%s.%s", 47, 47, 47, 47, "table", "dat");
  FILE *file = fopen(name, "r");
  if (!file) { perror("open"); return 3; }
  char line[128];
  while (fgets(line, sizeof line, file)) fputs(line, stdout);
  fclose(file);
  return 0;
}
`;

const canRun = isRoot('the probe sandbox tests') && ['gcc', 'musl-gcc', 'strace', 'unshare', 'nsenter', 'ip', 'skopeo', 'umoci', 'python3'].every((tool) => hasTool(tool));
const work = testTmp('probe', 'c');

function compile(compiler: string, flags: string[]): string {
  mkdirSync(work, { recursive: true });
  const source = path.join(work, 'table.c');
  writeFileSync(source, SOURCE);
  const out = path.join(work, `table-${compiler}`);
  execFileSync(compiler, ['-O2', ...flags, '-o', out, source], { stdio: 'pipe' });
  return out;
}

const DATA: EntrySpec[] = [
  { path: 'usr/share/app/table.dat', content: 'alpha 1\nbeta 2\n' },
  { path: 'usr/share/app/other.dat', content: 'never read\n' },
];

describe.skipIf(!canRun)('slim --probe on a C program reading a file named at run time', () => {
  const cases = [
    { name: 'gcc, dynamic glibc', build: () => compile('gcc', []), base: () => baseLayer() },
    { name: 'musl-gcc -static', build: () => compile('musl-gcc', ['-static']), base: (): EntrySpec[] => [] },
  ];
  for (const { name, build, base } of cases) {
    test(name, async () => {
      const binary = build();
      const dir = path.join(work, name.replace(/\W+/g, '-'));
      rmSync(dir, { recursive: true, force: true });
      mkdirSync(dir, { recursive: true });
      const input = await writeImageFile('docker25', path.join(dir, 'in.tar'), {
        layers: [{ entries: [...base(), programEntry('app/table', binary), ...DATA], compression: 'gzip' }],
        containerConfig: { Entrypoint: ['/app/table'] },
      });

      const plain = await runCliInProcess(['slim', input, '-o', path.join(dir, 'plain.tar'), '-q', '-f', 'json']);
      expect(plain.code, plain.stderr).toBe(0);
      const plainRoot = unpack(path.join(dir, 'plain.tar'), 'docker-archive', path.join(dir, 'plain'));
      expect(listRootfs(plainRoot).has('/usr/share/app/table.dat')).toBe(false);
      const failing = runInRootfs(plainRoot, { argv: ['/app/table'], env: ['PATH=/usr/bin:/bin'] });
      expect(failing.code, failing.stderr).toBe(3);

      const probed = await runCliInProcess(['slim', input, '-o', path.join(dir, 'probed.tar'), '-f', 'json', '--probe', '/app/table']);
      expect(probed.code, probed.stderr).toBe(0);
      expect(probed.stderr).toContain('verified');
      const root = unpack(path.join(dir, 'probed.tar'), 'docker-archive', path.join(dir, 'probed'));
      const files = listRootfs(root);
      expect(files.has('/usr/share/app/table.dat')).toBe(true);
      expect(files.has('/usr/share/app/other.dat')).toBe(false);
      const run = runInRootfs(root, { argv: ['/app/table'], env: ['PATH=/usr/bin:/bin'] });
      expect(run.code, run.stderr).toBe(0);
      expect(run.stdout).toBe('alpha 1\nbeta 2\n');
    }, 120_000);
  }
});

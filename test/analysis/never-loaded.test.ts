/**
 * Binaries that are files, not programs: counted apart and kept out of load rules.
 * - Go's source tree ships debug/elf/testdata/gcc-386-freebsd-exec, a FreeBSD executable of mode
 *   0644: `check --rule no-missing-deps` failed on golang images because of it.
 * - dive's test image has one busybox hard-linked under hundreds of names: it is one executable.
 */
import { copyFileSync, existsSync, readFileSync, realpathSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, test } from 'vitest';
import { runCliInProcess } from '../helpers/cli.js';
import { peerCorpus } from '../helpers/peer-corpus.js';
import { hasTool } from '../helpers/tools.js';
import { compileC, glibcEntries, hasGcc, HELLO_C, scratchDir, writeImage } from './_images.js';

const FREEBSD_TESTDATA = '/usr/share/go-1.19/src/debug/elf/testdata/gcc-386-freebsd-exec';
const corpus = peerCorpus('golang-debug-elf');

describe.skipIf(!corpus || !hasGcc)('a FreeBSD test executable of mode 0644 in a glibc image', () => {
  test('is never loaded: info, counted apart, and no-missing-deps passes', async () => {
    const image = await writeImage(
      'oci-archive',
      {
        layers: [
          { entries: glibcEntries() },
          {
            entries: [
              { path: 'app/hello', content: compileC(HELLO_C), mode: 0o755 },
              { path: FREEBSD_TESTDATA.slice(1), content: readFileSync(path.join(corpus!, 'gcc-386-freebsd-exec')), mode: 0o644 },
              { path: 'opt/riscv/hello', content: readFileSync(path.join(corpus!, 'gcc-riscv64-linux-exec')), mode: 0o755 },
            ],
          },
        ],
        containerConfig: { Entrypoint: ['/app/hello'] },
      },
      'freebsd',
    );
    const analyzed = await runCliInProcess(['analyze', image, '-f', 'json', '-q']);
    expect(analyzed.code, analyzed.stderr).toBe(0);
    const report = JSON.parse(analyzed.stdout);
    const byPath = new Map(report.binaries.map((binary: { path: string }) => [binary.path, binary]));
    expect((byPath.get(FREEBSD_TESTDATA) as { neverLoaded: string }).neverLoaded).toBe("built for FreeBSD (OS ABI 9): Linux's loader never loads it");
    expect((byPath.get('/opt/riscv/hello') as { neverLoaded: string }).neverLoaded).toMatch(/^built for RISC-V .* but the image is linux\/amd64: exec format error: no program in the image can load it$/);
    expect((byPath.get('/app/hello') as { neverLoaded: null }).neverLoaded).toBeNull();
    expect(report.summary.counts).toMatchObject({ neverLoaded: 2, failing: 0 });
    expect(report.findings.filter((finding: { path: string }) => finding.path === FREEBSD_TESTDATA)).toEqual([
      { id: 'never-loaded', severity: 'info', path: FREEBSD_TESTDATA, message: "never loaded: built for FreeBSD (OS ABI 9): Linux's loader never loads it" },
    ]);

    const check = await runCliInProcess(['check', image, '--rule', 'no-missing-deps', '-q']);
    expect(check.code, check.stdout + check.stderr).toBe(0);
  });
});

describe.skipIf(!hasGcc)('an executable without an execute bit', () => {
  test('that no object loads is never loaded; a 0644 library stays loadable', async () => {
    const hello = compileC(HELLO_C);
    const image = await writeImage(
      'oci-archive',
      {
        layers: [
          {
            entries: [
              ...glibcEntries(),
              { path: 'app/hello', content: hello, mode: 0o755 },
              { path: 'usr/share/doc/example/hello', content: hello, mode: 0o644 },
              { path: 'usr/lib/plugins/libc-copy.so.6', content: readFileSync(realpathSync('/lib/x86_64-linux-gnu/libc.so.6')), mode: 0o644 },
            ],
          },
        ],
        containerConfig: { Entrypoint: ['/app/hello'] },
      },
      'noexec',
    );
    const report = JSON.parse((await runCliInProcess(['analyze', image, '-f', 'json', '-q'])).stdout);
    const never = report.binaries.filter((binary: { neverLoaded: string | null }) => binary.neverLoaded !== null);
    expect(never.map((binary: { path: string; neverLoaded: string }) => [binary.path, binary.neverLoaded])).toEqual([
      ['/usr/share/doc/example/hello', 'mode 0644: not executable, and no object in the image loads it'],
    ]);
  });
});

describe.skipIf(!existsSync('/bin/busybox') || !hasTool('busybox', 'the hard-linked busybox test'))('one busybox hard-linked under 394 names (dive’s test image)', () => {
  test('is one ELF executable with 394 paths, each path still listed', async () => {
    const dir = scratchDir('busybox');
    copyFileSync('/bin/busybox', path.join(dir, 'busybox'));
    const names = Array.from({ length: 393 }, (_, i) => `bin/applet${String(i).padStart(3, '0')}`);
    const image = await writeImage(
      'oci-archive',
      {
        layers: [{ entries: [{ path: 'bin/busybox', content: readFileSync('/bin/busybox'), mode: 0o755 }, ...names.map((name) => ({ path: name, type: 'hardlink' as const, target: 'bin/busybox' }))] }],
        containerConfig: { Entrypoint: ['/bin/busybox', 'true'] },
      },
      'hardlinks',
    );
    const analyzed = await runCliInProcess(['analyze', image, '-f', 'json', '-q']);
    const report = JSON.parse(analyzed.stdout);
    expect(report.summary.counts).toMatchObject({ binaries: 1, paths: 394, executables: 1 });
    expect(report.binaries).toHaveLength(394);
    const busybox = report.binaries.find((binary: { path: string }) => binary.path === '/bin/busybox');
    expect(busybox.hardLinks).toEqual(names.map((name) => `/${name}`));
    const text = await runCliInProcess(['analyze', image, '-q']);
    expect(text.stdout).toMatch(/1 ELF: 1 executable · 0 libraries \(394 paths: hard links counted once\)/);
  });
});

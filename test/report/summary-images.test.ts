/**
 * The summary's entrypoint verdict against independent tools, on images built here from this
 * machine's files (glibc C dynamic and static, Go with CGO_ENABLED=1 and 0, musl with an apk
 * database) and on the samples: the glibc floor is the highest GLIBC_x.y `readelf -V` lists
 * among the closure's version needs (lddtree's closure, glibc's own objects apart); the glibc
 * provided is the version string inside the image's libc.so.6 and its highest `readelf -V`
 * definition; Go's version and CGO_ENABLED are what `go version -m` prints.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { readFileSync, realpathSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, test } from 'vitest';
import { analyzeImage } from '../../src/analysis/index.js';
import type { Report } from '../../src/report/index.js';
import { renderTextReport } from '../../src/ui/index.js';
import { repoRoot } from '../helpers/peer-corpus.js';
import { hasTool, testTmp } from '../helpers/tools.js';
import { baseLayer, buildGo, canBuildGo, compileC, programEntry, writeImageFile } from '../slim/_host-images.js';

const HOST_LIBC = '/usr/lib/x86_64-linux-gnu/libc.so.6';
const MUSL_LIBC = '/lib/x86_64-linux-musl/libc.so';
const work = testTmp('report', 'summary');

const ready = ['readelf', 'gcc', 'go', 'musl-gcc', 'lddtree', 'dpkg-query'].every((tool) => hasTool(tool, 'the summary verdict checks'));

type Version = [number, number];
const parse = (name: string): Version | null => {
  const m = /^GLIBC_(\d+)\.(\d+)$/.exec(name);
  return m ? [Number(m[1]), Number(m[2])] : null;
};
const max = (versions: Version[]): Version | null =>
  versions.reduce<Version | null>((best, v) => (!best || v[0] > best[0] || (v[0] === best[0] && v[1] > best[1]) ? v : best), null);
const text = (v: Version | null) => (v ? `${v[0]}.${v[1]}` : null);

/** `readelf -V`: the GLIBC_ versions a file needs and the ones it defines. */
function readelfVersions(file: string): { needs: Version[]; defines: Version[] } {
  const out = execFileSync('readelf', ['-V', '--wide', file], { encoding: 'utf8' });
  const defs = out.split(/^Version needs section/m)[0]!.split(/^Version definition section/m)[1] ?? '';
  const needs = out.split(/^Version needs section/m)[1] ?? '';
  const names = (section: string) =>
    [...section.matchAll(/Name: (GLIBC_[\d.]+)\s/g)].flatMap((m): Version[] => {
      const version = parse(m[1]!);
      return version ? [version] : [];
    });
  return { needs: names(needs), defines: names(defs) };
}

/** The glibc floor of a program over its lddtree closure, objects that define GLIBC_ versions (glibc's own) apart. */
function readelfFloor(program: string): string | null {
  const closure = execFileSync('/usr/bin/python3', ['/usr/bin/lddtree', '-l', program], { encoding: 'utf8' }).trim().split('\n');
  const needs = closure.flatMap((file) => {
    const { needs, defines } = readelfVersions(file);
    return defines.length > 0 ? [] : needs;
  });
  return text(max(needs));
}

/** `GNU C Library (Debian GLIBC 2.36-9+deb12u14) stable release version 2.36.` → `2.36`. */
function libcVersionString(file: string): string {
  const match = /GNU C Library [^\n\0]*? release version (\d+\.\d+)/.exec(readFileSync(file, 'latin1'));
  if (!match) throw new Error(`no version string in ${file}`);
  return match[1]!;
}

function goVersionM(binary: string): { version: string; cgo: boolean } {
  const out = execFileSync('go', ['version', '-m', binary], { encoding: 'utf8' });
  return { version: /^\S+: (go\S+)/.exec(out)![1]!, cgo: /^\s+build\s+CGO_ENABLED=1$/m.test(out) };
}

async function analyzeBuilt(name: string, program: string, entries = baseLayer()): Promise<Report> {
  const file = await writeImageFile('oci-archive', path.join(work, `${name}.tar`), {
    containerConfig: { Entrypoint: ['/app/prog'], Cmd: null, User: '1000' },
    layers: [{ entries, compression: 'gzip' }, { entries: [programEntry('app/prog', program)], compression: 'gzip' }],
  });
  return analyzeImage(file);
}

describe.skipIf(!ready || !canBuildGo)('the entrypoint verdict agrees with readelf -V, the libc version string and go version -m', () => {
  const glibcProvided = libcVersionString(HOST_LIBC);

  test('the image libc: its version string equals its highest GLIBC_ definition', () => {
    expect(text(max(readelfVersions(HOST_LIBC).defines))).toBe(glibcProvided);
  });

  test('glibc dynamic C program', async () => {
    const program = compileC('hello');
    expect(readelfFloor(program)).toMatch(/^2\.\d+$/);
    const verdict = (await analyzeBuilt('c-dynamic', program)).summary.entrypoint!;
    expect(verdict).toMatchObject({
      program: '/app/prog',
      linkage: 'dynamic',
      libc: 'glibc',
      glibcRequired: readelfFloor(program),
      libcProvided: { family: 'glibc', path: realpathSync(HOST_LIBC), version: glibcProvided, versionFrom: 'verdef' },
      go: null,
      canStart: true,
    });
    expect(verdict.checked).toContain(`GLIBC_${readelfFloor(program)} ≤ ${glibcProvided} (symbol versions)`);
  });

  test('Go CGO_ENABLED=1: dynamic, its floor over the closure, go version and cgo as go version -m says', async () => {
    const program = buildGo().cgo;
    const report = await analyzeBuilt('go-cgo', program);
    const go = goVersionM(program);
    expect(go.cgo).toBe(true);
    expect(readelfFloor(program)).toMatch(/^2\.\d+$/);
    expect(report.summary.entrypoint).toMatchObject({
      linkage: 'dynamic',
      libc: 'glibc',
      glibcRequired: readelfFloor(program),
      libcProvided: { family: 'glibc', version: glibcProvided },
      go: { version: go.version, cgoEnabled: true },
      canStart: true,
    });
    // The Report's libc.so.6 record carries what it provides (its highest readelf -V definition); programs carry none.
    const libc = report.binaries.find((b) => b.path === realpathSync(HOST_LIBC))!;
    expect(libc.glibcProvided).toBe(`GLIBC_${glibcProvided}`);
    expect(report.binaries.find((b) => b.path === '/app/prog')!.glibcProvided).toBeNull();
    // The binaries table shows what libc.so.6 provides, not its own floor (GLIBC_2.35 on ld.so).
    const row = renderTextReport(report).split('\n').find((line) => line.includes(`${realpathSync(HOST_LIBC)} `))!;
    expect(row).toContain(`provides ${glibcProvided}`);
    expect(row).not.toMatch(/\s2\.35\s/);
    expect(report.summary.binaryOrder.slice(0, 2)).toEqual(['/app/prog', report.binaries.find((b) => b.path === '/app/prog')!.resolved[0]!.path]);
  });

  test('Go CGO_ENABLED=0: static, no libc needed; the image still says which glibc it has', async () => {
    const program = buildGo().static;
    const go = goVersionM(program);
    expect(go.cgo).toBe(false);
    expect((await analyzeBuilt('go-static', program)).summary.entrypoint).toMatchObject({
      linkage: 'static',
      libc: 'none',
      glibcRequired: null,
      libcProvided: { family: 'glibc', version: glibcProvided },
      go: { version: go.version, cgoEnabled: false },
      canStart: true,
      checked: expect.arrayContaining(['static: no loader or shared libraries needed']),
    });
  });

  test('static glibc C program', async () => {
    const program = compileC('hello', ['-static']);
    expect(readelfVersions(program).needs).toEqual([]);
    expect((await analyzeBuilt('c-static', program)).summary.entrypoint).toMatchObject({ linkage: 'static', glibcRequired: null, go: null, canStart: true });
  });

  /** What musl's loader prints when run with no arguments (`Version 1.2.3`), and dpkg's upstream version of the package. */
  const muslPrinted = () => {
    const run = spawnSync(MUSL_LIBC, [], { encoding: 'utf8' });
    return /^Version (\S+)$/m.exec(`${run.stdout}${run.stderr}`)?.[1];
  };
  const muslPackaged = () => execFileSync('dpkg-query', ['-W', '-f', '${Version}', 'musl'], { encoding: 'utf8' }).replace(/-[^-]*$/, '');

  test("musl: the loader the closure loads, versioned by the apk package that owns it, else by the version string it embeds", async () => {
    const program = path.join(work, 'hello-musl');
    execFileSync('musl-gcc', ['-O2', '-o', program, path.join(repoRoot, 'native', 'hello.c')]);
    const upstream = muslPrinted()!;
    expect(upstream).toBe(muslPackaged());
    const loader = { path: 'lib/ld-musl-x86_64.so.1', content: readFileSync(MUSL_LIBC), mode: 0o755 };
    const db = `P:musl\nV:${upstream}-r4\nA:x86_64\no:musl\nF:lib\nR:ld-musl-x86_64.so.1\n\n`;
    const packaged = await analyzeBuilt('musl', program, [loader, { path: 'lib/apk/db/installed', content: db }]);
    expect(packaged.summary.entrypoint).toMatchObject({
      linkage: 'dynamic',
      libc: 'musl',
      glibcRequired: null,
      libcProvided: { family: 'musl', path: '/lib/ld-musl-x86_64.so.1', version: `${upstream}-r4`, versionFrom: 'package' },
      canStart: true,
    });
    const bare = await analyzeBuilt('musl-bare', program, [loader]);
    expect(bare.summary.entrypoint!.libcProvided).toEqual({ family: 'musl', path: '/lib/ld-musl-x86_64.so.1', version: upstream, versionFrom: 'embedded' });
    expect(bare.binaries.find((b) => b.path === '/lib/ld-musl-x86_64.so.1')!.muslVersion).toBe(upstream);
    expect(bare.binaries.find((b) => b.path === '/app/prog')!.muslVersion).toBeNull();
    expect(renderTextReport(bare)).toContain(`image provides musl ${upstream} (version string in /lib/ld-musl-x86_64.so.1)`);
  });

  test("samples: musl without a package database, versioned by its libc's own string; busybox is static", async () => {
    const musl = await analyzeImage(path.join(repoRoot, 'samples', 'musl-dynamic.tar'));
    // samples/README.md: its loader is Debian 12's musl 1.2.3-1 libc.so.
    const libcProvided = { family: 'musl', path: '/lib/ld-musl-x86_64.so.1', version: '1.2.3', versionFrom: 'embedded' };
    expect(musl.summary.entrypoint).toMatchObject({ linkage: 'dynamic', libc: 'musl', libcProvided });
    const busybox = await analyzeImage(path.join(repoRoot, 'samples', 'layers.tar'));
    expect(busybox.summary.entrypoint).toMatchObject({ program: '/bin/busybox', linkage: 'static', libc: 'none', libcProvided: null, canStart: true });
  });
});

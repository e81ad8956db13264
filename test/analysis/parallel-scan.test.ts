/**
 * The parallel layer scan (worker threads, compiled code in dist/) gives the same Report bytes
 * as the scan on the main thread (the TypeScript sources), for every sample and for a bench-like
 * image of this machine's real files built here (gzip, zstd and plain layers, whiteouts, hard
 * links, big ELF files streamed as ranges), and gzip read through ISA-L or node:zlib. Errors raised in a worker keep their class, code and
 * exit code. Not timed: `npm run bench` measures speed.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { analyzeImage as analyzeFromSources, inspectImage, type AnalyzeOptions } from '../../src/analysis/index.js';
import type { Report } from '../../src/report/index.js';
import { ensureBuilt } from '../helpers/build.js';
import { buildImage, writeFixture, type EntrySpec } from '../helpers/image-builder.js';
import { repoRoot } from '../helpers/peer-corpus.js';
import { isalAddon } from '../../src/archive/isal-inflater.js';
import { runCliBinary } from '../helpers/cli.js';
import { missingPrerequisite, testTmp } from '../helpers/tools.js';

type Analyze = (path: string, options?: AnalyzeOptions) => Promise<Report>;
/** The stack protector's imports (hardening.ts). */
const CANARY = ['__stack_chk_fail', '__stack_chk_guard', '__intel_security_cookie'];
let analyzeCompiled: Analyze;

beforeAll(async () => {
  ensureBuilt();
  ({ analyzeImage: analyzeCompiled } = (await import(pathToFileURL(path.join(repoRoot, 'dist', 'analysis', 'index.js')).href)) as {
    analyzeImage: Analyze;
  });
});

const bytesOf = (report: Report) => JSON.stringify(report, null, 2);

/** Reports of the same image: sources on this thread, compiled on this thread, compiled in 2 and 3 workers. */
async function expectSameEverywhere(image: string, options: AnalyzeOptions = {}): Promise<Report> {
  const reference = await analyzeFromSources(image, { ...options, workers: 0 });
  const expected = bytesOf(reference);
  expect(bytesOf(await analyzeCompiled(image, { ...options, workers: 0 }))).toBe(expected);
  expect(bytesOf(await analyzeCompiled(image, { ...options, workers: 2 }))).toBe(expected);
  expect(bytesOf(await analyzeCompiled(image, { ...options, workers: 3 }))).toBe(expected);
  return reference;
}

const samples = readdirSync(path.join(repoRoot, 'samples'))
  .filter((name) => name.endsWith('.tar') || name === 'static-oci')
  .map((name) => path.join(repoRoot, 'samples', name));

describe('parallel layer scan', () => {
  it.each(samples)('gives the same Report bytes for %s', async (sample) => {
    await expectSameEverywhere(sample);
  });

  it('gives the same Report bytes for a bench-like image of real files', async () => {
    const dir = testTmp('parallel-scan');
    mkdirSync(dir, { recursive: true });
    const image = path.join(dir, 'bench-like.tar');
    await writeFixture('docker25', image, [await benchLikeImage()]);
    const report = await expectSameEverywhere(image);
    expect(report.layers.map((layer) => layer.compression)).toEqual(['gzip', 'gzip', 'zstd', 'none', 'gzip']);
    expect(report.binaries.length).toBeGreaterThan(10);
    expect(report.entrypoint?.startable).toBe(true);
    // The facts only slim's plan reads (compiled strings, perl loads) turned off: same Report.
    expect(bytesOf(await analyzeCompiled(image, { workers: 2, planFacts: false }))).toBe(bytesOf(report));
    const perlLoadsRead = async (planFacts: boolean) => {
      const analysis = await inspectImage(image, { workers: 0, planFacts });
      await analysis.image.close();
      return [...analysis.merged.entries.values()].filter((entry) => entry.payload?.perl !== undefined).length;
    };
    expect(await perlLoadsRead(true)).toBeGreaterThan(10);
    expect(await perlLoadsRead(false)).toBe(0);
    // Without planFacts an ELF file keeps only the imported names the Report reads, and counts them all.
    const importsRead = async (planFacts: boolean) => {
      const analysis = await inspectImage(image, { workers: 0, planFacts });
      await analysis.image.close();
      return new Map([...analysis.merged.entries.values()].flatMap((entry) => (entry.payload?.elf ? [[entry.path, entry.payload.elf] as const] : [])));
    };
    const all = await importsRead(true);
    const kept = await importsRead(false);
    expect([...kept.keys()]).toEqual([...all.keys()]);
    for (const [file, elf] of all) {
      expect(elf.importCount, file).toBe(elf.imports.length);
      expect(kept.get(file)!.imports, file).toEqual(elf.imports.filter((name) => name === 'dlopen' || CANARY.includes(name) || /^__\w+_chk$/.test(name)));
      expect(kept.get(file)!.importCount, file).toBe(elf.importCount);
    }
    const names = (elfs: Map<string, { imports: string[] }>) => [...elfs.values()].reduce((sum, elf) => sum + elf.imports.length, 0);
    expect(names(kept)).toBeGreaterThan(10);
    expect(names(kept)).toBeLessThan(names(all) / 5);
    // Every ELF file streamed as ranges instead of kept whole: the other collector, same results.
    await expectSameEverywhere(image, { elfRetainLimit: 64 * 1024 });
  });

  it('gives the same Report bytes through the ISA-L inflater and node:zlib', async () => {
    if (!isalAddon()) {
      missingPrerequisite('the ISA-L inflater is not built (npm ci with libisal-dev installed)', 'the ISA-L Report comparison');
      return;
    }
    const dir = testTmp('parallel-scan-isal');
    mkdirSync(dir, { recursive: true });
    const image = path.join(dir, 'bench-like.tar');
    await writeFixture('docker25', image, [await benchLikeImage()]);
    for (const target of [image, ...samples]) {
      const report = (gzip: string) => runCliBinary(['analyze', target, '--format', 'json', '--quiet'], { env: { IMGSLIM_GZIP: gzip } });
      const isal = report('');
      expect(isal.code, isal.stderr).toBe(0);
      expect(report('zlib').stdout).toBe(isal.stdout);
    }
  });

  it('gives the same Reports and slimmed images through the CLI whatever IMGSLIM_WORKERS says (a small image scans on the main thread by default)', () => {
    const dir = testTmp('parallel-scan-env');
    mkdirSync(dir, { recursive: true });
    for (const sample of [path.join(repoRoot, 'samples', 'layers.tar'), path.join(repoRoot, 'samples', 'glibc-apps.tar')]) {
      const report = (workers?: string) => runCliBinary(['analyze', sample, '--format', 'json', '--quiet'], { env: workers === undefined ? {} : { IMGSLIM_WORKERS: workers } });
      const byDefault = report();
      expect(byDefault.code, byDefault.stderr).toBe(0);
      expect(report('0').stdout).toBe(byDefault.stdout);
      expect(report('2').stdout).toBe(byDefault.stdout);
      const slim = (workers: string) => {
        const out = path.join(dir, `${path.basename(sample)}-${workers}.tar`);
        const run = runCliBinary(['slim', sample, '-o', out, '--quiet'], { env: { IMGSLIM_WORKERS: workers } });
        expect(run.code, run.stderr).toBe(0);
        return readFileSync(out);
      };
      expect(slim('2').equals(slim('0'))).toBe(true);
    }
    const bad = runCliBinary(['analyze', samples[0]!, '--quiet'], { env: { IMGSLIM_WORKERS: 'many' } });
    expect([bad.code, bad.stdout, bad.stderr]).toEqual([2, '', "imgslim: IMGSLIM_WORKERS must be a whole number of worker threads (got 'many')\n"]);
  });

  it('keeps the class, code and exit code of errors raised in a worker', async () => {
    const dir = testTmp('parallel-scan-errors');
    mkdirSync(dir, { recursive: true });
    const built = await buildImage({ layers: [{ entries: [{ path: 'a', content: 'x'.repeat(5000) }] }, { entries: [{ path: 'b', content: 'y' }] }] });
    const corrupt = path.join(dir, 'corrupt-blob.tar');
    await writeFixture('oci-archive', corrupt, [built], { breakage: { corruptLayer: 0 } });
    await expect(analyzeCompiled(corrupt, { workers: 2 })).rejects.toMatchObject({ name: 'IntegrityError', exitCode: 4 });

    const wrongDiffId = { ...built, config: { ...built.config, rootfs: { type: 'layers', diff_ids: [built.layers[1]!.diffId, built.layers[1]!.diffId] } } };
    const { withConfig } = await import('../helpers/image-builder.js');
    const mismatch = path.join(dir, 'diffid.tar');
    await writeFixture('oci-archive', mismatch, [withConfig(wrongDiffId)]);
    await expect(analyzeCompiled(mismatch, { workers: 2 })).rejects.toMatchObject({ name: 'IntegrityError', code: 'E_DIFFID_MISMATCH', exitCode: 4 });
  });
});

/** Real files of this machine: perl with its loader, libraries and modules, spread over mixed layers. */
async function benchLikeImage() {
  const lib = '/usr/lib/x86_64-linux-gnu';
  const file = (p: string): EntrySpec => ({ path: p.slice(1), content: readFileSync(p), mode: statSync(p).mode & 0o7777 });
  const files = (dir: string, limit: number): EntrySpec[] =>
    existsSync(dir)
      ? readdirSync(dir)
          .sort()
          .map((name) => path.join(dir, name))
          .filter((p) => {
            const stat = statSync(p, { throwIfNoEntry: false });
            return stat?.isFile() === true && stat.size <= 4 << 20;
          })
          .slice(0, limit)
          .map(file)
      : [];
  const base: EntrySpec[] = [
    { path: 'usr', type: 'dir' },
    { path: 'usr/bin', type: 'dir' },
    { path: 'usr/lib', type: 'dir' },
    { path: 'usr/lib/x86_64-linux-gnu', type: 'dir' },
    { path: 'usr/lib/x86_64-linux-gnu/perl-base', type: 'dir' },
    { path: 'lib', type: 'symlink', target: 'usr/lib' },
    { path: 'lib64', type: 'dir' },
    { path: 'lib64/ld-linux-x86-64.so.2', type: 'symlink', target: '/lib/x86_64-linux-gnu/ld-linux-x86-64.so.2' },
    { path: 'etc', type: 'dir' },
    file('/etc/ld.so.cache'),
    file('/etc/nsswitch.conf'),
    file('/etc/passwd'),
  ];
  const libc = ['ld-linux-x86-64.so.2', 'libc.so.6', 'libm.so.6', 'libcrypt.so.1', 'libz.so.1'].map((name) => file(`${lib}/${name}`));
  return buildImage({
    layers: [
      { entries: [...base, ...libc], compression: 'gzip' },
      { entries: [file('/usr/bin/perl'), { path: 'usr/bin/perl-hard', type: 'hardlink', target: 'usr/bin/perl' }, ...files('/usr/bin', 40)], compression: 'gzip' },
      { entries: files(lib, 60), compression: 'zstd' },
      { entries: files(`${lib}/perl-base`, 80), compression: 'none' },
      { entries: [{ path: 'usr/bin/.wh.perl-hard', type: 'whiteout' }, file('/usr/bin/perl')], compression: 'gzip' },
    ],
    containerConfig: { Entrypoint: ['/usr/bin/perl'], Cmd: ['-e', 'print 1'] },
  });
}

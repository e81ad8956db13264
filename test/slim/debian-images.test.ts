/**
 * Proof on real Debian packages: images built from .debs (test/slim/_debian.ts, the cases in
 * test/slim/_debian-cases.ts), slimmed with default options (and --keep where the case says so),
 * then the same workload run on the original and the slimmed image under chroot
 * (test/slim/_support.ts): exit codes and outputs must be equal, and servers must answer a request
 * from the host (127.0.0.1) with the same status and body. Two servers, a VCS and an image tool
 * are also slimmed with the probes a user would give (`imgslim slim --probe-http … --probe …`),
 * verified by slim itself and then by the same workload; for apache2, git and ImageMagick the
 * probes narrow what the static rules add (modules, helpers and coders the workload never used are
 * left out, each as a risk).
 */
import { appendFileSync, mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, test } from 'vitest';
import { slimImage } from '../../src/slim/index.js';
import { runCliInProcess } from '../helpers/cli.js';
import { hasTool, testTmp } from '../helpers/tools.js';
import { canBuildDebian } from './_debian.js';
import { buildCaseImage, caseProbes, DEBIAN_CASES, runWorkload, type DebianCase, type WorkloadOutcome } from './_debian-cases.js';
import { freePort } from './_serve.js';
import { scratch, unpack } from './_support.js';

const RESULTS = testTmp('slim', 'debian-results.jsonl');

function expectSameOutcome(c: DebianCase, original: WorkloadOutcome, slim: WorkloadOutcome): void {
  if (c.firstStdout) expect(original.runs[0]?.stdout).toMatch(c.firstStdout);
  for (const [index, run] of slim.runs.entries()) {
    if (index === c.workload.length - 1 && c.lastStderr) expect([run.code, run.stderr]).toEqual([1, expect.stringMatching(c.lastStderr)]);
    expect(run).toEqual(original.runs[index]);
  }
  if (c.server) {
    expect(original.served?.status).toBe(200);
    expect(slim.served).toEqual(original.served);
  }
}

describe.skipIf(!canBuildDebian)('Debian-package images: the slimmed image does the same work', () => {
  test.each(DEBIAN_CASES.map((c) => [c.name, c] as const))('%s', async (_name, c) => {
    const dir = scratch(`debian/${c.name.replace(/[^a-z0-9]+/gi, '-')}`);
    const port = c.server ? await freePort() : 0;
    const { layout, spec } = buildCaseImage(c, dir, port);
    const out = path.join(dir, 'slim');
    const { result } = await slimImage(layout, { keep: c.keep ?? [], output: { path: out, format: 'oci-layout', tag: 'slim' } });
    const original = await runWorkload(c, spec, unpack(`${layout}:test`, 'oci-layout', path.join(dir, 'run-original')), port);
    const slim = await runWorkload(c, spec, unpack(`${out}:slim`, 'oci-layout', path.join(dir, 'run-slim')), port);
    expectSameOutcome(c, original, slim);
    const { before, after } = result.summary;
    mkdirSync(path.dirname(RESULTS), { recursive: true });
    appendFileSync(RESULTS, `${JSON.stringify({ name: c.name, before: before.size, after: after.size, files: [before.files, after.files] })}\n`);
  }, 600_000);
});

const canProbe = canBuildDebian && ['strace', 'nsenter', 'ip'].every((tool) => hasTool(tool));

describe.skipIf(!canProbe)('Debian-package images slimmed with probes', () => {
  test('nginx with --probe-http and --probe: slim verifies it, and the workload run under chroot agrees', async () => {
    const c = DEBIAN_CASES.find((item) => item.name === 'nginx')!;
    const dir = scratch('debian-probe/nginx');
    const port = await freePort();
    const { layout, spec } = buildCaseImage(c, dir, port);
    const out = path.join(dir, 'slim');
    const audit = path.join(dir, 'audit.json');
    const result = await runCliInProcess(['slim', layout, '-o', out, '-f', 'oci-layout', '--tag', 'slim', '-f', 'json', '--audit', audit, ...caseProbes(c, port)]);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr).toMatch(/verified: the slimmed image gives the same outcomes for all 2 probes/);
    const probes = JSON.parse(readFileSync(audit, 'utf8')).probes;
    expect(probes.map((probe: { outcome: string; verified: boolean }) => [probe.outcome, probe.verified])).toEqual([
      ['exit 0, 0 bytes of stdout', true],
      [expect.stringMatching(/^HTTP 200, \d+ bytes$/), true],
    ]);
    const original = await runWorkload(c, spec, unpack(`${layout}:test`, 'oci-layout', path.join(dir, 'run-original')), port);
    const slim = await runWorkload(c, spec, unpack(`${out}:slim`, 'oci-layout', path.join(dir, 'run-slim')), port);
    expectSameOutcome(c, original, slim);
  }, 600_000);
});

/** Per case: paths the probes' narrowing leaves out, and paths it must keep. */
const NARROWED: Record<string, { left: string[]; kept: string[] }> = {
  git: { left: ['/usr/lib/git-core/git-remote-http', '/usr/lib/git-core/git-daemon', '/usr/bin/perl'], kept: ['/usr/lib/git-core/git-upload-pack', '/usr/share/git-core/templates/description'] },
  // Modules a2enmod did not enable are named only by mods-available/*.load, which apache2 never
  // reads; mkdir, mktemp and chown run only on apache2ctl's first run (the probe is traced first).
  'apache2 started by apache2ctl': {
    left: ['/usr/lib/apache2/modules/mod_http2.so', '/usr/lib/apache2/modules/mod_ssl.so', '/usr/bin/perl'],
    kept: ['/usr/lib/apache2/modules/mod_mime.so', '/usr/lib/apache2/modules/mod_mpm_event.so', '/usr/bin/mkdir', '/usr/bin/mktemp', '/usr/bin/chown', '/usr/sbin/apache2'],
  },
  imagemagick: {
    left: ['/usr/lib/x86_64-linux-gnu/ImageMagick-6.9.11/modules-Q16/coders/heic.so'],
    kept: ['/usr/lib/x86_64-linux-gnu/ImageMagick-6.9.11/modules-Q16/coders/png.so', '/etc/ImageMagick-6/policy.xml'],
  },
};

describe.skipIf(!canProbe)('Debian-package images slimmed with probes that narrow', () => {
  test.each(Object.keys(NARROWED))('%s: helpers or plugins the probes never used are left out (a risk says so), and the workload still agrees', async (name) => {
    const c = DEBIAN_CASES.find((item) => item.name === name)!;
    const dir = scratch(`debian-probe/${name}`);
    const port = c.server ? await freePort() : 0;
    const { layout, spec } = buildCaseImage(c, dir, port);
    const out = path.join(dir, 'slim');
    const auditFile = path.join(dir, 'audit.json');
    const result = await runCliInProcess(['slim', layout, '-o', out, '-f', 'oci-layout', '--tag', 'slim', '-f', 'json', '--audit', auditFile, ...caseProbes(c, port)]);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr).toMatch(/verified: the slimmed image gives the same outcome/);
    const audit = JSON.parse(readFileSync(auditFile, 'utf8')) as { files: Array<{ path: string; kept: boolean }>; risks: Array<{ message: string }> };
    const kept = new Set(audit.files.filter((file) => file.kept).map((file) => file.path));
    for (const file of NARROWED[name]!.left) expect(kept.has(file), file).toBe(false);
    for (const file of NARROWED[name]!.kept) expect(kept.has(file), file).toBe(true);
    expect(audit.risks.some((risk) => /so they were left out: .*--keep-unprobed/.test(risk.message))).toBe(true);
    const original = await runWorkload(c, spec, unpack(`${layout}:test`, 'oci-layout', path.join(dir, 'run-original')), port);
    const slim = await runWorkload(c, spec, unpack(`${out}:slim`, 'oci-layout', path.join(dir, 'run-slim')), port);
    expectSameOutcome(c, original, slim);
  }, 600_000);
});

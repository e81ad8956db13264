/**
 * `imgslim check IMAGE` on real images: built in code from binaries compiled here (gcc) with
 * this machine's glibc, and the samples/ images (built by umoci/skopeo, see samples/README.md).
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Report } from '../../src/report/index.js';
import { runCliInProcess } from '../helpers/cli.js';
import { buildImage, writeFixture, type EntrySpec } from '../helpers/image-builder.js';
import { peerCorpus, repoRoot } from '../helpers/peer-corpus.js';
import { sarifValidator } from '../policy/sarif.js';
import { testTmp } from '../helpers/tools.js';

const samples = path.join(repoRoot, 'samples');
const hasGcc = existsSync('/usr/bin/gcc') && existsSync('/lib64/ld-linux-x86-64.so.2');
if (!hasGcc) console.warn('[imgslim tests] gcc or the glibc loader is absent: skipping the images built in code');

let dir = '';
beforeAll(() => {
  mkdirSync(testTmp('policy'), { recursive: true });
  dir = mkdtempSync(testTmp('policy', 'image-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function check(...args: string[]) {
  return runCliInProcess(['check', '-q', ...args], { cwd: dir });
}

/** The highest GLIBC_x.y a binary needs, as GNU readelf lists its version needs. */
function readelfGlibcFloor(file: string): number[] {
  const output = execFileSync('readelf', ['-V', '-W', file], { encoding: 'utf8' });
  const versions = [...output.matchAll(/Name: GLIBC_(\d+(?:\.\d+)+)/g)].map((match) => match[1]!.split('.').map(Number));
  return versions.sort((a, b) => a[0]! - b[0]! || a[1]! - b[1]! || (a[2] ?? 0) - (b[2] ?? 0)).at(-1)!;
}

describe.skipIf(!hasGcc)('images built in code from binaries compiled here', () => {
  const images = { dynamic: '', broken: '', static: '' };
  let floor: number[] = [];

  beforeAll(async () => {
    writeFileSync(path.join(dir, 'hello.c'), '#include <stdio.h>\nint main(void) { puts("hello"); return 0; }\n');
    execFileSync('gcc', ['-O2', '-o', path.join(dir, 'hello'), path.join(dir, 'hello.c')]);
    execFileSync('gcc', ['-O2', '-static', '-o', path.join(dir, 'hello-static'), path.join(dir, 'hello.c')]);
    floor = readelfGlibcFloor(path.join(dir, 'hello'));
    const file = (at: string, from: string): EntrySpec => ({ path: at, content: readFileSync(from), mode: 0o755 });
    const glibc = {
      entries: [
        { path: 'lib', type: 'dir' },
        { path: 'lib/x86_64-linux-gnu', type: 'dir' },
        file('lib/x86_64-linux-gnu/ld-linux-x86-64.so.2', realpathSync('/lib64/ld-linux-x86-64.so.2')),
        file('lib/x86_64-linux-gnu/libc.so.6', realpathSync('/lib/x86_64-linux-gnu/libc.so.6')),
        { path: 'lib64', type: 'dir' },
        { path: 'lib64/ld-linux-x86-64.so.2', type: 'symlink', target: '/lib/x86_64-linux-gnu/ld-linux-x86-64.so.2' },
      ] satisfies EntrySpec[],
    };
    const app = { entries: [{ path: 'app', type: 'dir' }, file('app/hello', path.join(dir, 'hello'))] satisfies EntrySpec[] };
    const removeLibc = { entries: [{ path: 'lib/x86_64-linux-gnu/libc.so.6', type: 'whiteout' }] satisfies EntrySpec[] };
    const containerConfig = { Entrypoint: ['/app/hello'], Cmd: null, User: '1000' };
    images.dynamic = path.join(dir, 'dynamic.tar');
    images.broken = path.join(dir, 'broken.tar');
    images.static = path.join(dir, 'static.tar');
    await writeFixture('docker-legacy', images.dynamic, [await buildImage({ layers: [glibc, app], containerConfig })], { tags: [['app:dynamic']] });
    await writeFixture('oci-archive', images.broken, [await buildImage({ layers: [glibc, app, removeLibc], containerConfig })], { tags: [['broken']] });
    const staticApp = { entries: [{ path: 'app', type: 'dir' }, file('app/hello', path.join(dir, 'hello-static'))] satisfies EntrySpec[] };
    await writeFixture('docker25', images.static, [await buildImage({ layers: [staticApp], containerConfig })], { tags: [['app:static']] });
  }, 120_000);

  test('a static binary passes entrypoint-static; a dynamic one fails it with exit 1', async () => {
    const passed = await check(images.static, '--rule', 'entrypoint-static');
    expect(passed.stderr).toBe('');
    expect(passed.code).toBe(0);
    expect(passed.stdout).toContain('PASS  entrypoint-static: /app/hello has no PT_INTERP and no NEEDED');
    const failed = await check(images.dynamic, '--rule', 'entrypoint-static');
    expect(failed.code).toBe(1);
    expect(failed.stdout).toContain('FAIL  entrypoint-static: 1 violation\n        /app/hello NEEDED libc.so.6 via PT_INTERP /lib64/ld-linux-x86-64.so.2\n');
  });

  test('max-glibc fails below the version readelf says the binary needs, and passes at it', async () => {
    const needed = floor.join('.');
    const below = [floor[0]!, floor[1]! - 1].join('.');
    expect((await check(images.dynamic, '--rule', `max-glibc=${needed}`)).code).toBe(0);
    const failed = await check(images.dynamic, '--rule', `max-glibc=${below}`);
    expect(failed.code).toBe(1);
    expect(failed.stdout).toContain(`/app/hello needs GLIBC_${needed} from libc.so.6 (above GLIBC_${below})`);
    // glibc's own libc.so.6 needs its loader's versions: it is exempt.
    expect(failed.stdout).not.toContain('libc.so.6 needs');
  });

  test('no-missing-deps fails once a layer removes the library', async () => {
    expect((await check(images.dynamic, '--rule', 'no-missing-deps')).code).toBe(0);
    const failed = await check(images.broken, '--rule', 'no-missing-deps', '--format', 'json');
    expect(failed.code).toBe(1);
    const violations = JSON.parse(failed.stdout).results[0].violations as Array<{ path: string; message: string }>;
    expect(violations.map((violation) => violation.path)).toEqual(['/app/hello']);
    expect(violations[0]!.message).toMatch(/^\/app\/hello will not load: .*libc\.so\.6/);
  });

  test('SARIF for a real image validates', async () => {
    const result = await check(images.broken, '--rule', 'no-missing-deps', '--rule', 'entrypoint-static', '--rule', 'require-canary', '-f', 'sarif');
    const sarif = JSON.parse(result.stdout);
    const validate = sarifValidator();
    expect(validate(sarif), JSON.stringify(validate.errors)).toBe(true);
    expect(sarif.runs[0].results.map((r: { ruleId: string }) => r.ruleId)).toContain('no-missing-deps');
  });
});

describe.skipIf(!hasGcc)("dive's rules on a multi-layer image, at and around the image's own figures", () => {
  let report: Report;

  beforeAll(async () => {
    const big = (n: number, fill: string) => Buffer.alloc(n, fill);
    const layers = [
      { entries: [{ path: 'base.bin', content: big(4_000_000, 'a') }] },
      { entries: [{ path: 'app.bin', content: big(1_000_000, 'b') }, { path: 'conf.bin', content: big(100_000, 'c') }] },
      { entries: [{ path: 'conf.bin', content: big(100_000, 'd') }] },
    ] satisfies Array<{ entries: EntrySpec[] }>;
    await writeFixture('oci-archive', path.join(dir, 'wasteful.tar'), [await buildImage({ layers, containerConfig: { Cmd: ['/app.bin'] } })]);
    const analyzed = await runCliInProcess(['analyze', 'wasteful.tar', '--format', 'json', '-q', '-o', 'wasteful.json'], { cwd: dir });
    expect(analyzed.stderr).toBe('');
    report = JSON.parse(readFileSync(path.join(dir, 'wasteful.json'), 'utf8')) as Report;
  }, 120_000);

  test('the figures are dive’s: conf.bin twice is the waste', () => {
    expect(report.efficiency.wastedBytes).toBe(200_000);
    expect(report.efficiency.score).toBeCloseTo(5_100_000 / 5_200_000, 12);
    expect(report.efficiency.userWastedPercent).toBeCloseTo(200_000 / 1_200_000, 12);
  });

  test.each([
    ['lowest-efficiency', (r: Report) => String(r.efficiency.score), (r: Report) => String(r.efficiency.score + 1e-9)],
    ['highest-wasted-bytes', (r: Report) => String(r.efficiency.wastedBytes), (r: Report) => String(r.efficiency.wastedBytes - 1)],
    ['highest-user-wasted-percent', (r: Report) => String(r.efficiency.userWastedPercent), (r: Report) => String(r.efficiency.userWastedPercent - 1e-9)],
  ])('%s: the exact figure passes, a hair stricter fails', async (rule, equal, stricter) => {
    expect((await check('--report', 'wasteful.json', '--rule', `${rule}=${equal(report)}`)).code).toBe(0);
    const failed = await check('--report', 'wasteful.json', '--rule', `${rule}=${stricter(report)}`);
    expect(failed.code).toBe(1);
    expect(failed.stdout).toContain(`FAIL  ${rule}`);
  });

  test('the image itself gives the same outcome as its saved report', async () => {
    const fromImage = await check('wasteful.tar', '--rule', 'highest-wasted-bytes=200kB', '--rule', 'lowest-efficiency=0.99', '-f', 'json');
    const fromReport = await check('--report', 'wasteful.json', '--rule', 'highest-wasted-bytes=200kB', '--rule', 'lowest-efficiency=0.99', '-f', 'json');
    expect(fromImage.code).toBe(1);
    expect(JSON.parse(fromImage.stdout).results).toEqual(JSON.parse(fromReport.stdout).results);
    expect(JSON.parse(fromImage.stdout).results.map((r: { status: string }) => r.status)).toEqual(['fail', 'pass']);
  });
});

describe.skipIf(!existsSync(path.join(samples, 'layers.tar')))('samples/', () => {
  test('static-oci: static entrypoint, nothing dynamic, non-root user', async () => {
    const result = await check(path.join(samples, 'static-oci'), '--rule', 'entrypoint-static', '--rule', 'no-dynamic', '--rule', 'non-root-user');
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
  });

  test('glibc-dynamic: glibc is not musl; its loader chain resolves', async () => {
    const result = await check(path.join(samples, 'glibc-dynamic.tar'), '--rule', 'libc=musl,none', '--rule', 'no-missing-deps');
    expect(result.code).toBe(1);
    expect(result.stdout).toContain('/app/hello uses libc glibc (NEEDED libc.so.6 via PT_INTERP /lib64/ld-linux-x86-64.so.2); allowed: musl, none');
    expect(result.stdout).toContain('PASS  no-missing-deps');
  });

  test('musl-dynamic: musl only, complete, but not static', async () => {
    const result = await check(path.join(samples, 'musl-dynamic.tar'), '--rule', 'libc=musl,none', '--rule', 'no-missing-deps', '--rule', 'entrypoint-static');
    expect(result.code).toBe(1);
    expect(result.stdout).toContain('PASS  libc (musl, none)');
    expect(result.stdout).toContain('PASS  no-missing-deps');
    expect(result.stdout).toContain('/app/hello NEEDED libc.so via PT_INTERP /lib/ld-musl-x86_64.so.1');
  });

  test('layers: setuid, capabilities and root are caught; the busybox shell entrypoint is static', async () => {
    const result = await check(
      path.join(samples, 'layers.tar'),
      ...['entrypoint-static', 'no-setuid', 'no-capabilities', 'non-root-user', 'no-world-writable'].flatMap((rule) => ['--rule', rule]),
      '-f',
      'json',
    );
    expect(result.code).toBe(1);
    const results = JSON.parse(result.stdout).results as Array<{ rule: string; status: string; violations: Array<{ message: string }> }>;
    const byRule = Object.fromEntries(results.map((r) => [r.rule, r]));
    expect(byRule['entrypoint-static']!.status).toBe('pass');
    expect(byRule['no-world-writable']!.status).toBe('pass'); // /tmp is 1777: sticky
    expect(byRule['no-setuid']!.violations.map((v) => v.message)).toEqual(['/usr/local/bin/suid-hello is setuid root (mode 4755, owner 0:0)']);
    // The decoded capability text is the analysis' (libcap writes `=ep`, some tools `+ep`).
    expect(byRule['no-capabilities']!.violations.map((v) => v.message)).toEqual([expect.stringMatching(/^\/usr\/local\/bin\/cap-hello has file capabilities: cap_net_bind_service[=+]ep$/)]);
    expect(byRule['non-root-user']!.violations.map((v) => v.message)).toEqual(['the container runs as root: User is not set: the container runs as root (uid 0)']);
  });

  test('layers: big.bin replaced in a later layer is waste that dive’s rules see', async () => {
    const result = await check(path.join(samples, 'layers.tar'), '--rule', 'highest-wasted-bytes=4MiB', '--rule', 'highest-user-wasted-percent=1');
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(/FAIL {2}highest-wasted-bytes \(4MiB\): 1 violation\n {8}too many bytes wasted: wasted bytes [\d,]+ .*most wasted: \/var\/cache\/big\.bin ×2 \(4\.19 MB\)/);
    expect(result.stdout).toContain('FAIL  highest-user-wasted-percent (1)');
  });
});

const goBinaries = peerCorpus('osv-scalibr-gobinary');
const goBuildInfo = peerCorpus('golang-debug-buildinfo');

describe.skipIf(!goBinaries || !goBuildInfo)('go-cgo-disabled on Go binaries from peer-corpus (osv-scalibr, Go debug/buildinfo)', () => {
  test('CGO_ENABLED=1 fails even when statically linked; Go 1.17 (no build settings) cannot be confirmed; C binaries are not concerned', async () => {
    const peer = (folder: string, name: string) => readFileSync(path.join(folder, name));
    const go117 = Buffer.from(readFileSync(path.join(goBuildInfo!, 'go117.base64'), 'utf8'), 'base64');
    const notgo = Buffer.from(readFileSync(path.join(goBuildInfo!, 'notgo.base64'), 'utf8'), 'base64');
    const entries: EntrySpec[] = [
      { path: 'app', type: 'dir' },
      { path: 'app/server', content: peer(goBinaries!, 'binary_with_module_replacement-linux-amd64'), mode: 0o755 },
      { path: 'app/tools', type: 'dir' },
      { path: 'app/tools/arm64', content: peer(goBinaries!, 'binary_with_module_replacement-linux-arm64'), mode: 0o755 },
      { path: 'app/tools/i386', content: peer(goBinaries!, 'binary_with_module_replacement-linux-386'), mode: 0o755 },
      { path: 'app/legacy', content: go117, mode: 0o755 },
      { path: 'app/notgo', content: notgo, mode: 0o755 },
    ];
    await writeFixture('oci-archive', path.join(dir, 'go.tar'), [await buildImage({ layers: [{ entries }], containerConfig: { Entrypoint: ['/app/server'], Cmd: null } })]);
    const result = await check('go.tar', '--rule', 'go-cgo-disabled', '--rule', 'entrypoint-static', '-f', 'json');
    expect(result.stderr).toBe('');
    expect(result.code).toBe(1);
    const [entrypoint, cgo] = JSON.parse(result.stdout).results as Array<{ status: string; violations: Array<{ message: string }> }>; // catalog order
    expect(cgo!.violations.map((v) => v.message)).toEqual([
      '/app/legacy has no CGO_ENABLED in its Go build info (go1.17; recorded since Go 1.18): cannot confirm cgo is off',
      '/app/server was built with CGO_ENABLED=1 (go1.22.0): static (no PT_INTERP, no NEEDED)',
    ]);
    expect(entrypoint!.status).toBe('pass');
  });
});

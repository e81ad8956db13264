/**
 * slim --probe / --probe-http end to end, on images built here from Debian's busybox-static (a
 * static binary, so the tracer must not rely on the dynamic loader): what static analysis cannot
 * see is kept once a probe uses it, the slimmed image is verified by running the probes again,
 * a probe whose outcome changes gives exit 5 and leaves nothing, and a host without root gives 2.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, test } from 'vitest';
import { Value } from '@sinclair/typebox/value';
import { AuditSchema } from '../../src/slim/audit-schema.js';
import { runCliInProcess } from '../helpers/cli.js';
import type { EntrySpec } from '../helpers/image-builder.js';
import { hasTool, isRoot, testTmp } from '../helpers/tools.js';
import { writeImageFile } from '../slim/_host-images.js';
import { listRootfs, unpack } from '../slim/_support.js';

const BUSYBOX = '/bin/busybox';
const canProbe = isRoot('the probe sandbox tests') && ['strace', 'unshare', 'nsenter', 'ip', 'skopeo', 'umoci'].every((tool) => hasTool(tool)) && existsSync(BUSYBOX);
const work = testTmp('probe');

/** busybox-static with applet links, a script that reads a file by a name built at run time, and files nothing names. */
function busyboxLayer(): EntrySpec[] {
  const applets = ['sh', 'cat', 'ls', 'echo', 'httpd'];
  return [
    { path: 'bin', type: 'dir' },
    { path: 'bin/busybox', content: readFileSync(BUSYBOX), mode: 0o755 },
    ...applets.map((name): EntrySpec => ({ path: `bin/${name}`, type: 'symlink', target: 'busybox' })),
    { path: 'etc', type: 'dir' },
    { path: 'etc/passwd', content: 'root:x:0:0:root:/root:/bin/sh\napp:x:1000:1000:app:/data:/bin/sh\n' },
    { path: 'etc/group', content: 'root:x:0:\napp:x:1000:\n' },
    { path: 'app', type: 'dir' },
    { path: 'app/run.sh', content: '#!/bin/sh\nname=sec$(echo ret)\ncat "/data/$name.txt"\n', mode: 0o755 },
    { path: 'data', type: 'dir' },
    { path: 'data/secret.txt', content: 'the secret recipe\n' },
    { path: 'data/gone.txt', content: 'removed by the next layer\n' },
    { path: 'data/unused.bin', content: 'x'.repeat(4096) },
    { path: 'www', type: 'dir' },
    { path: 'www/index.html', content: '<h1>served by busybox httpd</h1>\n' },
  ];
}

async function image(name: string, config: Record<string, unknown>): Promise<string> {
  return writeImageFile('oci-archive', path.join(work, 'in', `${name}.tar`), {
    layers: [
      { entries: busyboxLayer(), compression: 'gzip' },
      { entries: [{ path: 'data/gone.txt', type: 'whiteout' }], compression: 'gzip' },
    ],
    containerConfig: { User: 'app', WorkingDir: '/data', Env: ['PATH=/bin'], ...config },
  });
}

function out(name: string): string {
  const dir = path.join(work, 'out', name);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  return dir;
}

describe.skipIf(!canProbe)('slim --probe', () => {
  test('a file read by a name built at run time: dropped by default, kept and verified with --probe', async () => {
    const input = await image('script', { Entrypoint: ['/app/run.sh'] });
    const dir = out('script');
    const plain = await runCliInProcess(['slim', input, '-o', path.join(dir, 'plain.tar'), '-f', 'json', '-q']);
    expect(plain.code, plain.stderr).toBe(0);
    const plainFiles = listRootfs(unpack(path.join(dir, 'plain.tar'), 'oci-archive', path.join(dir, 'plain')));
    expect(plainFiles.has('/data/secret.txt')).toBe(false);

    const audit = path.join(dir, 'audit.json');
    const probed = await runCliInProcess(['slim', input, '-o', path.join(dir, 'probed.tar'), '-f', 'json', '--probe', '/app/run.sh', '--audit', audit]);
    expect(probed.code, probed.stderr).toBe(0);
    expect(probed.stderr).toMatch(/probe '\/app\/run.sh': exit 0, \d+ bytes of stdout; \d+ paths used; \d+ ms untraced, \d+ ms traced/);
    expect(probed.stderr).toMatch(/verified: the slimmed image gives the same outcome/);
    const files = listRootfs(unpack(path.join(dir, 'probed.tar'), 'oci-archive', path.join(dir, 'probed')));
    expect(files.has('/data/secret.txt')).toBe(true);
    expect(files.has('/data/unused.bin')).toBe(false);
    const auditJson = JSON.parse(readFileSync(audit, 'utf8'));
    expect([...Value.Errors(AuditSchema, auditJson)]).toEqual([]);
    expect(auditJson.probes).toEqual([
      { probe: '/app/run.sh', kind: 'command', outcome: 'exit 0, 18 bytes of stdout', pathsUsed: expect.any(Number), untracedMs: expect.any(Number), tracedMs: expect.any(Number), verified: true },
    ]);
    const kept = auditJson.files.find((file: { path: string }) => file.path === '/data/secret.txt');
    expect(JSON.stringify(kept)).toContain("used by probe '/app/run.sh'");
    expect(readdirSync(dir).filter((name) => name.includes('imgslim-verify'))).toEqual([]);
  }, 120_000);

  test('--probe-http: busybox httpd serves a file; kept, and the slimmed image answers with the same status and body', async () => {
    const input = await image('httpd', { Entrypoint: ['/bin/httpd', '-f', '-p', '8080', '-h', '/www'], User: '' });
    const dir = out('httpd');
    const audit = path.join(dir, 'audit.json');
    const result = await runCliInProcess(['slim', input, '-o', path.join(dir, 'slim.tar'), '-f', 'json', '-q', '--probe-http', '8080/index.html', '--probe-timeout', '20', '--audit', audit]);
    expect(result.code, result.stderr).toBe(0);
    // -q: no probe or verification lines.
    expect(result.stderr).toBe('');
    expect(JSON.parse(readFileSync(audit, 'utf8')).probes).toEqual([expect.objectContaining({ probe: 'GET :8080/index.html', outcome: 'HTTP 200, 33 bytes', verified: true })]);
    const files = listRootfs(unpack(path.join(dir, 'slim.tar'), 'oci-archive', path.join(dir, 'rootfs')));
    expect(files.has('/www/index.html')).toBe(true);
    expect(files.has('/data/secret.txt')).toBe(false);
  }, 120_000);

  test('a probe whose output changes from run to run: exit 5, the first difference printed, nothing written', async () => {
    const input = await image('random', { Entrypoint: ['/app/run.sh'] });
    const dir = out('random');
    const result = await runCliInProcess(['slim', input, '-o', path.join(dir, 'slim.tar'), '-q', '--probe', 'cat /proc/sys/kernel/random/uuid']);
    expect(result.code, result.stderr).toBe(5);
    // -q silences the probe lines, not the error: one line.
    expect(result.stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(result.stderr).toMatch(/behaves differently: probe 'cat \/proc\/sys\/kernel\/random\/uuid': stdout differs: line 1 was "[0-9a-f-]{36}", is "[0-9a-f-]{36}"/);
    expect(readdirSync(dir)).toEqual([]);
  }, 120_000);

  test('--no-verify keeps what the probe used and skips the comparison', async () => {
    const input = await image('noverify', { Entrypoint: ['/app/run.sh'] });
    const dir = out('noverify');
    const result = await runCliInProcess(['slim', input, '-o', path.join(dir, 'slim.tar'), '-q', '-f', 'json', '--no-verify', '--probe', 'cat /proc/sys/kernel/random/uuid']);
    expect(result.code, result.stderr).toBe(0);
    expect(existsSync(path.join(dir, 'slim.tar'))).toBe(true);
  }, 120_000);

  test('a probe program the image lacks is a usage error', async () => {
    const input = await image('missing', { Entrypoint: ['/app/run.sh'] });
    const dir = out('missing');
    const result = await runCliInProcess(['slim', input, '-o', path.join(dir, 'slim.tar'), '-q', '--probe', 'no-such-program']);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/probe 'no-such-program': in the original image: failed to execute no-such-program/);
  }, 120_000);
});

describe('slim --probe without what the sandbox needs', () => {
  test('not root: exit 2 naming what is missing, before reading the image', async () => {
    const result = await runCliInProcess(['slim', 'no-such-image.tar', '-o', path.join(work, 'never.tar'), '--probe', 'true'], { env: { IMGSLIM_SANDBOX_UID: '1000', PATH: process.env.PATH } });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/--probe needs root: .*running as uid 1000/);
    expect(existsSync(path.join(work, 'never.tar'))).toBe(false);
  });

  test('a --probe that needs a shell is refused with the way to write it', async () => {
    const result = await runCliInProcess(['slim', 'x.tar', '--dry-run', '--probe', 'cat a | wc -l']);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/give a simple command .* --probe "sh -c/);
  });
});

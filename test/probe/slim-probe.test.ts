/**
 * slim --probe / --probe-http end to end, on images built here from Debian's busybox-static (a
 * static binary, so the tracer must not rely on the dynamic loader): what static analysis cannot
 * see is kept once a probe uses it, the slimmed image is verified by running the probes again,
 * and a probe whose outcome changes gives exit 5 and leaves nothing (test/probe/userns.test.ts: the
 * same without root).
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, test } from 'vitest';
import { Value } from '@sinclair/typebox/value';
import { AuditSchema } from '../../src/slim/audit-schema.js';
import { runCliInProcess } from '../helpers/cli.js';
import { hasTool, isRoot, testTmp } from '../helpers/tools.js';
import { listRootfs, unpack } from '../slim/_support.js';
import { busyboxImage, hasBusybox } from './_busybox.js';

const canProbe = isRoot('the probe sandbox tests') && ['strace', 'unshare', 'nsenter', 'ip', 'skopeo', 'umoci'].every((tool) => hasTool(tool)) && hasBusybox;
const work = testTmp('probe');

async function image(name: string, config: Record<string, unknown>): Promise<string> {
  return busyboxImage(path.join(work, 'in'), name, config);
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

  test('a helper only a first run calls (it makes the state later runs find) is traced, kept and verified', async () => {
    // The helper is named as a command (found on PATH), as apache2ctl names mkdir, mktemp and chown.
    const input = await busyboxImage(path.join(work, 'in'), 'first-run', { Entrypoint: ['/app/start.sh'], User: '', Env: ['PATH=/bin:/app/bin'] }, [
      { path: 'app/start.sh', content: '#!/bin/sh\n[ -d /data/state ] || make-state\ncat /data/state/ready\n', mode: 0o755 },
      { path: 'app/bin/make-state', content: '#!/bin/sh\nmkdir /data/state\necho made on the first run > /data/state/ready\n', mode: 0o755 },
    ]);
    const dir = out('first-run');
    const probed = await runCliInProcess(['slim', input, '-o', path.join(dir, 'probed.tar'), '-f', 'json', '--probe', '/app/start.sh']);
    expect(probed.code, probed.stderr).toBe(0);
    expect(probed.stderr).toMatch(/probe '\/app\/start.sh': exit 0, 22 bytes of stdout/);
    expect(probed.stderr).toMatch(/verified: the slimmed image gives the same outcome/);
    const files = listRootfs(unpack(path.join(dir, 'probed.tar'), 'oci-archive', path.join(dir, 'probed')));
    expect(files.has('/app/bin/make-state')).toBe(true);
    expect(files.has('/data/state')).toBe(false);
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

describe('slim --probe refusals', () => {
  test('a --probe that needs a shell is refused with the way to write it', async () => {
    const result = await runCliInProcess(['slim', 'x.tar', '--dry-run', '--probe', 'cat a | wc -l']);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/give a simple command .* --probe "sh -c/);
  });

  test('--keep-unprobed, --no-verify and --probe-timeout without a probe are usage errors', async () => {
    for (const option of [['--keep-unprobed'], ['--no-verify'], ['--probe-timeout', '5']]) {
      const result = await runCliInProcess(['slim', 'x.tar', '--dry-run', ...option]);
      expect(result.code, option[0]).toBe(2);
      expect(result.stderr).toMatch(/need --probe or --probe-http/);
    }
  });
});

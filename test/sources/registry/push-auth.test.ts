/**
 * A registry behind TLS (a CA made by openssl) and htpasswd basic auth: reading with --cert-dir
 * and credentials from --creds or an auth file, refused credentials and unknown CAs as one line
 * (exit 3, never the password), and `slim -o docker://…` pushed, pulled back by skopeo, unpacked
 * by umoci, with the digest imgslim printed.
 */
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync, copyFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { runCliBinary, runCliInProcess } from '../../helpers/cli.js';
import { repoRoot } from '../../helpers/peer-corpus.js';
import { hasTool, testTmp } from '../../helpers/tools.js';
import { makeCertificates, makeHtpasswd, skopeoCopy, startRegistry, type RegistryServer } from './registry-server.js';

const ready = ['docker-registry', 'skopeo', 'umoci', 'openssl', 'htpasswd'].every((tool) => hasTool(tool, 'the registry auth and push tests'));
const USER = 'imgslim';
const PASSWORD = 's3cret-pass-word';

let scratch: string;
let certDir: string;
let registry: RegistryServer;
let skopeoAuth: string[];

beforeAll(async () => {
  if (!ready) return;
  mkdirSync(testTmp('registry'), { recursive: true });
  scratch = mkdtempSync(testTmp('registry', 'auth-'));
  const certs = makeCertificates(path.join(scratch, 'certs'));
  certDir = path.join(scratch, 'cert-dir');
  mkdirSync(certDir);
  copyFileSync(certs.ca, path.join(certDir, 'ca.crt'));
  registry = await startRegistry(path.join(scratch, 'registry'), {
    tls: { cert: certs.cert, key: certs.key },
    htpasswd: makeHtpasswd(path.join(scratch, 'htpasswd'), USER, PASSWORD),
  });
  skopeoAuth = ['--dest-cert-dir', certDir, '--dest-creds', `${USER}:${PASSWORD}`];
  skopeoCopy(`oci:${path.join(repoRoot, 'samples/static-oci')}`, `docker://${registry.host}/src/static:1`, skopeoAuth);
});

afterAll(async () => {
  await registry?.stop();
  if (scratch) rmSync(scratch, { recursive: true, force: true });
});

const image = () => `docker://${registry.host}/src/static:1`;

describe.skipIf(!ready)('TLS and basic auth', () => {
  test('--cert-dir and --creds read the image', async () => {
    const result = await runCliInProcess(['analyze', image(), '--cert-dir', certDir, '--creds', `${USER}:${PASSWORD}`, '-f', 'json', '-q']);
    expect(result.stderr).toBe('');
    expect(JSON.parse(result.stdout).source.format).toBe('registry');
  });

  test('credentials from REGISTRY_AUTH_FILE and from DOCKER_CONFIG', async () => {
    const auth = Buffer.from(`${USER}:${PASSWORD}`).toString('base64');
    const authFile = path.join(scratch, 'auth.json');
    writeFileSync(authFile, JSON.stringify({ auths: { [registry.host]: { auth } } }));
    const viaAuthFile = await runCliInProcess(['analyze', image(), '--cert-dir', certDir, '-f', 'json', '-q'], { env: { REGISTRY_AUTH_FILE: authFile } });
    expect(viaAuthFile.code).toBe(0);
    const dockerConfig = path.join(scratch, 'docker');
    mkdirSync(dockerConfig, { recursive: true });
    writeFileSync(path.join(dockerConfig, 'config.json'), JSON.stringify({ auths: { [`https://${registry.host}`]: { auth } } }));
    const viaDockerConfig = await runCliInProcess(['analyze', image(), '--cert-dir', certDir, '-f', 'json', '-q'], { env: { DOCKER_CONFIG: dockerConfig } });
    expect(viaDockerConfig.code).toBe(0);
  });

  test('credentials from docker-credential-* helpers (credHelpers, then credsStore), as docker login stores them', () => {
    // A helper speaks the docker-credential protocol: `get`, the server URL on stdin, JSON out.
    const bin = path.join(scratch, 'helper-bin');
    mkdirSync(bin, { recursive: true });
    const calls = path.join(scratch, 'helper-calls.txt');
    const helper = (name: string, user: string, secret: string) => {
      const file = path.join(bin, `docker-credential-${name}`);
      writeFileSync(
        file,
        `#!/bin/sh\nread url\necho "${name} $1 $url" >> '${calls}'\n[ "$url" = "${registry.host}" ] || { echo "credentials not found in native keychain"; exit 1; }\nprintf '{"ServerURL":"%s","Username":"${user}","Secret":"${secret}"}' "$url"\n`,
      );
      chmodSync(file, 0o755);
    };
    helper('perhost', USER, PASSWORD);
    helper('store', USER, PASSWORD);
    helper('wrong', USER, 'not-the-Password-42');
    const run = (config: object) => {
      const dir = mkdtempSync(path.join(scratch, 'docker-'));
      writeFileSync(path.join(dir, 'config.json'), JSON.stringify(config));
      return runCliBinary(['analyze', image(), '--cert-dir', certDir, '-f', 'json', '-q'], {
        env: { DOCKER_CONFIG: dir, PATH: `${bin}:${process.env.PATH}`, HOME: scratch },
      });
    };
    const perHost = run({ credHelpers: { [registry.host]: 'perhost' }, credsStore: 'wrong' });
    expect(perHost.stderr).toBe('');
    expect(perHost.code).toBe(0);
    expect(JSON.parse(perHost.stdout).source.format).toBe('registry');
    expect(readFileSync(calls, 'utf8')).toContain(`perhost get ${registry.host}`);
    expect(readFileSync(calls, 'utf8')).not.toContain('wrong get');
    const viaStore = run({ credsStore: 'store' });
    expect(viaStore.code).toBe(0);
    expect(readFileSync(calls, 'utf8')).toContain(`store get ${registry.host}`);
    // A helper that gives the wrong secret: refused as any wrong credentials are, secret never shown.
    const refused = run({ credsStore: 'wrong' });
    expect(refused.code).toBe(3);
    expect(refused.stderr.trim().split('\n')).toHaveLength(1);
    expect(refused.stdout + refused.stderr).not.toContain('not-the-Password-42');
    // A helper named but not installed: one line naming it.
    const missing = run({ credsStore: 'absent' });
    expect(missing.code).toBe(3);
    expect(missing.stderr.trim().split('\n')).toHaveLength(1);
    expect(missing.stderr).toContain('docker-credential-absent');
  });

  test('wrong credentials: exit 3, one line naming the registry, never the password', async () => {
    const wrong = 'not-the-Password-42';
    const result = await runCliInProcess(['analyze', image(), '--cert-dir', certDir, '--creds', `${USER}:${wrong}`, '-q']);
    expect(result.code).toBe(3);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    expect(result.stderr).toContain(registry.host);
    expect(result.stderr).toContain('authentication failed');
    expect(result.stdout + result.stderr).not.toContain(wrong);
    expect(result.stdout + result.stderr).not.toContain(Buffer.from(`${USER}:${wrong}`).toString('base64'));
  });

  test('no credentials at all: exit 3, says how to give them', async () => {
    const result = await runCliInProcess(['analyze', image(), '--cert-dir', certDir, '-q'], { env: { HOME: scratch } });
    expect(result.code).toBe(3);
    expect(result.stderr).toMatch(/authentication failed.*--creds/);
  });

  test('an unknown CA: exit 3, one line pointing at --cert-dir', async () => {
    const result = await runCliInProcess(['analyze', image(), '--creds', `${USER}:${PASSWORD}`, '-q']);
    expect(result.code).toBe(3);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    expect(result.stderr).toMatch(/TLS: .*--cert-dir/);
    const insecure = await runCliInProcess(['analyze', image(), '--creds', `${USER}:${PASSWORD}`, '--tls-verify=false', '-f', 'json', '-q']);
    expect(insecure.code).toBe(0);
  });

  test('slim -o docker://… pushes; skopeo pulls it back, umoci unpacks it, the digest is the one printed', async () => {
    const target = `docker://${registry.host}/slim/static:1`;
    const result = await runCliInProcess(['slim', image(), '-o', target, '--cert-dir', certDir, '--creds', `${USER}:${PASSWORD}`, '-f', 'json', '-q']);
    expect(result.code, result.stderr).toBe(0);
    const printed = /^imgslim: pushed (\S+)@(sha256:[0-9a-f]{64})$/m.exec(result.stderr);
    expect(printed?.[1]).toBe(target);
    const report = JSON.parse(result.stdout);
    expect(report.slim.output).toMatchObject({ path: target, format: 'registry', manifestDigest: printed![2] });

    const inspect = spawnSync('skopeo', ['inspect', '--cert-dir', certDir, '--creds', `${USER}:${PASSWORD}`, '--format', '{{.Digest}}', target], { encoding: 'utf8' });
    expect(inspect.stderr).toBe('');
    expect(inspect.stdout.trim()).toBe(printed![2]);
    const layout = path.join(scratch, 'pulled');
    skopeoCopy(target, `oci:${layout}:slim`, ['--src-cert-dir', certDir, '--src-creds', `${USER}:${PASSWORD}`]);
    const index = JSON.parse(readFileSync(path.join(layout, 'index.json'), 'utf8'));
    expect(index.manifests[0].digest).toBe(printed![2]);
    const bundle = path.join(scratch, 'bundle');
    const unpack = spawnSync('umoci', ['unpack', '--image', `${layout}:slim`, bundle], { encoding: 'utf8' });
    expect(unpack.status, unpack.stderr).toBe(0);
    for (const kept of report.slim.kept) expect(existsSync(path.join(bundle, 'rootfs', kept.path)), kept.path).toBe(true);

    // Pushing the same image again finds every blob present and stores the same digest.
    const again = await runCliInProcess(['slim', image(), '-o', target, '--cert-dir', certDir, '--creds', `${USER}:${PASSWORD}`, '-f', 'json', '-q']);
    expect(again.stderr).toContain(printed![2]);
  });
});

/**
 * End to end bearer tokens: docker-registry configured with `auth: token` and an issuer this test
 * runs (node:http on 127.0.0.1) that checks basic credentials and signs RS256 JWTs with a key
 * whose self-signed certificate is the registry's rootcertbundle (sent as `x5c`). skopeo pushes
 * through the issuer; imgslim reads through it and gives the same Report as the OCI layout; the
 * issuer saw the right service and scope; wrong credentials are one line, exit 3, no password.
 *
 * skopeo runs with async spawn (a kill timer), never spawnSync: the issuer lives in this process's
 * event loop, so a blocking spawn would leave skopeo's token request unanswered forever.
 */
import { spawn, spawnSync } from 'node:child_process';
import { createSign, randomUUID } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { analyzeImage } from '../../../src/analysis/index.js';
import { runCliInProcess } from '../../helpers/cli.js';
import { repoRoot } from '../../helpers/peer-corpus.js';
import { hasTool, testTmp } from '../../helpers/tools.js';
import { freePort, startRegistry, type RegistryServer } from './registry-server.js';

const ready = ['docker-registry', 'skopeo', 'openssl'].every((tool) => hasTool(tool, 'the registry bearer-token test'));
const USER = 'imgslim';
const PASSWORD = 'b3arer-Pass-word';
const SERVICE = 'imgslim-test';
const ISSUER = 'imgslim-test-issuer';
const REPO = 'bearer/static';
/** A user the issuer accepts but whose tokens it signs with a key the registry does not trust. */
const FORGER = 'forger';

interface TokenRequest {
  service: string | null;
  scopes: string[];
  granted: boolean;
}

let scratch: string;
let registry: RegistryServer;
let issuer: http.Server;
let issuerPort: number;
const tokenRequests: TokenRequest[] = [];

const base64url = (data: Buffer | string) => Buffer.from(data).toString('base64url');

/** A JWT as distribution 2.8 validates it: `x5c` holds the signing certificate (= the root). */
function signToken(key: string, certDer: Buffer, subject: string, scopes: string[]): string {
  const now = Math.floor(Date.now() / 1000);
  const access = scopes.map((scope) => {
    const [type, name, actions] = scope.split(':');
    return { type, name, actions: actions!.split(',') };
  });
  const header = { alg: 'RS256', typ: 'JWT', x5c: [certDer.toString('base64')] };
  const claims = { iss: ISSUER, sub: subject, aud: SERVICE, exp: now + 300, nbf: now - 10, iat: now, jti: randomUUID(), access };
  const signingInput = `${base64url(JSON.stringify(header))}.${base64url(JSON.stringify(claims))}`;
  const signature = createSign('RSA-SHA256').update(signingInput).sign(key);
  return `${signingInput}.${base64url(signature)}`;
}

/** The token issuer: basic credentials checked, every request recorded. */
function startIssuer(port: number, key: string, certDer: Buffer, untrusted: { key: string; certDer: Buffer }): Promise<http.Server> {
  const basic = (user: string) => `Basic ${Buffer.from(`${user}:${PASSWORD}`).toString('base64')}`;
  const server = http.createServer((request, response) => {
    const url = new URL(request.url ?? '/', `http://127.0.0.1:${port}`);
    const forged = request.headers.authorization === basic(FORGER);
    const granted = forged || request.headers.authorization === basic(USER);
    const scopes = url.searchParams.getAll('scope');
    tokenRequests.push({ service: url.searchParams.get('service'), scopes, granted });
    if (!granted) {
      response.writeHead(401, { 'content-type': 'application/json' });
      response.end(JSON.stringify({ errors: [{ code: 'UNAUTHORIZED', message: 'bad credentials' }] }));
      return;
    }
    const token = forged ? signToken(untrusted.key, untrusted.certDer, FORGER, scopes) : signToken(key, certDer, USER, scopes);
    response.writeHead(200, { 'content-type': 'application/json' });
    response.end(JSON.stringify({ token, access_token: token, expires_in: 300 }));
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve(server));
  });
}

/** `skopeo copy` without blocking the event loop (the issuer must answer), killed after a deadline. */
function skopeoCopyAsync(source: string, destination: string, extra: string[], deadlineMs = 60_000): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn('skopeo', ['copy', '-q', ...extra, source, destination], { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), deadlineMs);
    child.on('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      if (code === 0) resolve();
      else reject(new Error(`skopeo copy ${source} ${destination}: ${signal ? `killed (${signal}) after ${deadlineMs} ms` : `exit ${code}`}: ${stderr}`));
    });
  });
}

/** An RSA key and its self-signed certificate (PEM files), read back as the PEM key and the DER certificate. */
function makeSigningKey(keyFile: string, certFile: string): { key: string; certDer: Buffer } {
  const made = spawnSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', keyFile, '-out', certFile, '-days', '2', '-subj', '/CN=imgslim test token issuer'], { encoding: 'utf8', timeout: 30_000 });
  if (made.status !== 0) throw new Error(`openssl: ${made.stderr}`);
  const certPem = readFileSync(certFile, 'utf8');
  return { key: readFileSync(keyFile, 'utf8'), certDer: Buffer.from(certPem.replace(/-----(BEGIN|END) CERTIFICATE-----|\s/g, ''), 'base64') };
}

beforeAll(async () => {
  if (!ready) return;
  mkdirSync(testTmp('registry'), { recursive: true });
  scratch = mkdtempSync(testTmp('registry', 'bearer-'));
  const keyFile = path.join(scratch, 'token.key');
  const certFile = path.join(scratch, 'token.crt');
  const trusted = makeSigningKey(keyFile, certFile);
  const untrusted = makeSigningKey(path.join(scratch, 'untrusted.key'), path.join(scratch, 'untrusted.crt'));

  issuerPort = await freePort();
  issuer = await startIssuer(issuerPort, trusted.key, trusted.certDer, untrusted);
  registry = await startRegistry(path.join(scratch, 'registry'), {
    token: { realm: `http://127.0.0.1:${issuerPort}/token`, service: SERVICE, issuer: ISSUER, rootCertBundle: certFile },
  });
  await skopeoCopyAsync(`oci:${path.join(repoRoot, 'samples/static-oci')}`, `oci:${path.join(scratch, 'layout')}:1`, []);
  await skopeoCopyAsync(`oci:${path.join(scratch, 'layout')}:1`, `docker://${registry.host}/${REPO}:1`, ['--dest-tls-verify=false', '--dest-creds', `${USER}:${PASSWORD}`]);
}, 120_000);

afterAll(async () => {
  await registry?.stop();
  await new Promise<void>((resolve) => (issuer ? issuer.close(() => resolve()) : resolve()));
  if (scratch) rmSync(scratch, { recursive: true, force: true });
});

describe.skipIf(!ready)('bearer tokens from an issuer (docker-registry auth: token)', () => {
  test('skopeo pushed through the issuer', () => {
    expect(tokenRequests.some((request) => request.granted && request.scopes.some((scope) => scope.startsWith(`repository:${REPO}:`) && scope.includes('push')))).toBe(true);
  });

  test('--creds reads the image: the same Report as its OCI layout; the issuer saw service and pull scope', async () => {
    tokenRequests.length = 0;
    const image = `docker://${registry.host}/${REPO}:1`;
    const result = await runCliInProcess(['analyze', image, '--creds', `${USER}:${PASSWORD}`, '-f', 'json', '-q']);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const fromRegistry = JSON.parse(result.stdout);
    const fromLayout = JSON.parse(JSON.stringify(await analyzeImage(`oci:${path.join(scratch, 'layout')}:1`)));
    expect(fromRegistry.source.format).toBe('registry');
    expect(fromRegistry.source.manifestDigest).toBe(fromLayout.source.manifestDigest);
    expect({ ...fromRegistry, source: null }).toEqual({ ...fromLayout, source: null });
    expect(tokenRequests).toContainEqual({ service: SERVICE, scopes: [`repository:${REPO}:pull`], granted: true });
    expect(tokenRequests.every((request) => request.granted)).toBe(true);
  });

  test('wrong credentials: exit 3, one line naming the registry, never the password', async () => {
    const wrong = 'not-the-B3arer-pass';
    const result = await runCliInProcess(['analyze', `docker://${registry.host}/${REPO}:1`, '--creds', `${USER}:${wrong}`, '-q']);
    expect(result.code).toBe(3);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    expect(result.stderr).toContain(registry.host);
    expect(result.stderr).toContain('authentication failed: the registry refused the credentials from --creds');
    expect(result.stdout + result.stderr).not.toContain(wrong);
    expect(result.stdout + result.stderr).not.toContain(Buffer.from(`${USER}:${wrong}`).toString('base64'));
  });

  test('a token signed by a key outside the rootcertbundle is refused by the registry: exit 3, one line', async () => {
    tokenRequests.length = 0;
    const result = await runCliInProcess(['analyze', `docker://${registry.host}/${REPO}:1`, '--creds', `${FORGER}:${PASSWORD}`, '-q']);
    expect(tokenRequests.some((request) => request.granted)).toBe(true);
    expect(result.code).toBe(3);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    expect(result.stderr).toContain(registry.host);
    expect(result.stderr).toContain(`refused the token that http://127.0.0.1:${issuerPort} issued`);
    expect(result.stdout + result.stderr).not.toContain(PASSWORD);
  });
});

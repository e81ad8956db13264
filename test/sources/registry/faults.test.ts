/**
 * Faults injected by a loopback proxy in front of docker-registry: a connection dropped mid-blob
 * is resumed with Range; a blob served with wrong bytes is exit 4 and nothing is written; 429 with
 * Retry-After is waited out. Also a chunked upload (PATCH + PUT).
 */
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { analyzeImage } from '../../../src/analysis/index.js';
import { openImage, pushImage } from '../../../src/sources/index.js';
import { runCliBinaryAsync, runCliInProcess } from '../../helpers/cli.js';
import { repoRoot } from '../../helpers/peer-corpus.js';
import { hasTool, testTmp } from '../../helpers/tools.js';
import { collect } from '../conformance.js';
import { skopeoCopy, startRegistry, type RegistryServer } from './registry-server.js';

const ready = hasTool('docker-registry', 'the registry fault tests') && hasTool('skopeo', 'the registry fault tests');

type Fault = 'drop' | 'corrupt' | 'retimed' | 'throttle';

interface Seen {
  method: string;
  url: string;
  range?: string;
  at: number;
}

/** Forwards to the registry; `faults` says what to do to the next request matching a path part. */
class FaultProxy {
  readonly seen: Seen[] = [];
  readonly faults = new Map<string, Fault>();
  private readonly server: http.Server;
  host = '';

  constructor(private readonly upstream: string) {
    this.server = http.createServer((request, response) => this.handle(request, response));
  }

  listen(): Promise<void> {
    return new Promise((resolve) =>
      this.server.listen(0, '127.0.0.1', () => {
        this.host = `127.0.0.1:${(this.server.address() as { port: number }).port}`;
        resolve();
      }),
    );
  }

  close(): Promise<void> {
    this.server.closeAllConnections();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }

  private takeFault(url: string): Fault | undefined {
    for (const [part, fault] of this.faults) {
      if (url.includes(part)) {
        // Wrong bytes stay wrong (a re-read must not heal them); other faults happen once.
        if (fault !== 'corrupt' && fault !== 'retimed') this.faults.delete(part);
        return fault;
      }
    }
    return undefined;
  }

  private handle(request: http.IncomingMessage, response: http.ServerResponse): void {
    this.seen.push({ method: request.method!, url: request.url!, range: request.headers.range, at: Date.now() });
    const fault = request.method === 'GET' ? this.takeFault(request.url!) : undefined;
    if (fault === 'throttle') {
      response.writeHead(429, { 'retry-after': '1', 'content-length': '0' });
      response.end();
      return;
    }
    const [host, port] = this.upstream.split(':');
    const forward = http.request({ host, port: Number(port), method: request.method, path: request.url, headers: request.headers }, (upstream) => {
      response.writeHead(upstream.statusCode!, upstream.headers);
      if (fault === undefined) return void upstream.pipe(response);
      const length = Number(upstream.headers['content-length']);
      let sent = 0;
      upstream.on('data', (chunk: Buffer) => {
        if (fault === 'drop' && sent + chunk.length > length / 2) {
          response.write(chunk.subarray(0, Math.max(0, Math.floor(length / 2) - sent)));
          upstream.destroy();
          response.socket?.destroy();
          return;
        }
        const bytes = (fault === 'corrupt' || fault === 'retimed') && sent === 0 ? Buffer.from(chunk) : chunk;
        if (fault === 'corrupt' && sent === 0) bytes[bytes.length - 1] = bytes[bytes.length - 1]! ^ 0xff;
        // The gzip header's MTIME: no inflater checks it, so only the digest can tell.
        if (fault === 'retimed' && sent === 0) bytes[4] = bytes[4]! ^ 0xff;
        sent += chunk.length;
        response.write(bytes);
      });
      upstream.on('end', () => response.end());
    });
    request.pipe(forward);
  }
}

let scratch: string;
let registry: RegistryServer;
let proxy: FaultProxy;
let layerDigest: string;

beforeAll(async () => {
  if (!ready) return;
  mkdirSync(testTmp('registry'), { recursive: true });
  scratch = mkdtempSync(testTmp('registry', 'faults-'));
  registry = await startRegistry(path.join(scratch, 'registry'));
  skopeoCopy(`oci:${path.join(repoRoot, 'samples/static-oci')}`, `docker://${registry.host}/samples/static:1`, ['--dest-tls-verify=false']);
  // Four gzip layers: the built CLI scans them in worker threads with IMGSLIM_WORKERS=2 (one layer is scanned on the main thread).
  skopeoCopy(`oci-archive:${path.join(repoRoot, 'samples/layers.tar')}`, `docker://${registry.host}/samples/layers:1`, ['--dest-tls-verify=false']);
  proxy = new FaultProxy(registry.host);
  await proxy.listen();
  const image = await openImage(`docker://${registry.host}/samples/static:1`);
  layerDigest = image.layers[0]!.descriptor.digest;
  await image.close();
});

afterAll(async () => {
  await proxy?.close();
  await registry?.stop();
  if (scratch) rmSync(scratch, { recursive: true, force: true });
});

const viaProxy = () => `docker://${proxy.host}/samples/static:1`;

describe.skipIf(!ready)('faults through a loopback proxy', () => {
  test('a connection dropped mid-blob is resumed with Range; the Report is unchanged', async () => {
    const direct = await analyzeImage(`docker://${registry.host}/samples/static:1`);
    proxy.faults.set(`/blobs/${layerDigest}`, 'drop');
    const resumed = await analyzeImage(viaProxy());
    expect({ ...resumed, source: null }).toEqual({ ...direct, source: null });
    const ranges = proxy.seen.filter((seen) => seen.url.endsWith(layerDigest) && seen.range);
    expect(ranges).toHaveLength(1);
    expect(ranges[0]!.range).toMatch(/^bytes=[1-9]\d*-$/);
  });

  test('a blob served with wrong bytes: exit 4 and nothing written', async () => {
    const out = path.join(scratch, 'out');
    mkdirSync(out);
    proxy.faults.set(`/blobs/${layerDigest}`, 'corrupt');
    const analyze = await runCliInProcess(['analyze', viaProxy(), '-q']);
    expect(analyze.code).toBe(4);
    expect(analyze.stderr).toMatch(/digest mismatch/);
    expect(analyze.stdout).toBe('');
    const slim = await runCliInProcess(['slim', viaProxy(), '-o', path.join(out, 'slim.tar'), '-q']);
    proxy.faults.clear();
    expect(slim.code).toBe(4);
    expect(existsSync(path.join(out, 'slim.tar'))).toBe(false);
    expect(readdirSync(out)).toEqual([]);
  });

  test('the built CLI, whose worker threads check the blob: a changed gzip header that inflates fine is exit 4, digest mismatch, for analyze and slim', async () => {
    const out = path.join(scratch, 'out-cli');
    mkdirSync(out);
    const image = `docker://${proxy.host}/samples/layers:1`;
    const biggest = 'sha256:149c898357b91204613aa5f7cd47f5e7e34e01a42ff45fbf7ebd48e4786aec35';
    proxy.faults.set(`/blobs/${biggest}`, 'retimed');
    // The image is small enough to scan on the main thread unless told otherwise.
    const env = { IMGSLIM_WORKERS: '2' };
    const analyze = await runCliBinaryAsync(['analyze', image, '-q'], { env });
    const slim = await runCliBinaryAsync(['slim', image, '-o', path.join(out, 'slim.tar'), '-q'], { env });
    proxy.faults.clear();
    expect(analyze.code, analyze.stderr).toBe(4);
    expect(analyze.stderr).toMatch(new RegExp(`^imgslim: .*layer 1/4 .*: digest mismatch: expected ${biggest}, got sha256:[0-9a-f]{64}\\n$`));
    expect(analyze.stdout).toBe('');
    expect(slim.code, slim.stderr).toBe(4);
    expect(readdirSync(out)).toEqual([]);
    const clean = await runCliBinaryAsync(['analyze', image, '-q', '--format', 'json'], { env });
    expect(clean.code, clean.stderr).toBe(0);
  }, 60_000);

  test('429 with Retry-After is waited out', async () => {
    proxy.seen.length = 0;
    proxy.faults.set('/manifests/1', 'throttle');
    const report = await analyzeImage(viaProxy());
    expect(report.source.format).toBe('registry');
    const manifests = proxy.seen.filter((seen) => seen.url.endsWith('/manifests/1'));
    expect(manifests).toHaveLength(2);
    expect(manifests[1]!.at - manifests[0]!.at).toBeGreaterThanOrEqual(1000);
  });

  test('a chunked upload (PATCH, PUT) stores the same blob', async () => {
    const image = await openImage(`docker://${registry.host}/samples/static:1`);
    const layer = image.layers[0]!;
    const blobPath = path.join(scratch, 'layer.blob');
    const { writeFileSync } = await import('node:fs');
    writeFileSync(blobPath, await collect(layer.open()));
    const pushed = await pushImage(
      `${proxy.host}/chunked/static:1`,
      { config: JSON.parse(Buffer.from(image.configBytes).toString('utf8')), layers: [{ blobPath, digest: layer.descriptor.digest, diffId: layer.diffId, size: layer.descriptor.size, mediaType: layer.descriptor.mediaType }] },
      { chunkSize: 100 * 1024 },
    );
    await image.close();
    expect(proxy.seen.filter((seen) => seen.method === 'PATCH' && seen.url.includes('/chunked/static/')).length).toBeGreaterThan(2);
    const back = await openImage(`docker://${registry.host}/chunked/static@${pushed.manifestDigest}`);
    expect(back.manifestDigest).toBe(pushed.manifestDigest);
    expect((await collect(back.layers[0]!.open())).length).toBe(layer.descriptor.size);
    await back.close();
  });
});

/**
 * The analysis of the real images in samples/ (built with umoci/skopeo, never by imgslim):
 * every fact asserted here is recorded in samples/README.md and checked there with
 * independent tools.
 */
import path from 'node:path';
import { beforeAll, describe, expect, test } from 'vitest';
import { analyzeImage } from '../../src/analysis/index.js';
import type { Report } from '../../src/report/index.js';
import { reportErrors } from '../../src/report/validate.js';
import { repoRoot } from '../helpers/peer-corpus.js';

const sample = (name: string) => path.join(repoRoot, 'samples', name);
const binary = (report: Report, p: string) => report.binaries.find((b) => b.path === p);
const entry = (report: Report, p: string) => report.filesystem.entries.find((e) => e.path === p);
const ids = (report: Report) => report.findings.map((f) => `${f.severity} ${f.id} ${f.path ?? ''}`);

describe('samples/glibc-dynamic.tar (docker-archive, uncompressed layers, symlinked members)', () => {
  let report: Report;
  beforeAll(async () => {
    report = await analyzeImage(sample('glibc-dynamic.tar'));
  });

  test('source, config and layers', () => {
    expect(reportErrors(report)).toEqual([]);
    expect(report.source).toMatchObject({ format: 'docker-archive', platform: 'linux/amd64', reference: null });
    expect(report.source.tags).toContain('docker.io/imgslim/glibc-dynamic:latest');
    expect(report.config).toMatchObject({ entrypoint: ['/app/hello'], cmd: ['world'], user: 'app', workingDir: '/app' });
    expect(report.config.exposedPorts).toEqual({ '8080/tcp': {} });
    expect(report.layers.map((l) => l.diffId)).toEqual([
      'sha256:0eb4aa59eca0c16f05a8dc134ff0208611f2f7cb0476ed3745f711700b8196d5',
      'sha256:edd3ca7ba1a8597d13f2c0f3d8549b43b6ddc926b72574d76b77c03f36412420',
    ]);
    expect(report.layers.map((l) => [l.compression, l.tarSize])).toEqual([
      ['none', 2150400],
      ['none', 18944],
    ]);
  });

  test('final filesystem', () => {
    expect(entry(report, '/app/hello')).toMatchObject({ type: 'file', size: 16256, mode: 0o755, uid: 0, layer: 1 });
    expect(entry(report, '/app')).toMatchObject({ type: 'directory', uid: 1000, gid: 1000 });
    expect(entry(report, '/lib64')).toMatchObject({ type: 'symlink', linkTarget: 'usr/lib64' });
    expect(entry(report, '/usr/lib/x86_64-linux-gnu/libc.so.6')).toMatchObject({ size: 1926232 });
  });

  test('the entrypoint is a glibc PIE whose loader is reached through three symlinks', () => {
    const hello = binary(report, '/app/hello')!;
    expect(hello).toMatchObject({ type: 'DYN', linkage: 'dynamic', libc: 'glibc', interpreter: '/lib64/ld-linux-x86-64.so.2', status: 'ok' });
    expect(hello.needed).toEqual(['libc.so.6']);
    expect(hello.hardening.pie).toBe(true);
    const [interp, libc] = hello.resolved;
    expect(interp).toMatchObject({ via: 'interpreter', path: '/usr/lib/x86_64-linux-gnu/ld-linux-x86-64.so.2' });
    expect(interp!.chain.length).toBeGreaterThanOrEqual(2);
    expect(libc).toMatchObject({ name: 'libc.so.6', path: '/usr/lib/x86_64-linux-gnu/libc.so.6', via: 'default-path' });
    expect(hello.vdso.uses).toBe(true);
    expect(report.entrypoint).toMatchObject({ argv: ['/app/hello', 'world'], binary: '/app/hello', startable: true });
    expect(ids(report).filter((id) => id.startsWith('error'))).toEqual([]);
  });
});

describe('samples/musl-dynamic.tar (OCI archive, gzip)', () => {
  test('a musl program whose libc.so is the loader itself', async () => {
    const report = await analyzeImage(sample('musl-dynamic.tar'));
    expect(report.source).toMatchObject({
      format: 'oci-archive',
      manifestDigest: 'sha256:50df918ccebc074b5b58a36452ddfd38f0a74b43730639369565531c482fe412',
      configDigest: 'sha256:c143e0935701954cf0dff128ec866e948844c80d23ac7431808e3a4a1edaa73e',
    });
    expect(report.layers.map((l) => [l.compression, l.compressedSize])).toEqual([
      ['gzip', 442490],
      ['gzip', 3556],
    ]);
    const hello = binary(report, '/app/hello')!;
    expect(hello).toMatchObject({ libc: 'musl', interpreter: '/lib/ld-musl-x86_64.so.1', status: 'ok' });
    expect(hello.resolved.map((d) => [d.name, d.path, d.via])).toEqual([
      ['/lib/ld-musl-x86_64.so.1', '/lib/ld-musl-x86_64.so.1', 'interpreter'],
      ['libc.so', '/lib/ld-musl-x86_64.so.1', 'musl-builtin'],
    ]);
    expect(binary(report, '/lib/ld-musl-x86_64.so.1')!.libc).toBe('musl');
    expect(report.entrypoint?.startable).toBe(true);
    expect(ids(report)).toContain('warning runs-as-root ');
  });
});

describe('samples/static-oci (OCI layout directory, ref.name 1.0)', () => {
  test('static and static-pie binaries, numeric user, vDSO use', async () => {
    const report = await analyzeImage(sample('static-oci'));
    expect(report.source).toMatchObject({ format: 'oci-layout', reference: null });
    expect(report.source.tags).toEqual(['1.0']);
    expect(binary(report, '/app/hello')).toMatchObject({ type: 'EXEC', linkage: 'static', libc: 'none', resolved: [], status: 'ok' });
    expect(binary(report, '/app/hello-pie')).toMatchObject({ type: 'DYN', linkage: 'static-pie', libc: 'none', status: 'ok' });
    expect(binary(report, '/app/hello')!.vdso.uses).toBe(true);
    expect(report.entrypoint?.startable).toBe(true);
    expect(ids(report)).not.toContain('warning runs-as-root ');
  });
});

describe('samples/layers.tar (whiteouts, opaque dir, hard links, zstd layer)', () => {
  let report: Report;
  beforeAll(async () => {
    report = await analyzeImage(sample('layers.tar'));
  });

  test('layers, history and compression', () => {
    expect(report.layers.map((l) => l.compression)).toEqual(['gzip', 'gzip', 'gzip', 'zstd']);
    expect(report.layers[3]!.mediaType).toMatch(/zstd/);
    expect(report.layers.map((l) => l.diffId.slice(7, 19))).toEqual(['565b9835f6dd', '3444775c4eb3', 'f7be9a9568c9', 'a200cad83301']);
    expect(report.layers.every((l) => l.createdBy !== null)).toBe(true);
  });

  test('the final filesystem as the runtime builds it', () => {
    for (const gone of ['/data/remove-me.txt', '/data/dir-to-remove', '/data/dir-to-remove/a.txt', '/opt/opaque/old-1.txt', '/opt/opaque/sub']) {
      expect(entry(report, gone), gone).toBeUndefined();
    }
    expect(entry(report, '/opt/opaque/new-1.txt')).toBeDefined();
    expect(entry(report, '/data/dir-becomes-file')).toMatchObject({ type: 'file', size: 33 });
    expect(entry(report, '/data/file-becomes-dir')).toMatchObject({ type: 'directory' });
    expect(entry(report, '/data/overwrite/b-link')?.size).toBe(15);
    expect(entry(report, '/data/overwrite/a-original')?.size).toBe(25);
    expect(entry(report, '/var/cache/big.bin')).toMatchObject({ size: 2097152, layer: 1 });
    expect(entry(report, '/usr/local/bin/suid-hello')?.mode).toBe(0o4755);
    expect(entry(report, '/usr/local/bin/cap-hello')?.capabilities).toEqual(['cap_net_bind_service+ep']);
    expect(report.filesystem).toMatchObject({ directories: 19, files: 16, symlinks: 275, totalSize: 4156269 });
    expect(report.efficiency.reclaimableBytes).toBe(2097260);
  });

  test('shell-form entrypoint runs busybox as sh with a builtin command', () => {
    expect(report.entrypoint).toMatchObject({ path: '/bin/sh', binary: '/bin/busybox', applet: 'sh', startable: true });
    expect(ids(report)).toEqual(
      expect.arrayContaining([
        'warning setuid /usr/local/bin/suid-hello',
        'warning capabilities /usr/local/bin/cap-hello',
        'warning runs-as-root ',
      ]),
    );
  });
});

describe('samples/glibc-apps.tar (RPATH, RUNPATH, dlopen)', () => {
  test('$ORIGIN search paths and the dlopen risk', async () => {
    const report = await analyzeImage(sample('glibc-apps.tar'));
    const greet = binary(report, '/app/bin/greet')!;
    expect(greet.rpath).toEqual(['$ORIGIN/../lib']);
    expect(greet.resolved.find((d) => d.name === 'libgreet.so')).toMatchObject({ path: '/app/lib/libgreet.so', via: 'rpath' });
    const runpath = binary(report, '/app/bin/greet-runpath')!;
    expect(runpath.resolved.find((d) => d.name === 'libgreet.so')).toMatchObject({ via: 'runpath' });
    expect(ids(report)).toContain('info dlopen /app/bin/plugin');
    expect(report.entrypoint?.startable).toBe(true);
  });
});

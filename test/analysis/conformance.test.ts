/**
 * One conformance check for every source format: the same image, written as a legacy docker
 * save, a Docker >= 25 save, an OCI layout and an OCI archive, with plain, gzip and zstd layers,
 * gives the same Report (but for the source fields), and that Report validates.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { analyzeImage } from '../../src/analysis/index.js';
import type { Report } from '../../src/report/index.js';
import { reportErrors } from '../../src/report/validate.js';
import type { FixtureFormat, ImageSpec } from '../helpers/image-builder.js';
import { compileC, glibcEntries, hasGcc, HELLO_C, writeImage } from './_images.js';

const FORMATS: FixtureFormat[] = ['docker-legacy', 'docker25', 'oci-layout', 'oci-archive'];

function spec(hello: Buffer): ImageSpec {
  return {
    layers: [
      { entries: [...glibcEntries(), { path: 'etc/passwd', content: 'root:x:0:0::/root:/bin/sh\napp:x:1000:1000::/app:/bin/sh\n' }], compression: 'gzip' },
      {
        entries: [
          { path: 'app/hello', content: hello, mode: 0o755 },
          { path: 'app/old.txt', content: 'x'.repeat(1000) },
          { path: 'app/hello-link', type: 'hardlink', target: 'app/hello' },
        ],
        compression: 'zstd',
      },
      { entries: [{ path: 'app/old.txt', type: 'whiteout' }, { path: 'app/run', type: 'symlink', target: 'hello' }], compression: 'none' },
    ],
    containerConfig: { Entrypoint: ['/app/run'], Cmd: ['world'], User: 'app', Env: ['PATH=/usr/bin:/bin'] },
    extraConfig: { history: [{ created_by: 'base' }, { created_by: 'ENV X=1', empty_layer: true }, { created_by: 'app' }, { created_by: 'cleanup' }] },
  };
}

/** The Report without what legitimately differs between formats. */
function formatIndependent(report: Report) {
  const { source, layers, ...rest } = report;
  return { ...rest, layers: layers.map(({ digest, compressedSize, mediaType, ...layer }) => layer), platform: source.platform, config: source.configDigest };
}

describe.skipIf(!hasGcc)('the same image in every source format', () => {
  test('gives the same report, and it validates against the schema', async () => {
    const hello = compileC(HELLO_C);
    const reports: Report[] = [];
    for (const format of FORMATS) {
      const report = await analyzeImage(await writeImage(format, spec(hello)));
      expect(reportErrors(report), format).toEqual([]);
      reports.push(report);
    }
    expect(reports.map((r) => r.source.format)).toEqual(['docker-archive', 'docker-archive', 'oci-layout', 'oci-archive']);
    const [first, ...rest] = reports.map(formatIndependent);
    for (const other of rest) expect(other).toEqual(first);

    const report = reports[3]!;
    expect(report.layers.map((l) => [l.compression, l.createdBy])).toEqual([
      ['gzip', 'base'],
      ['zstd', 'app'],
      ['none', 'cleanup'],
    ]);
    expect(report.layers[2]!.files).toMatchObject({ removed: 1, added: 1 });
    expect(report.efficiency.reclaimableBytes).toBe(1000);
    expect(report.filesystem.entries.find((e) => e.path === '/app/hello-link')).toMatchObject({ type: 'hardlink', linkTarget: '/app/hello', size: hello.length });
    expect(report.entrypoint).toMatchObject({ argv: ['/app/run', 'world'], path: '/app/run', binary: '/app/hello', startable: true });
    const libc = readFileSync('/lib/x86_64-linux-gnu/libc.so.6');
    expect(report.binaries.find((b) => b.path === '/lib/x86_64-linux-gnu/libc.so.6')?.size).toBe(libc.length);
  });
});

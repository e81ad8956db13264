/**
 * Reading from Debian's docker-registry (plain HTTP on loopback, anonymous): each sample pushed
 * with skopeo gives the same Report (apart from `source`) as the same image copied back by skopeo
 * into an OCI layout.
 */
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { analyzeImage } from '../../../src/analysis/index.js';
import { runCliInProcess } from '../../helpers/cli.js';
import { repoRoot } from '../../helpers/peer-corpus.js';
import { hasTool, testTmp } from '../../helpers/tools.js';
import { skopeoCopy, startRegistry, type RegistryServer } from './registry-server.js';

const ready = hasTool('docker-registry', 'the registry tests') && hasTool('skopeo', 'the registry tests');
const SAMPLES = [
  { name: 'static', source: `oci:${path.join(repoRoot, 'samples/static-oci')}` },
  { name: 'musl-dynamic', source: `oci-archive:${path.join(repoRoot, 'samples/musl-dynamic.tar')}` },
  { name: 'glibc-dynamic', source: `docker-archive:${path.join(repoRoot, 'samples/glibc-dynamic.tar')}` },
];

let scratch: string;
let registry: RegistryServer;

beforeAll(async () => {
  if (!ready) return;
  mkdirSync(testTmp('registry'), { recursive: true });
  scratch = mkdtempSync(testTmp('registry', 'pull-'));
  registry = await startRegistry(path.join(scratch, 'registry'));
  mkdirSync(path.join(scratch, 'layouts'));
  for (const sample of SAMPLES) {
    skopeoCopy(sample.source, `oci:${path.join(scratch, 'layouts', sample.name)}:1`);
    skopeoCopy(`oci:${path.join(scratch, 'layouts', sample.name)}:1`, `docker://${registry.host}/samples/${sample.name}:1`, ['--dest-tls-verify=false']);
  }
});

afterAll(async () => {
  await registry?.stop();
  if (scratch) rmSync(scratch, { recursive: true, force: true });
});

describe.skipIf(!ready)('docker:// from a loopback registry', () => {
  test.each(SAMPLES.map((sample) => sample.name))('%s: the same Report as its OCI layout', async (name) => {
    const fromRegistry = await analyzeImage(`docker://${registry.host}/samples/${name}:1`);
    const fromLayout = await analyzeImage(`oci:${path.join(scratch, 'layouts', name)}:1`);
    expect(fromRegistry.source.format).toBe('registry');
    expect(fromRegistry.source.manifestDigest).toBe(fromLayout.source.manifestDigest);
    expect(fromRegistry.source.reference).toBe(`${registry.host}/samples/${name}:1`);
    expect({ ...fromRegistry, source: null }).toEqual({ ...fromLayout, source: null });
  });

  test('a Docker v2 manifest reads the same files and binaries', async () => {
    const layout = `oci:${path.join(scratch, 'layouts', 'glibc-dynamic')}:1`;
    skopeoCopy(layout, `docker://${registry.host}/samples/v2s2:1`, ['--dest-tls-verify=false', '--format', 'v2s2']);
    const fromRegistry = await analyzeImage(`docker://${registry.host}/samples/v2s2:1`);
    const fromLayout = await analyzeImage(layout);
    expect(fromRegistry.source.manifestMediaType).toBe('application/vnd.docker.distribution.manifest.v2+json');
    expect(fromRegistry.filesystem).toEqual(fromLayout.filesystem);
    expect(fromRegistry.binaries).toEqual(fromLayout.binaries);
  });

  test('by digest, through the CLI', async () => {
    const layout = await analyzeImage(`oci:${path.join(scratch, 'layouts', 'static')}:1`);
    const image = `docker://${registry.host}/samples/static@${layout.source.manifestDigest}`;
    const result = await runCliInProcess(['analyze', image, '-f', 'json', '-q']);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const report = JSON.parse(result.stdout);
    expect(report.source.path).toBe(image);
    expect(report.source.manifestDigest).toBe(layout.source.manifestDigest);
  });

  test('an unknown tag is one line and exit 3', async () => {
    const result = await runCliInProcess(['analyze', `docker://${registry.host}/samples/static:nope`, '-q']);
    expect(result.code).toBe(3);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    expect(result.stderr).toContain('MANIFEST_UNKNOWN');
  });

  test('a missing repository / unreachable registry are one line and exit 3', async () => {
    const result = await runCliInProcess(['analyze', `docker://127.0.0.1:1/x:1`, '-q']);
    expect(result.code).toBe(3);
    expect(result.stderr).toMatch(/^imgslim: 127\.0\.0\.1:1: .*ECONNREFUSED/);
  });
});

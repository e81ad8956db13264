/** Written images are accepted by real tools: skopeo inspect (all three formats) and umoci unpack. */
import { execFileSync } from 'node:child_process';
import { existsSync, lstatSync, mkdirSync, mkdtempSync, readFileSync, readlinkSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { writeImage } from '../../src/sources/index.js';
import { buildImage, type BuiltImage, type ImageSpec } from '../helpers/image-builder.js';
import { writable } from './writable.js';
import { missingPrerequisite, testTmp } from '../helpers/tools.js';

function tool(name: string): string | undefined {
  const path = `/usr/bin/${name}`;
  if (existsSync(path)) return path;
  missingPrerequisite(`${name} is not installed`, 'the tests that run it');
  return undefined;
}

const skopeo = tool('skopeo');
const umoci = tool('umoci');
const isRoot = process.getuid?.() === 0;

const spec: ImageSpec = {
  layers: [
    {
      compression: 'gzip',
      entries: [
        { path: 'bin/', type: 'dir' },
        { path: 'bin/tool', content: '#!/bin/sh\necho tool\n', mode: 0o755 },
        { path: 'etc/', type: 'dir' },
        { path: 'etc/motd', content: 'hi\n' },
        { path: 'etc/keep', content: 'keep\n' },
      ],
    },
    { compression: 'zstd', entries: [{ path: 'etc/motd', type: 'whiteout' }, { path: 'bin/t', type: 'symlink', target: 'tool' }] },
    { compression: 'none', entries: [{ path: 'app/', type: 'dir' }, { path: 'app/data', content: 'x'.repeat(5000) }] },
  ],
  containerConfig: { Entrypoint: ['/bin/tool'], Cmd: ['arg'], WorkingDir: '/app' },
};

let scratch: string;
let built: BuiltImage;
const written: Record<string, { manifestDigest: string; configDigest: string }> = {};

beforeAll(async () => {
  mkdirSync(testTmp('sources'), { recursive: true });
  scratch = mkdtempSync(testTmp('sources', 'tools-'));
  built = await buildImage(spec);
  const input = writable(built, join(scratch, 'blobs'), { tag: 'example.com/slim:1' });
  for (const format of ['docker-archive', 'oci-layout', 'oci-archive'] as const) {
    written[format] = await writeImage({ format, path: join(scratch, format) }, input);
  }
  written['oci-ref'] = await writeImage({ format: 'oci-layout', path: join(scratch, 'oci-ref') }, writable(built, join(scratch, 'blobs'), { tag: 'slim' }));
});

afterAll(() => rmSync(scratch, { recursive: true, force: true }));

function inspect(reference: string, ...flags: string[]): Record<string, unknown> {
  return JSON.parse(execFileSync(skopeo!, ['inspect', ...flags, reference], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }));
}

describe.skipIf(!skopeo)('skopeo inspect', () => {
  test('oci:DIR:TAG reports our manifest digest, layers and platform', () => {
    const info = inspect(`oci:${join(scratch, 'oci-layout')}:example.com/slim:1`);
    expect(info.Digest).toBe(written['oci-layout']!.manifestDigest);
    expect(info.Layers).toEqual(built.layers.map((layer) => layer.digest));
    expect(info.Architecture).toBe('amd64');
    expect(info.Os).toBe('linux');
    const config = inspect(`oci:${join(scratch, 'oci-layout')}:example.com/slim:1`, '--config');
    expect((config.rootfs as { diff_ids: string[] }).diff_ids).toEqual(built.layers.map((layer) => layer.diffId));
    expect(inspect(`oci:${join(scratch, 'oci-ref')}:slim`).Digest).toBe(written['oci-ref']!.manifestDigest);
  });

  test('oci-archive:FILE reports the same image', () => {
    const info = inspect(`oci-archive:${join(scratch, 'oci-archive')}`);
    expect(info.Digest).toBe(written['oci-archive']!.manifestDigest);
    expect(info.Layers).toEqual(built.layers.map((layer) => layer.digest));
  });

  test('docker-archive:FILE:TAG finds the image by its RepoTag; config and layers match', () => {
    const reference = `docker-archive:${join(scratch, 'docker-archive')}`;
    const info = inspect(`${reference}:example.com/slim:1`);
    // containers/image's docker-archive source names layers by their uncompressed digests.
    expect(info.Layers).toEqual(built.layers.map((layer) => layer.diffId));
    expect(info.Architecture).toBe('amd64');
    const raw = JSON.parse(execFileSync(skopeo!, ['inspect', '--raw', reference], { encoding: 'utf8' }));
    expect(raw.config.digest).toBe(written['docker-archive']!.configDigest);
    expect(() => inspect(`${reference}:example.com/other:1`)).toThrow();
  });
});

describe.skipIf(!umoci || !isRoot)('umoci unpack', () => {
  test('--image DIR:TAG yields the files of the built layers (whiteout applied, symlink kept)', async () => {
    // umoci 0.4 reads gzip and plain layers only: the same image, zstd layer recompressed as gzip.
    const gzipOnly = await buildImage({ ...spec, layers: spec.layers.map((layer) => ({ ...layer, compression: layer.compression === 'zstd' ? 'gzip' : layer.compression })) });
    await writeImage({ format: 'oci-layout', path: join(scratch, 'oci-short') }, writable(gzipOnly, join(scratch, 'blobs-gzip'), { tag: 'slim' }));
    const bundle = join(scratch, 'bundle');
    try {
      execFileSync(umoci!, ['unpack', '--image', `${join(scratch, 'oci-short')}:slim`, bundle], { stdio: 'pipe' });
    } catch (error) {
      throw new Error(`umoci unpack failed: ${String((error as { stderr?: Buffer }).stderr)}`);
    }
    const rootfs = join(bundle, 'rootfs');
    expect(readFileSync(join(rootfs, 'bin/tool'), 'utf8')).toBe('#!/bin/sh\necho tool\n');
    expect(lstatSync(join(rootfs, 'bin/tool')).mode & 0o777).toBe(0o755);
    expect(readlinkSync(join(rootfs, 'bin/t'))).toBe('tool');
    expect(existsSync(join(rootfs, 'etc/motd'))).toBe(false);
    expect(readFileSync(join(rootfs, 'etc/keep'), 'utf8')).toBe('keep\n');
    expect(readFileSync(join(rootfs, 'app/data'), 'utf8')).toBe('x'.repeat(5000));
    const runtime = JSON.parse(readFileSync(join(bundle, 'config.json'), 'utf8'));
    expect(runtime.process.args).toEqual(['/bin/tool', 'arg']);
    expect(runtime.process.cwd).toBe('/app');
  });
});

/**
 * Image JSON of the wrong type or absurd nesting, as the fuzzer produced it: every command ends
 * with exit 3 and one sentence naming the field (these were exit 70, internal errors), while
 * what Docker accepts (nulls, one-string commands, unknown fields) still reads.
 */
import path from 'node:path';
import { describe, expect, test } from 'vitest';
import { writeFileSync } from 'node:fs';
import { buildImage, fileMapTar, ociLayoutFiles, sha256, withConfig, type BuiltImage } from '../helpers/image-builder.js';
import { runCliInProcess } from '../helpers/cli.js';
import { scratchDir } from '../analysis/_images.js';

const base = () => buildImage({ layers: [{ entries: [{ path: 'bin/app', content: '#!/bin/app\n', mode: 0o755 }] }], containerConfig: { Entrypoint: ['/bin/app'] } });

function withContainerConfig(image: BuiltImage, patch: Record<string, unknown>, top: Record<string, unknown> = {}): BuiltImage {
  const config = { ...structuredClone(image.config), ...top } as Record<string, unknown>;
  config.config = { ...(config.config as object), ...patch };
  return withConfig({ ...image, config });
}

async function archive(files: Map<string, Buffer | { symlink: string }>): Promise<string> {
  const file = path.join(scratchDir('hostile'), 'image.tar');
  writeFileSync(file, await fileMapTar(files));
  return file;
}

async function expectInputError(file: string, field: RegExp, extra: string[] = []) {
  for (const args of [['analyze', file, '-f', 'json', ...extra], ['slim', file, '-o', path.join(scratchDir('hostile-out'), 'out.tar'), ...extra], ['check', file, ...extra]]) {
    const result = await runCliInProcess([...args, '-q']);
    expect(result.code, `${args[0]}: ${result.stderr}`).toBe(3);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    expect(result.stderr).toMatch(field);
  }
}

describe('config JSON of the wrong type', () => {
  test.each([
    [{ Entrypoint: [1] }, /config\.Entrypoint\[0\] is number 1, expected a string/],
    [{ Entrypoint: {} }, /config\.Entrypoint is an object/],
    [{ Entrypoint: [['a']] }, /config\.Entrypoint\[0\] is an array/],
    [{ Env: ['PATH=/usr/bin', 1] }, /config\.Env\[1\] is number 1/],
    [{ Cmd: [1] }, /config\.Cmd\[0\] is number 1/],
    [{ Cmd: ['x', null] }, /config\.Cmd\[1\] is null/],
    [{ WorkingDir: ['/app'] }, /config\.WorkingDir is an array/],
  ])('%j: exit 3 from analyze, slim and check', async (patch, field) => {
    const image = withContainerConfig(await base(), patch);
    await expectInputError(await archive(ociLayoutFiles([image])), field);
  });

  test('history [null], Entrypoint null, one-string Cmd and unknown fields read as Docker reads them', async () => {
    const image = withContainerConfig(await base(), { Entrypoint: null, Cmd: '/bin/app', Extra: { any: [1] } }, { history: [null] });
    const result = await runCliInProcess(['analyze', await archive(ociLayoutFiles([image])), '-f', 'json', '-q']);
    expect(result.code, result.stderr).toBe(0);
    expect(JSON.parse(result.stdout).config).toMatchObject({ entrypoint: null, cmd: ['/bin/app'] });
    // slim reads the same config (history [null] included) without an internal error.
    const slim = await runCliInProcess(['slim', await archive(ociLayoutFiles([image])), '-o', path.join(scratchDir('hostile-out'), 'tolerated.tar'), '-q']);
    expect(slim.code, slim.stderr).not.toBe(70);
    expect(slim.stderr.trim().split('\n').length).toBeLessThanOrEqual(1);
  });

  test('an index platform variant that is a number, with --platform, is exit 3 (was a toLowerCase crash)', async () => {
    const image = await base();
    const files = ociLayoutFiles([image], {
      indexManifests: [{ mediaType: 'application/vnd.oci.image.manifest.v1+json', digest: image.manifestDigest, size: image.manifestBytes.length, platform: { os: 'linux', architecture: 'arm64', variant: 7 } }],
    });
    await expectInputError(await archive(files), /manifests\[0\]\.platform\.variant is number 7/, ['--platform', 'linux/arm64']);
  });
});

describe('absurd nesting', () => {
  test('a config digest nested 3,367 arrays deep in the manifest: exit 3', async () => {
    const image = await base();
    const manifest = Buffer.from(
      `{"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json","config":{"mediaType":"application/vnd.oci.image.config.v1+json","digest":${'['.repeat(3367)}"${image.configDigest}"${']'.repeat(3367)},"size":${image.configBytes.length}},"layers":[]}`,
    );
    const files = ociLayoutFiles([image], { extraBlobs: [manifest], indexManifests: [{ mediaType: 'application/vnd.oci.image.manifest.v1+json', digest: sha256(manifest), size: manifest.length }] });
    await expectInputError(await archive(files), /JSON nested more than 64 levels deep/);
  });

  test('a label nested 20,000 deep in the config: exit 3', async () => {
    const image = await base();
    const configBytes = Buffer.from(image.configBytes.toString().replace('"config":{', `"config":{"Labels":{"deep":${'{"a":'.repeat(20000)}1${'}'.repeat(20000)}},`));
    const manifest = Buffer.from(
      JSON.stringify({ ...JSON.parse(image.manifestBytes.toString()), config: { mediaType: 'application/vnd.oci.image.config.v1+json', digest: sha256(configBytes), size: configBytes.length } }),
    );
    const patched = ociLayoutFiles([image], { extraBlobs: [configBytes, manifest], indexManifests: [{ mediaType: 'application/vnd.oci.image.manifest.v1+json', digest: sha256(manifest), size: manifest.length }] });
    await expectInputError(await archive(patched), /config sha256:\w+: JSON nested more than 64 levels deep/);
  });
});

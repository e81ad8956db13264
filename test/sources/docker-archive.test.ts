/** docker save archives built in code: selection, links, Docker ≥ 25 manifests, and broken archives. */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { ResolvedImage } from '../../src/image/index.js';
import { InputError, IntegrityError, UsageError } from '../../src/shared/errors.js';
import { openImage } from '../../src/sources/index.js';
import {
  buildImage,
  dockerArchiveFiles,
  fileMapTar,
  sha256,
  tarOf,
  withConfig,
  type BuiltImage,
  type DockerArchiveOptions,
  type FileMap,
} from '../helpers/image-builder.js';
import { collect, expectConformingImage } from './conformance.js';
import { testTmp } from '../helpers/tools.js';

let scratch: string;
let plain: BuiltImage;
let gzipped: BuiltImage;
let second: BuiltImage;
let counter = 0;

beforeAll(async () => {
  mkdirSync(testTmp('sources'), { recursive: true });
  scratch = mkdtempSync(testTmp('sources', 'docker-'));
  const base = { compression: 'none' as const, entries: [{ path: 'etc/os-release', content: 'ID=test\n' }] };
  plain = await buildImage({ layers: [base, { compression: 'none', entries: [{ path: 'app', content: 'app' }] }] });
  gzipped = await buildImage({ layers: [{ ...base, compression: 'gzip' }, { compression: 'zstd', entries: [{ path: 'z', content: 'z' }] }] });
  second = await buildImage({ layers: [base, { compression: 'none', entries: [{ path: 'other', content: 'other' }] }], architecture: 'arm64' });
});

afterAll(() => rmSync(scratch, { recursive: true, force: true }));

async function archive(files: FileMap): Promise<string> {
  const path = join(scratch, `archive-${counter++}.tar`);
  writeFileSync(path, await fileMapTar(files));
  return path;
}

const build = (images: BuiltImage[], options: DockerArchiveOptions) => archive(dockerArchiveFiles(images, options));

async function opened(path: string, selector?: string): Promise<ResolvedImage> {
  return openImage(path, selector === undefined ? {} : { selector });
}

async function failure(promise: Promise<unknown>): Promise<Error> {
  const error = await promise.then(
    (image) => {
      void (image as ResolvedImage).close?.();
      return null;
    },
    (caught: unknown) => caught as Error,
  );
  if (!error) throw new Error('expected a failure');
  return error;
}

describe('selection', () => {
  test('several images: no selector lists @N and tags; tags match after normalisation; @N by position', async () => {
    const path = await build([plain, second], { style: 'legacy', tags: [['app:1', 'app:latest'], ['registry.example/team/other:2']] });
    const error = await failure(opened(path));
    expect(error).toBeInstanceOf(UsageError);
    expect(error.message).toBe(`${path} holds 2 images; choose one with --image: @0 (app:1, app:latest), @1 (registry.example/team/other:2)`);
    for (const selector of ['app', 'docker.io/library/app:latest', 'index.docker.io/library/app']) {
      const image = await opened(path, selector);
      expect(image.configDigest).toBe(plain.configDigest);
      expect(image.reference).toBe('app:latest');
      expect(image.tags).toEqual(['app:1', 'app:latest']);
      await image.close();
    }
    const byIndex = await opened(path, '@1');
    expect(byIndex.platform.architecture).toBe('arm64');
    await expectConformingImage(byIndex, second);
    await byIndex.close();
    expect((await failure(opened(path, 'app:2'))).message).toMatch(/no image tagged "app:2"; available: @0 \(app:1, app:latest\), @1/);
  });

  test('./manifest.json is accepted; config members named anything have digests computed from bytes', async () => {
    const path = await build([plain], { style: 'legacy', dotSlash: true, configName: () => 'config.json' });
    const image = await opened(path);
    expect(image.configDigest).toBe(plain.configDigest);
    await expectConformingImage(image, plain);
    await image.close();
  });
});

describe('platform option', () => {
  test('an explicit platform must match a single-platform image; a malformed one is a UsageError before any reading', async () => {
    const path = await build([second], { style: 'legacy' });
    const image = await openImage(path, { platform: 'linux/arm64/v8' });
    expect(image.platform).toEqual({ os: 'linux', architecture: 'arm64' });
    await image.close();
    const error = await failure(openImage(path, { platform: 'linux/amd64' }));
    expect(error).toBeInstanceOf(UsageError);
    expect(error.message).toBe(`${path}: the selected image is linux/arm64, not linux/amd64`);
    expect(await failure(openImage(join(scratch, 'does-not-exist'), { platform: 'amd64' }))).toBeInstanceOf(UsageError);
  });
});

describe('layers', () => {
  test('legacy uncompressed layers: descriptor digest is the diffId; media type by sniffing', async () => {
    const image = await opened(await build([plain], { style: 'legacy' }));
    expect(image.layers.map((layer) => layer.descriptor.mediaType)).toEqual(Array(2).fill('application/vnd.docker.image.rootfs.diff.tar'));
    expect(image.layers.map((layer) => layer.descriptor.digest)).toEqual(plain.layers.map((layer) => layer.diffId));
    expect(image.manifestMediaType).toBe('application/vnd.docker.distribution.manifest.v2+json');
    await image.close();
  });

  test('legacy gzip/zstd layers named <digest>.tar.gz / .tar.zst get Docker compressed media types', async () => {
    const image = await opened(await build([gzipped], { style: 'legacy' }));
    expect(image.layers.map((layer) => layer.descriptor.mediaType)).toEqual([
      'application/vnd.docker.image.rootfs.diff.tar.gzip',
      'application/vnd.docker.image.rootfs.diff.tar.zstd',
    ]);
    await expectConformingImage(image, gzipped);
    await image.close();
  });

  test('a compressed layer under a name that states no digest is hashed at open', async () => {
    const files = dockerArchiveFiles([gzipped], { style: 'legacy' });
    const manifest = JSON.parse(files.get('manifest.json')!.toString());
    const renamed: FileMap = new Map([...files].filter(([name]) => !name.endsWith('.tar.gz')));
    renamed.set('layer-one/layer.tar', gzipped.layers[0]!.blob);
    manifest[0].Layers[0] = 'layer-one/layer.tar';
    renamed.set('manifest.json', Buffer.from(JSON.stringify(manifest)));
    const image = await opened(await archive(renamed));
    expect(image.layers[0]!.descriptor.digest).toBe(gzipped.layers[0]!.digest);
    await image.close();
  });

  test('a layer.tar symlinked to another image’s layer returns the real bytes', async () => {
    const path = await build([plain, second], { style: 'legacy', tags: [['a:1'], ['b:1']], symlinkSharedLayer: true });
    const image = await opened(path, 'b:1');
    await expectConformingImage(image, second);
    await image.close();
  });

  test('a hard-linked layer member is followed too', async () => {
    const files = dockerArchiveFiles([plain], { style: 'legacy' });
    const manifest = JSON.parse(files.get('manifest.json')!.toString());
    const original: string = manifest[0].Layers[0];
    manifest[0].Layers[0] = 'copy/layer.tar';
    files.set('manifest.json', Buffer.from(JSON.stringify(manifest)));
    const items: Parameters<typeof tarOf>[0] = [...files].map(([name, content]) => ({ header: { name, size: (content as Buffer).length }, body: content as Buffer }));
    items.push({ header: { name: 'copy/layer.tar', type: 'link', linkname: original } });
    const path = join(scratch, `hardlink-${counter++}.tar`);
    writeFileSync(path, await tarOf(items));
    const image = await opened(path);
    await expectConformingImage(image, plain);
    await image.close();
  });

  test('a manifest.json ↔ config symlink cycle is an InputError "link cycle"', async () => {
    const files: FileMap = new Map<string, Buffer | { symlink: string }>([
      ['manifest.json', { symlink: 'config.json' }],
      ['config.json', { symlink: 'manifest.json' }],
    ]);
    const error = await failure(opened(await archive(files)));
    expect(error).toBeInstanceOf(InputError);
    expect(error.message).toMatch(/link cycle at manifest\.json \(manifest\.json → config\.json → manifest\.json\)/);
  });

  test('a link to a member that is not there is an InputError', async () => {
    const files = dockerArchiveFiles([plain], { style: 'legacy' });
    const manifest = JSON.parse(files.get('manifest.json')!.toString());
    files.set(manifest[0].Layers[0], { symlink: '../nowhere/layer.tar' });
    expect((await failure(opened(await archive(files)))).message).toMatch(/links to nowhere\/layer\.tar, which is not in the archive/);
  });
});

describe('Docker ≥ 25 saves', () => {
  test('index.json entries lead to the saved OCI manifest (annotations kept)', async () => {
    const image = await opened(await build([gzipped], { style: 'docker25', tags: [['app:7']] }));
    expect(image.manifestDigest).toBe(gzipped.manifestDigest);
    expect(image.manifestMediaType).toBe('application/vnd.oci.image.manifest.v1+json');
    expect(image.tags).toEqual(['app:7']);
    await expectConformingImage(image, gzipped);
    await image.close();
  });

  test('"manifests": null: the manifest is found among the blobs by content', async () => {
    const image = await opened(await build([plain, second], { style: 'docker25', nullIndex: true }), '@1');
    expect(image.manifestDigest).toBe(second.manifestDigest);
    await expectConformingImage(image, second);
    await image.close();
  });

  test('a saved manifest that lists only some layers (Docker 25.0.0) is not used: a Docker manifest is synthesised', async () => {
    const files = dockerArchiveFiles([gzipped], { style: 'docker25', nullIndex: true });
    const partial = withConfig({ ...gzipped, layers: gzipped.layers.slice(1) });
    files.delete(`blobs/sha256/${gzipped.manifestDigest.slice(7)}`);
    const broken = Buffer.from(partial.manifestBytes.toString().replace(partial.configDigest, gzipped.configDigest));
    files.set(`blobs/sha256/${sha256(broken).slice(7)}`, broken);
    const image = await opened(await archive(files));
    expect(image.manifestMediaType).toBe('application/vnd.docker.distribution.manifest.v2+json');
    expect(image.manifest.layers.map((layer) => layer.digest)).toEqual(gzipped.layers.map((layer) => layer.digest));
    await expectConformingImage(image, gzipped);
    await image.close();
  });
});

describe('broken archives', () => {
  test('a wrong diff_id of an uncompressed layer fails when the layer streams (IntegrityError)', async () => {
    const wrong = withConfig({
      ...plain,
      config: { ...plain.config, rootfs: { type: 'layers', diff_ids: [plain.layers[0]!.diffId, sha256('something else')] } },
    });
    const image = await opened(await build([wrong], { style: 'legacy' }));
    await collect(image.layers[0]!.open());
    const error = await failure(collect(image.layers[1]!.open()));
    expect(error).toBeInstanceOf(IntegrityError);
    expect(error.message).toMatch(/layer 2\/2/);
    await image.close();
  });

  test('a corrupt compressed layer fails at the end of its stream (IntegrityError)', async () => {
    const image = await opened(await build([gzipped], { style: 'legacy', breakage: { corruptLayer: 0 } }));
    expect(await failure(collect(image.layers[0]!.open()))).toBeInstanceOf(IntegrityError);
    await image.close();
  });

  test('diff_ids count ≠ layer count, missing members, bad JSON: InputError naming the problem', async () => {
    const extra = withConfig({ ...plain, config: { ...plain.config, rootfs: { type: 'layers', diff_ids: [...plain.layers.map((l) => l.diffId), sha256('x')] } } });
    expect((await failure(opened(await build([extra], { style: 'legacy' })))).message).toMatch(/rootfs\.diff_ids lists 3 layer\(s\) but the manifest has 2/);
    expect((await failure(opened(await build([plain], { style: 'legacy', breakage: { missingLayer: 1 } })))).message).toMatch(
      /layer 2 .*\/layer\.tar named in manifest\.json is missing/,
    );
    const badManifest = await failure(opened(await build([plain], { style: 'legacy', breakage: { badJson: 'manifest.json' } })));
    expect(badManifest).toBeInstanceOf(InputError);
    expect(badManifest.message).toMatch(/manifest\.json: invalid JSON/);
    expect((await failure(opened(await build([plain], { style: 'legacy', breakage: { badJson: 'config' } })))).message).toMatch(/config .*: invalid JSON/);
    const noConfig = dockerArchiveFiles([plain], { style: 'legacy' });
    noConfig.delete(`${plain.configDigest.slice(7)}.json`);
    expect((await failure(opened(await archive(noConfig)))).message).toMatch(/config .*\.json named in manifest\.json is missing/);
  });

  test('a bzip2 layer is refused at open with a clear message', async () => {
    const files = dockerArchiveFiles([plain], { style: 'legacy' });
    const manifest = JSON.parse(files.get('manifest.json')!.toString());
    files.set(manifest[0].Layers[0], Buffer.from('BZh91AY&SY fake bzip2'));
    const error = await failure(opened(await archive(files)));
    expect(error.message).toMatch(/layer 1 \(.*layer\.tar\) is bzip2-compressed; imgslim reads gzip, zstd and uncompressed layers/);
  });

  test('manifest.json must be a non-empty array of entries with a Config', async () => {
    for (const [content, message] of [
      ['{}', /manifest\.json: its content is an object, expected an array of images/],
      ['[]', /lists no images/],
      ['[{"Layers":[]}]', /\[0\]\.Config is missing \(expected a non-empty string\)/],
      ['[{"Config":"c.json","RepoTags":"x"}]', /\[0\]\.RepoTags is string "x", expected an array of strings/],
    ] as const) {
      const error = await failure(opened(await archive(new Map([['manifest.json', Buffer.from(content)]]))));
      expect(error).toBeInstanceOf(InputError);
      expect(error.message).toMatch(message);
    }
  });
});

/** OCI layouts and archives built in code: nested indexes, platforms, media types, integrity, malformed JSON. */
import { mkdirSync, mkdtempSync, readdirSync, readlinkSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { ResolvedImage } from '../../src/image/index.js';
import { InputError, IntegrityError, UsageError } from '../../src/shared/errors.js';
import { openImage } from '../../src/sources/index.js';
import {
  buildImage,
  fileMapTar,
  ociLayoutFiles,
  sha256,
  withConfig,
  writeFileMapDir,
  type BuiltImage,
  type OciLayoutOptions,
} from '../helpers/image-builder.js';
import { collect, expectConformingImage } from './conformance.js';
import { testTmp } from '../helpers/tools.js';

let scratch: string;
let amd64: BuiltImage;
let arm64: BuiltImage;
let armv7: BuiltImage;
let counter = 0;

const OCI_INDEX = 'application/vnd.oci.image.index.v1+json';
const OCI_MANIFEST = 'application/vnd.oci.image.manifest.v1+json';

beforeAll(async () => {
  mkdirSync(testTmp('sources'), { recursive: true });
  scratch = mkdtempSync(testTmp('sources', 'oci-'));
  const layer = (name: string) => ({ entries: [{ path: name, content: name }] });
  amd64 = await buildImage({ layers: [layer('amd64')] });
  arm64 = await buildImage({ layers: [layer('arm64')], architecture: 'arm64', variant: 'v8' });
  armv7 = await buildImage({ layers: [layer('arm')], architecture: 'arm', variant: 'v7' });
});

afterAll(() => rmSync(scratch, { recursive: true, force: true }));

const descriptorOf = (image: BuiltImage, extra: Record<string, unknown> = {}) => ({
  mediaType: OCI_MANIFEST,
  digest: image.manifestDigest,
  size: image.manifestBytes.length,
  platform: image.platform,
  ...extra,
});

function json(value: unknown): Buffer {
  return Buffer.from(JSON.stringify(value));
}

/** A multi-platform index blob (optionally a Docker manifest list) with an attestation entry like buildx writes. */
function platformIndex(images: BuiltImage[], mediaType = OCI_INDEX): Buffer {
  return json({
    schemaVersion: 2,
    mediaType,
    manifests: [
      ...images.map((image) => descriptorOf(image)),
      {
        mediaType: OCI_MANIFEST,
        digest: images[0]!.manifestDigest,
        size: images[0]!.manifestBytes.length,
        platform: { os: 'unknown', architecture: 'unknown' },
        annotations: { 'vnd.docker.reference.type': 'attestation-manifest' },
      },
    ],
  });
}

async function layout(images: BuiltImage[], options: OciLayoutOptions = {}, asArchive = false): Promise<string> {
  const files = ociLayoutFiles(images, options);
  const path = join(scratch, `image-${counter++}${asArchive ? '.tar' : ''}`);
  if (asArchive) writeFileSync(path, await fileMapTar(files));
  else writeFileMapDir(path, files);
  return path;
}

async function nested(images: BuiltImage[], mediaType = OCI_INDEX, refName = 'multi'): Promise<string> {
  const index = platformIndex(images, mediaType);
  return layout(images, {
    extraBlobs: [index],
    indexManifests: [{ mediaType, digest: sha256(index), size: index.length, annotations: { 'org.opencontainers.image.ref.name': refName } }],
  });
}

async function failure(promise: Promise<ResolvedImage>): Promise<Error> {
  const error = await promise.then(
    async (image) => {
      await image.close();
      return null;
    },
    (caught: unknown) => caught as Error,
  );
  if (!error) throw new Error('expected a failure');
  return error;
}

describe('multi-platform indexes', () => {
  test('default linux/amd64; linux/arm64 matches arm64/v8; linux/arm matches arm/v7; attestations are skipped', async () => {
    const path = await nested([arm64, amd64, armv7]);
    for (const [platform, expected] of [
      [undefined, amd64],
      ['linux/amd64', amd64],
      ['linux/arm64', arm64],
      ['linux/arm64/v8', arm64],
      ['linux/arm', armv7],
      ['linux/arm/v7', armv7],
    ] as const) {
      const image = await openImage(path, platform ? { platform } : {});
      expect(image.manifestDigest).toBe(expected.manifestDigest);
      expect(image.reference).toBeNull();
      expect(image.tags).toEqual(['multi']);
      await expectConformingImage(image, expected);
      await image.close();
    }
    const error = await failure(openImage(path, { platform: 'linux/s390x' }));
    expect(error).toBeInstanceOf(UsageError);
    expect(error.message).toMatch(/has no image for linux\/s390x; available: linux\/arm64\/v8, linux\/amd64, linux\/arm\/v7$/);
    expect(await failure(openImage(path, { platform: 'linux' }))).toBeInstanceOf(UsageError);
  });

  test('without amd64 and several platforms, the choice is a UsageError listing them; one platform is taken', async () => {
    const error = await failure(openImage(await nested([arm64, armv7])));
    expect(error).toBeInstanceOf(UsageError);
    expect(error.message).toMatch(/holds images for several platforms; choose one with --platform: linux\/arm64\/v8, linux\/arm\/v7/);
    const single = await openImage(await nested([armv7]));
    expect(single.platform).toEqual({ os: 'linux', architecture: 'arm', variant: 'v7' });
    await single.close();
  });

  test('Docker manifest lists are followed like OCI indexes', async () => {
    const image = await openImage(await nested([arm64, amd64], 'application/vnd.docker.distribution.manifest.list.v2+json'), { platform: 'linux/arm64' });
    expect(image.manifestDigest).toBe(arm64.manifestDigest);
    await image.close();
  });

  test('a platform given for a top-level index.json with several images chooses among them', async () => {
    const path = await layout([amd64, arm64]);
    expect((await failure(openImage(path))).message).toMatch(/holds 2 images; choose one with --image: @0 linux\/amd64, @1 linux\/arm64\/v8/);
    const image = await openImage(path, { platform: 'linux/arm64' });
    expect(image.manifestDigest).toBe(arm64.manifestDigest);
    await image.close();
  });

  test('a descriptor declared as an index whose blob is a manifest (and the reverse) is an InputError', async () => {
    const asIndex = await layout([amd64], { indexManifests: [descriptorOf(amd64, { mediaType: OCI_INDEX })] });
    expect((await failure(openImage(asIndex))).message).toMatch(/is declared as an index but the blob is an image manifest/);
    const index = platformIndex([amd64]);
    const asManifest = await layout([amd64], { extraBlobs: [index], indexManifests: [{ mediaType: OCI_MANIFEST, digest: sha256(index), size: index.length }] });
    expect((await failure(openImage(asManifest))).message).toMatch(/is declared as an image manifest but the blob is an index/);
  });

  test('a descriptor without a media type is classified by its blob', async () => {
    const path = await layout([amd64], { indexManifests: [{ digest: amd64.manifestDigest, size: amd64.manifestBytes.length }] });
    const image = await openImage(path);
    expect(image.manifestMediaType).toBe(OCI_MANIFEST);
    await image.close();
  });
});

describe('integrity', () => {
  test.each([false, true])('a corrupt layer streams its bytes, then fails with IntegrityError (archive: %s)', async (asArchive) => {
    const image = await openImage(await layout([amd64], { breakage: { corruptLayer: 0 } }, asArchive));
    const error = await collect(image.layers[0]!.open()).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(IntegrityError);
    expect((error as Error).message).toMatch(/layer 1\/1 sha256:/);
    await image.close();
  });

  test('a corrupt manifest or config blob is an IntegrityError at open', async () => {
    expect(await failure(openImage(await layout([amd64], { breakage: { corruptManifest: true } })))).toBeInstanceOf(IntegrityError);
    const error = await failure(openImage(await layout([amd64], { breakage: { corruptConfig: true } })));
    expect(error).toBeInstanceOf(IntegrityError);
    expect(error.message).toMatch(/config sha256:\w{12}: content digest is sha256:\w+, but its descriptor says sha256:/);
  });

  test('a layer whose descriptor size differs from the blob is an IntegrityError at open', async () => {
    const wrongSize = withConfig(amd64);
    const manifest = JSON.parse(wrongSize.manifestBytes.toString());
    manifest.layers[0].size += 1;
    const bytes = json(manifest);
    const path = await layout([amd64], { extraBlobs: [bytes], indexManifests: [{ mediaType: OCI_MANIFEST, digest: sha256(bytes), size: bytes.length }] });
    expect((await failure(openImage(path))).message).toMatch(/is \d+ bytes, but its descriptor says \d+/);
  });

  test.each([false, true])('an early stop while streaming a layer releases the file (archive: %s)', async (asArchive) => {
    const where = realpathSync(await layout([amd64], {}, asArchive));
    const image = await openImage(where);
    // Descriptors of this process open on the archive or on the layout's blobs, from /proc/self/fd.
    const isImageFile = (target: string) => (asArchive ? target === where : target.startsWith(`${where}/blobs/`));
    const openFiles = () =>
      readdirSync('/proc/self/fd').filter((fd) => {
        try {
          return isImageFile(readlinkSync(`/proc/self/fd/${fd}`));
        } catch {
          return false; // closed meanwhile (the directory's own descriptor)
        }
      }).length;
    const before = openFiles();
    for await (const chunk of image.layers[0]!.open()) {
      expect(chunk.length).toBeGreaterThan(0);
      expect(openFiles()).toBe(before + 1);
      break;
    }
    await new Promise((resolve) => setImmediate(resolve));
    expect(openFiles()).toBe(before);
    await image.close();
  });
});

describe('malformed layouts', () => {
  test('missing layer blob, bad JSON, unsupported layout version, diff_ids mismatch: InputError with the object named', async () => {
    const cases: Array<[OciLayoutOptions['breakage'], RegExp]> = [
      [{ missingLayer: 0 }, /layer 1\/1 sha256:\w{12}: blob sha256:\w{12} is missing from/],
      [{ badJson: 'index.json' }, /index\.json: invalid JSON/],
      [{ badJson: 'oci-layout' }, /oci-layout: invalid JSON/],
      [{ badJson: 'config' }, /config sha256:\w{12}: blob sha256:\w{12} is \d+ bytes, but its descriptor says/],
    ];
    for (const [breakage, message] of cases) {
      const error = await failure(openImage(await layout([amd64], { breakage })));
      expect(error.message).toMatch(message);
    }
    const manifestError = await failure(openImage(await layout([amd64], { breakage: { badJson: 'manifest' } })));
    expect(manifestError).toBeInstanceOf(IntegrityError);
    const version = await layout([amd64]);
    writeFileSync(join(version, 'oci-layout'), '{"imageLayoutVersion":"2.0.0"}');
    expect((await failure(openImage(version))).message).toMatch(/unsupported imageLayoutVersion "2\.0\.0"/);
    const diffIds = withConfig({ ...amd64, config: { ...amd64.config, rootfs: { type: 'layers', diff_ids: [] } } });
    const error = await failure(openImage(await layout([diffIds])));
    expect(error).toBeInstanceOf(InputError);
    expect(error.message).toMatch(/rootfs\.diff_ids lists 0 layer\(s\) but the manifest has 1/);
  });

  test('content-addressed JSON that is not JSON: InputError naming the blob', async () => {
    const bad = Buffer.from('{"architecture": ');
    const manifest = json({
      schemaVersion: 2,
      mediaType: OCI_MANIFEST,
      config: { mediaType: 'application/vnd.oci.image.config.v1+json', digest: sha256(bad), size: bad.length },
      layers: [],
    });
    const path = await layout([amd64], { extraBlobs: [bad, manifest], indexManifests: [{ mediaType: OCI_MANIFEST, digest: sha256(manifest), size: manifest.length }] });
    const error = await failure(openImage(path));
    expect(error).toBeInstanceOf(InputError);
    expect(error.message).toMatch(/config sha256:\w{12}: invalid JSON/);
  });

  test('digests that would escape the layout are refused before touching the disk', async () => {
    const path = await layout([amd64], { indexManifests: [{ mediaType: OCI_MANIFEST, digest: 'sha256:../../../../etc/passwd', size: 10 }] });
    const error = await failure(openImage(path));
    expect(error).toBeInstanceOf(InputError);
    expect(error.message).toMatch(/manifests\[0\]\.digest is string "sha256:\.\.\/\.\.\/\.\.\/\.\.\/etc\/passwd", expected a digest/);
  });

  test('JSON metadata above the 4 MiB cap is refused', async () => {
    const path = await layout([amd64], { indexManifests: [descriptorOf(amd64, { size: 5 * 1024 * 1024 })] });
    expect((await failure(openImage(path))).message).toMatch(/is 5242880 bytes, more than the 4194304-byte limit/);
  });

  test('a schema 1 manifest is refused with a clear message', async () => {
    const v1 = json({ schemaVersion: 1, name: 'x', tag: 'y', fsLayers: [] });
    const path = await layout([amd64], {
      extraBlobs: [v1],
      indexManifests: [{ mediaType: 'application/vnd.docker.distribution.manifest.v2+json', digest: sha256(v1), size: v1.length }],
    });
    expect((await failure(openImage(path))).message).toMatch(/schema 1 is not supported/);
  });
});

describe('custom layer media types', () => {
  test('an image whose layer has an artifact media type keeps it; the stream still verifies', async () => {
    const custom = await buildImage({ layers: [{ entries: [{ path: 'f', content: 'f' }], mediaType: 'application/tar+gzip' }] });
    const image = await openImage(await layout([custom], {}, true));
    expect(image.format).toBe('oci-archive');
    expect(image.layers[0]!.descriptor.mediaType).toBe('application/tar+gzip');
    await expectConformingImage(image, custom);
    await image.close();
  });
});

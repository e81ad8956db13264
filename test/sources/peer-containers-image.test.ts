/** containers/image's docker-archive and oci-layout fixtures: what its EXPECTED.md records. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { decompressStream, TarParser } from '../../src/archive/index.js';
import { parseIndex, parseJson, type ResolvedImage } from '../../src/image/index.js';
import { InputError, IntegrityError, UsageError } from '../../src/shared/errors.js';
import { openImage } from '../../src/sources/index.js';
import { DirectoryContainer } from '../../src/sources/container/directory-container.js';
import { resolveManifest } from '../../src/sources/oci/resolve.js';
import { chooseTopLevel } from '../../src/sources/oci/select.js';
import { peerCorpus } from '../helpers/peer-corpus.js';
import { collect, sha256Of } from './conformance.js';

const dir = peerCorpus('containers-image');
const at = (path: string) => join(dir!, path);

async function withImage<T>(path: string, options: Parameters<typeof openImage>[1], use: (image: ResolvedImage) => Promise<T>): Promise<T> {
  const image = await openImage(path, options);
  try {
    return await use(image);
  } finally {
    await image.close();
  }
}

function indexOf(name: string) {
  return parseIndex(parseJson(readFileSync(at(`oci-layout/${name}/index.json`)), name), name);
}

describe.skipIf(!dir)('containers-image docker-archive/almostempty.tar', () => {
  test.each([undefined, 'emptyimage:latest', 'emptyimage', '@0'])('opens with selector %s', async (selector) => {
    await withImage(at('docker-archive/almostempty.tar'), { selector }, async (image) => {
      expect(image.format).toBe('docker-archive');
      expect(image.tags).toEqual(['emptyimage:latest']);
      expect(image.reference).toBe(selector === undefined || selector === '@0' ? null : 'emptyimage:latest');
      expect(image.configDigest).toMatch(/^sha256:9d7f147c/);
      expect(image.config.history).toHaveLength(1);
      expect(image.platform).toEqual({ os: 'linux', architecture: 'amd64' });
      const [layer] = image.layers;
      expect(layer!.diffId).toBe('sha256:0b916d257bd406111a3fced53f81b47de9a30f7c7d514a89769b3483aaddca7e');
      expect(layer!.descriptor.size).toBe(1536);
      expect(sha256Of(await collect(layer!.open()))).toBe(layer!.diffId);
    });
  });
});

describe.skipIf(!dir)('containers-image oci-layout name resolution (index.json only)', () => {
  test('manifest: no reference picks the only descriptor', () => {
    const index = indexOf('manifest');
    const position = chooseTopLevel(index.manifests, undefined, null, 'manifest');
    expect(position).toBe(0);
    expect(index.manifests[0]).toMatchObject({
      mediaType: 'application/vnd.oci.image.manifest.v1+json',
      digest: 'sha256:84afb6189c4d69f2d040c5f1dc4e0a16fed9b539ce9cfb4ac2526ae4e0576cc0',
      size: 496,
      annotations: { 'org.opencontainers.image.ref.name': 'v0.1.1' },
      platform: { architecture: 'amd64', os: 'linux' },
    });
  });

  test('two_images_manifest: no reference is an error (more than one image)', () => {
    const index = indexOf('two_images_manifest');
    expect(() => chooseTopLevel(index.manifests, undefined, null, 'two_images_manifest')).toThrow(UsageError);
    expect(() => chooseTopLevel(index.manifests, undefined, null, 'two_images_manifest')).toThrow(
      /holds 2 images; choose one with --image: @0 linux\/ppc64le, @1 linux\/amd64/,
    );
  });

  test.each([
    ['a', 0, 'application/vnd.oci.image.index.v1+json'],
    ['b', 1, 'application/vnd.oci.image.manifest.v1+json'],
    ['c', 2, 'application/vnd.docker.distribution.manifest.list.v2+json'],
    ['d', 3, 'application/vnd.docker.distribution.manifest.v2+json'],
  ])('name_lookups: %s → index %i (%s)', (name, position, mediaType) => {
    const index = indexOf('name_lookups');
    expect(chooseTopLevel(index.manifests, name, null, 'name_lookups')).toBe(position);
    expect(index.manifests[position]!.mediaType).toBe(mediaType);
  });

  test('name_lookups: this-does-not-exist is not found; invalid-mime fails on its media type', async () => {
    const index = indexOf('name_lookups');
    expect(() => chooseTopLevel(index.manifests, 'this-does-not-exist', null, 'name_lookups')).toThrow(/no image named "this-does-not-exist"/);
    const position = chooseTopLevel(index.manifests, 'invalid-mime', null, 'name_lookups');
    const container = new DirectoryContainer(at('oci-layout/name_lookups'), 'name_lookups');
    await expect(resolveManifest(container, index.manifests[position]!, null, 'name_lookups')).rejects.toThrow(
      /media type "x-completely-unknown", which is neither an image manifest nor an index/,
    );
  });

  test('a directory holding only index.json is not an image layout', async () => {
    await expect(openImage(at('oci-layout/manifest'))).rejects.toThrow(/not a container image: .* \(found: index\.json\)/);
  });
});

describe.skipIf(!dir)('containers-image oci-layout/delete_image_multiple_images', () => {
  const layout = () => at('oci-layout/delete_image_multiple_images');

  test('latest and 3.18.3 name the same index; the default platform linux/amd64 is chosen', async () => {
    for (const selector of ['latest', '3.18.3']) {
      await withImage(layout(), { selector }, async (image) => {
        expect(image.manifestDigest).toMatch(/^sha256:93cbd11a/);
        expect(image.configDigest).toMatch(/^sha256:913cf3a3/);
        expect(image.layers[0]!.descriptor.digest).toMatch(/^sha256:557ac7d1/);
        expect(image.platform).toEqual({ os: 'linux', architecture: 'amd64' });
        expect(image.reference).toBe(selector);
        expect(image.tags).toEqual(['latest', '3.18.3']);
      });
    }
  });

  test('--platform linux/386 picks the other manifest; linux/arm64 lists the platforms', async () => {
    await withImage(layout(), { selector: 'latest', platform: 'linux/386' }, async (image) => {
      expect(image.manifestDigest).toMatch(/^sha256:f6d60fd5/);
      expect(image.configDigest).toMatch(/^sha256:aab808b2/);
      expect(image.layers[0]!.descriptor.digest).toMatch(/^sha256:e19729d5/);
    });
    const error = await openImage(layout(), { selector: 'latest', platform: 'linux/arm64' }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(UsageError);
    expect((error as Error).message).toMatch(/has no image for linux\/arm64; available: linux\/amd64, linux\/386/);
  });

  test.each([
    ['3', /^sha256:93cbd11a/, /^sha256:913cf3a3/, ['3', '3.18']],
    ['3.17.5', /^sha256:5b2aba4d/, /^sha256:df11bc18/, ['3.17.5']],
    ['3.16.7', /^sha256:39c52441/, /^sha256:f732172a/, ['3.16.7']],
  ])('%s resolves to manifest %s with config %s', async (selector, manifest, config, tags) => {
    await withImage(layout(), { selector }, async (image) => {
      expect(image.manifestDigest).toMatch(manifest);
      expect(image.configDigest).toMatch(config);
      expect(image.tags).toEqual(tags);
    });
  });

  test('1.0.0 (manifest 0dc27f36…) declares its shared config 913cf3a3… as 585 bytes; the blob has 584: IntegrityError', async () => {
    const error = await openImage(layout(), { selector: '1.0.0' }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(IntegrityError);
    expect((error as Error).message).toMatch(/config sha256:913cf3a39d37: blob sha256:913cf3a39d37 is 584 bytes, but its descriptor says 585/);
  });

  test('no selector, an empty one, or a missing ref is a UsageError', async () => {
    await expect(openImage(layout())).rejects.toThrow(/holds 7 images/);
    await expect(openImage(layout(), { selector: '' })).rejects.toBeInstanceOf(UsageError);
    await expect(openImage(layout(), { selector: '2.0' })).rejects.toThrow(/no image named "2\.0"/);
  });

  test('every blob verifies; the fake "gzip" layers fail cleanly when read as layers, never crash', async () => {
    await withImage(layout(), { selector: '3.17.5' }, async (image) => {
      const [layer] = image.layers;
      expect(layer!.descriptor.mediaType).toBe('application/vnd.oci.image.layer.v1.tar+gzip');
      const stored = await collect(layer!.open());
      expect(stored.toString()).toMatch(/^insert binary content here #\d+/);
      expect(sha256Of(stored)).toBe(layer!.descriptor.digest);
      const read = async () => {
        const { stream } = await decompressStream(layer!.open(), 'layer');
        const parser = new TarParser({ entry: () => undefined }, { label: 'layer' });
        for await (const chunk of stream) parser.write(chunk);
        parser.end();
      };
      await expect(read()).rejects.toBeInstanceOf(InputError);
    });
  });
});

/** go-containerregistry's tarball/, mutate/, crane/ and layout/ fixtures: what its EXPECTED.md records. */
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import type { ResolvedImage } from '../../src/image/index.js';
import { InputError, UsageError } from '../../src/shared/errors.js';
import { openImage } from '../../src/sources/index.js';
import { peerCorpus } from '../helpers/peer-corpus.js';
import { collect, sha256Of, uncompress } from './conformance.js';

const dir = peerCorpus('go-containerregistry');
const at = (path: string) => join(dir!, path);

async function withImage<T>(path: string, options: Parameters<typeof openImage>[1], use: (image: ResolvedImage) => Promise<T>): Promise<T> {
  const image = await openImage(path, options);
  try {
    return await use(image);
  } finally {
    await image.close();
  }
}

/** validate.Image in spirit: every layer streams, verifies, and uncompresses to its diffId. */
async function validate(image: ResolvedImage): Promise<void> {
  expect(sha256Of(image.configBytes)).toBe(image.configDigest);
  expect(sha256Of(image.manifestBytes)).toBe(image.manifestDigest);
  for (const layer of image.layers) {
    const stored = await collect(layer.open());
    expect(stored.length).toBe(layer.descriptor.size);
    expect(sha256Of(stored)).toBe(layer.descriptor.digest);
    expect(sha256Of(uncompress(stored))).toBe(layer.diffId);
  }
}

describe.skipIf(!dir)('go-containerregistry tarball/', () => {
  test('test_image_1.tar loads with no tag: 1 layer, 1 history entry, validates', async () => {
    await withImage(at('tarball/test_image_1.tar'), {}, async (image) => {
      expect(image.format).toBe('docker-archive');
      expect(image.layers).toHaveLength(1);
      expect(image.config.history).toHaveLength(1);
      expect(image.configDigest).toBe('sha256:6e0b05049ed9c17d02e1a55e80d6599dbfcce7f4f4b022e3c673e685789c470e');
      expect(image.layers[0]!.diffId).toBe('sha256:8897395fd26dc44ad0e2a834335b33198cb41ac4d98dfddf58eced3853fa7b17');
      expect(image.layers[0]!.descriptor).toEqual({
        mediaType: 'application/vnd.docker.image.rootfs.diff.tar',
        size: 10240,
        digest: 'sha256:8897395fd26dc44ad0e2a834335b33198cb41ac4d98dfddf58eced3853fa7b17',
      });
      expect(image.manifestMediaType).toBe('application/vnd.docker.distribution.manifest.v2+json');
      expect(image.tags).toEqual(['bazel/v1/tarball:test_image_1']);
      expect(image.platform).toEqual({ os: 'linux', architecture: 'amd64' });
      await validate(image);
    });
  });

  test('test_image_2.tar and test_load_manifest.tar load', async () => {
    await withImage(at('tarball/test_image_2.tar'), {}, async (image) => {
      expect(image.configDigest).toBe('sha256:930705ce23e3b6ed4c08746b6fe880089c864fbaf62482702ae3fdd66b8c7fe9');
      expect(image.layers[0]!.diffId).toBe('sha256:3610aa5267a210147ba6ca02cdd87610dfc08522de9c5f5015edd8ee14853fd8');
      await validate(image);
    });
    await withImage(at('tarball/test_load_manifest.tar'), {}, async (image) => expect(image.layers).toHaveLength(1));
  });

  test('test_bundle.tar: no tag is ambiguous (UsageError listing the choices)', async () => {
    const error = await openImage(at('tarball/test_bundle.tar')).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(UsageError);
    expect((error as Error).message).toMatch(/holds 2 images; choose one with --image: @0 \(test_image_2\), @1 \(test_image_1\)/);
  });

  test.each([
    ['test_image_1', 'sha256:6e0b05049ed9c17d02e1a55e80d6599dbfcce7f4f4b022e3c673e685789c470e'],
    ['test_image_2', 'sha256:930705ce23e3b6ed4c08746b6fe880089c864fbaf62482702ae3fdd66b8c7fe9'],
    ['test_image_1:latest', 'sha256:6e0b05049ed9c17d02e1a55e80d6599dbfcce7f4f4b022e3c673e685789c470e'],
    ['test_image_2:latest', 'sha256:930705ce23e3b6ed4c08746b6fe880089c864fbaf62482702ae3fdd66b8c7fe9'],
    ['index.docker.io/library/test_image_1:latest', 'sha256:6e0b05049ed9c17d02e1a55e80d6599dbfcce7f4f4b022e3c673e685789c470e'],
    ['@1', 'sha256:6e0b05049ed9c17d02e1a55e80d6599dbfcce7f4f4b022e3c673e685789c470e'],
  ])('test_bundle.tar with %s loads and validates', async (selector, configDigest) => {
    await withImage(at('tarball/test_bundle.tar'), { selector }, async (image) => {
      expect(image.configDigest).toBe(configDigest);
      expect(image.reference).toBe(selector.startsWith('@') ? null : selector.includes('image_1') ? 'test_image_1' : 'test_image_2');
      // LayerSources describes a gzip source blob; the stored layer is the uncompressed tar.
      expect(image.layers[0]!.descriptor.mediaType).toBe('application/vnd.docker.image.rootfs.diff.tar');
      await validate(image);
    });
  });

  test('test_bundle.tar: an unknown tag or index is a UsageError', async () => {
    await expect(openImage(at('tarball/test_bundle.tar'), { selector: 'test_image_3' })).rejects.toThrow(/no image tagged "test_image_3"/);
    await expect(openImage(at('tarball/test_bundle.tar'), { selector: '@2' })).rejects.toBeInstanceOf(UsageError);
  });

  test('test_link.tar: the symlinked layer.tar returns the real bytes', async () => {
    await withImage(at('tarball/test_link.tar'), { selector: 'bazel/v1/tarball:test_image_3' }, async (image) => {
      expect(image.layers.map((layer) => layer.diffId)).toEqual([
        'sha256:8897395fd26dc44ad0e2a834335b33198cb41ac4d98dfddf58eced3853fa7b17',
        'sha256:6b617a2706576ed038acdc3aa668cac62010386a5a3d227d83aada32085c9f29',
      ]);
      expect(image.config.history).toHaveLength(2);
      const stored = await collect(image.layers[0]!.open());
      expect(stored.length).toBe(10240);
      await validate(image);
    });
  });

  test('null_manifest.tar and no_manifest.tar (repositories only) fail with InputError', async () => {
    await expect(openImage(at('tarball/null_manifest.tar'))).rejects.toThrow(/manifest\.json is null/);
    await expect(openImage(at('tarball/null_manifest.tar'))).rejects.toBeInstanceOf(InputError);
    const error = await openImage(at('tarball/no_manifest.tar')).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(InputError);
    expect((error as Error).message).toMatch(/pre-Docker-1\.10 save.*unsupported/);
  });

  test('hello-world-v25.tar (Docker 25, index.json manifests: null) loads through manifest.json and uses the saved OCI manifest', async () => {
    await withImage(at('tarball/hello-world-v25.tar'), {}, async (image) => {
      expect(image.format).toBe('docker-archive');
      expect(image.tags).toEqual([]);
      expect(image.configDigest).toBe('sha256:ee301c921b8aadc002973b2e0c3da17d701dcd994b606769a7e6eaa100b81d44');
      expect(image.platform).toEqual({ os: 'linux', architecture: 'arm64' });
      expect(image.config.history).toHaveLength(2);
      expect(image.manifestDigest).toBe('sha256:411caf340c828657e915a83ed561a79d2b8150dabad4dc079d881cbfe6f86afe');
      expect(image.manifestMediaType).toBe('application/vnd.oci.image.manifest.v1+json');
      expect(image.layers).toHaveLength(1);
      expect(image.layers[0]!.descriptor).toEqual({
        mediaType: 'application/vnd.oci.image.layer.v1.tar',
        digest: 'sha256:12660636fe55438cc3ae7424da7ac56e845cdb52493ff9cf949c47a7f57f8b43',
        size: 10752,
      });
      expect(image.layers[0]!.diffId).toBe(image.layers[0]!.descriptor.digest);
      await validate(image);
    });
  });

  test('content.tar is a bare layer, not an image', async () => {
    await expect(openImage(at('tarball/content.tar'))).rejects.toThrow(/not a container image: .* without manifest\.json or oci-layout \+ index\.json \(found: bat, baz\)/);
  });
});

describe.skipIf(!dir)('go-containerregistry mutate/', () => {
  test('whiteout_dir.tar: config member named sha256:…, 4 gzip <digest>.tar.gz layers', async () => {
    await withImage(at('mutate/whiteout_dir.tar'), { selector: 'localhost:5000/whiteout' }, async (image) => {
      expect(image.configDigest).toBe('sha256:92f1e3d53acdc7e137e73869abc4e87aba6614440a31723423790ca0d5db9111');
      expect(image.layers.map((layer) => layer.descriptor.mediaType)).toEqual(Array(4).fill('application/vnd.docker.image.rootfs.diff.tar.gzip'));
      expect(image.layers[0]!.descriptor.digest).toBe('sha256:e351ee8e5cab41e244c9a219e949dcc90cfa157f0a216157e3406eeef976a953');
      await validate(image);
    });
  });

  test('source_image_with_empty_layer_history.tar: the config digest comes from the bytes, not the member name', async () => {
    await withImage(at('mutate/source_image_with_empty_layer_history.tar'), {}, async (image) => {
      expect(image.configDigest).toBe('sha256:05b5ec1290589606ce19fabb1fb331f004acd9f618b9b4e813721be1a03a0712');
      expect(image.manifest.config.digest).toBe(image.configDigest);
      expect(image.config.history).toHaveLength(2);
      expect(image.config.history![0]!.empty_layer).toBe(true);
      await validate(image);
    });
  });

  test.each(['whiteout_image.tar', 'overwritten_file.tar', 'source_image.tar'])('%s opens and validates (3-layer and 1-layer saves)', async (name) => {
    await withImage(at(`mutate/${name}`), {}, async (image) => {
      expect(image.layers).toHaveLength(name === 'source_image.tar' ? 1 : 3);
      await validate(image);
    });
  });
});

describe.skipIf(!dir)('go-containerregistry layout/', () => {
  test('test_index ref 1: declared OCI manifest, blob is Docker v2; media type from the descriptor; validates', async () => {
    await withImage(at('layout/test_index'), { selector: '1' }, async (image) => {
      expect(image.format).toBe('oci-layout');
      expect(image.manifestDigest).toBe('sha256:eebff607b1628d67459b0596643fc07de70d702eccf030f0bc7bb6fc2b278650');
      expect(image.manifestMediaType).toBe('application/vnd.oci.image.manifest.v1+json');
      expect(image.configDigest).toBe('sha256:6e0b05049ed9c17d02e1a55e80d6599dbfcce7f4f4b022e3c673e685789c470e');
      expect(image.layers[0]!.descriptor).toEqual({
        mediaType: 'application/vnd.docker.image.rootfs.diff.tar.gzip',
        size: 167,
        digest: 'sha256:dc52c6e48a1d51a96047b059f16889bc889c4b4c28f3b36b3f93187f62fc0b2b',
      });
      expect(image.layers[0]!.diffId).toBe('sha256:8897395fd26dc44ad0e2a834335b33198cb41ac4d98dfddf58eced3853fa7b17');
      expect(image.reference).toBe('1');
      expect(image.tags).toEqual(['1']);
      await validate(image);
    });
  });

  test('test_index ref 3 (OCI index) and ref 4 (Docker manifest list) are followed to their one manifest', async () => {
    await withImage(at('layout/test_index'), { selector: '3' }, async (image) => {
      expect(image.manifestDigest).toBe('sha256:eebff607b1628d67459b0596643fc07de70d702eccf030f0bc7bb6fc2b278650');
      await validate(image);
    });
    await withImage(at('layout/test_index'), { selector: '4' }, async (image) => {
      expect(image.manifestDigest).toBe('sha256:eebff607b1628d67459b0596643fc07de70d702eccf030f0bc7bb6fc2b278650');
    });
  });

  test('test_index ref 2 has an unknown media type (application/vnd.oci.descriptor.v1+json): InputError', async () => {
    const error = await openImage(at('layout/test_index'), { selector: '2' }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(InputError);
    expect((error as Error).message).toMatch(/media type "application\/vnd\.oci\.descriptor\.v1\+json", which is neither an image manifest nor an index/);
  });

  test('test_index: 4 entries and no selector is a UsageError; an unknown name too', async () => {
    await expect(openImage(at('layout/test_index'))).rejects.toThrow(/holds 4 images; choose one with --image: @0 \(1\), @1 \(2\), @2 \(3\), @3 \(4\)/);
    await expect(openImage(at('layout/test_index'), { selector: 'deadbeef' })).rejects.toBeInstanceOf(UsageError);
  });

  test('test_index_one_image: no selector picks the only manifest, validates', async () => {
    await withImage(at('layout/test_index_one_image'), {}, async (image) => {
      expect(image.manifestDigest).toBe('sha256:98ceaf93e482fe91b9bfd6bba07137c098e49ee2d55e69f09fb6c951e75e0e46');
      expect(image.configDigest).toMatch(/^sha256:381d958b/);
      expect(image.layers[0]!.descriptor.mediaType).toBe('application/vnd.oci.image.layer.v1.tar+gzip');
      expect(image.layers[0]!.diffId).toMatch(/^sha256:59cd31f5/);
      expect(image.tags).toEqual([]);
      await validate(image);
    });
  });

  test('test_index_media_type: the custom layer type is passed through; the helm config is an artifact, not an image', async () => {
    const { resolveManifest } = await import('../../src/sources/oci/resolve.js');
    const { DirectoryContainer } = await import('../../src/sources/container/directory-container.js');
    const { readLayoutIndex } = await import('../../src/sources/oci/open-oci.js');
    const container = new DirectoryContainer(at('layout/test_index_media_type'), 'test_index_media_type');
    const index = await readLayoutIndex(container);
    const resolved = await resolveManifest(container, index.manifests[0]!, null, 'test_index_media_type');
    expect(resolved.mediaType).toBe('application/vnd.oci.image.manifest.v1+json');
    expect(resolved.manifest.layers[0]!.mediaType).toBe('application/tar+gzip');
    expect(resolved.manifest.config.mediaType).toBe('application/vnd.cncf.helm.config.v1+json');
    const error = await openImage(at('layout/test_index_media_type')).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(InputError);
    expect((error as Error).message).toMatch(/not a container image: an OCI artifact \(config media type "application\/vnd\.cncf\.helm\.config\.v1\+json"\)/);
  });

  test('test_gc_index: refs 1, 3, 4 open; test_gc_image_unknown_mediatype fails on the unknown media type', async () => {
    for (const selector of ['1', '3', '4']) {
      await withImage(at('layout/test_gc_index'), { selector }, async (image) => expect(image.layers).toHaveLength(1));
    }
    await expect(openImage(at('layout/test_gc_image_unknown_mediatype'))).rejects.toThrow(/application\/vnd\.oci\.descriptor\.v1\+json/);
  });
});


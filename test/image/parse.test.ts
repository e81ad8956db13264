import { describe, expect, test } from 'vitest';
import {
  convertLayerMediaType,
  layerCompressionOf,
  manifestKindOf,
  MediaType,
  parseDigest,
  parseImageConfig,
  parseIndex,
  parseJson,
  parseManifest,
} from '../../src/image/index.js';
import { InputError } from '../../src/shared/errors.js';

const bytes = (value: unknown) => new TextEncoder().encode(JSON.stringify(value));
const digest = 'sha256:' + 'ab'.repeat(32);

describe('parseJson', () => {
  test('accepts a BOM and names the object on bad JSON', () => {
    expect(parseJson(new Uint8Array([0xef, 0xbb, 0xbf, 0x7b, 0x7d]), 'x')).toEqual({});
    expect(() => parseJson(new TextEncoder().encode('{"a":'), 'index.json')).toThrow(/^index\.json: invalid JSON/);
    expect(() => parseJson(new Uint8Array([0xff, 0xfe]), 'm')).toThrow(InputError);
  });
});

describe('parseIndex / parseManifest', () => {
  test('manifests: null reads as an empty index (Docker 25 docker save)', () => {
    expect(parseIndex({ schemaVersion: 2, mediaType: MediaType.ociIndex, manifests: null }, 'index.json').manifests).toEqual([]);
  });

  test('descriptors are validated: digest syntax, size, annotations', () => {
    const good = { mediaType: MediaType.ociManifest, digest, size: 10, annotations: { 'org.opencontainers.image.ref.name': 'v1' } };
    expect(parseIndex({ schemaVersion: 2, manifests: [good] }, 'i').manifests[0]).toEqual(good);
    expect(() => parseIndex({ schemaVersion: 2, manifests: [{ ...good, digest: 'sha256:../../etc/passwd' }] }, 'i')).toThrow(/digest is string "sha256:\.\.\/\.\.\/etc\/passwd", expected a digest/);
    expect(() => parseIndex({ schemaVersion: 2, manifests: [{ ...good, size: -1 }] }, 'i')).toThrow(/size is number -1/);
    expect(() => parseIndex({ schemaVersion: 2, manifests: [{ ...good, annotations: { a: 1 } }] }, 'i')).toThrow(/annotations\["a"\]/);
  });

  test('schema 1 manifests are refused with a clear message; a manifest must have a config', () => {
    expect(() => parseManifest({ schemaVersion: 1, fsLayers: [] }, 'm')).toThrow(/schema 1 is not supported/);
    expect(() => parseManifest({ schemaVersion: 2, manifests: [] }, 'm')).toThrow(/is an index/);
    const manifest = parseManifest({ schemaVersion: 2, config: { mediaType: MediaType.ociConfig, digest, size: 2 }, layers: [] }, 'm');
    expect(manifest.layers).toEqual([]);
  });
});

describe('parseImageConfig', () => {
  const config = { architecture: 'amd64', os: 'linux', rootfs: { type: 'layers', diff_ids: [digest] } };
  test('accepts a config and checks the diff_ids count against the manifest', () => {
    expect(parseImageConfig(config, 'c', 1).rootfs.diff_ids).toEqual([digest]);
    expect(() => parseImageConfig(config, 'c', 2)).toThrow(/rootfs\.diff_ids lists 1 layer\(s\) but the manifest has 2/);
    expect(() => parseImageConfig({ ...config, rootfs: { type: 'layers', diff_ids: [] } }, 'c', 1)).toThrow(InputError);
  });
  test('a config without rootfs is not an image config', () => {
    expect(() => parseImageConfig({}, 'c')).toThrow(/no rootfs\.diff_ids/);
    expect(() => parseImageConfig({ ...config, os: 3 }, 'c')).toThrow(/: os is number 3, expected a string/);
  });
});

describe('media types and digests', () => {
  test('kinds and compressions', () => {
    expect(manifestKindOf(MediaType.dockerManifestList)).toBe('index');
    expect(manifestKindOf(MediaType.dockerManifest)).toBe('manifest');
    expect(manifestKindOf('application/vnd.oci.descriptor.v1+json')).toBeNull();
    expect(layerCompressionOf(MediaType.dockerLayerGzip)).toBe('gzip');
    expect(layerCompressionOf('application/tar+gzip')).toBeNull();
    expect(convertLayerMediaType(MediaType.ociLayerZstd, 'docker')).toBe(MediaType.dockerLayerZstd);
    expect(convertLayerMediaType(MediaType.dockerLayer, 'oci')).toBe(MediaType.ociLayer);
    expect(convertLayerMediaType('application/tar+gzip', 'oci')).toBe('application/tar+gzip');
  });
  test('digests are validated strictly', () => {
    expect(parseDigest(digest, 'x')).toEqual({ algorithm: 'sha256', hex: 'ab'.repeat(32) });
    expect(() => parseDigest('sha256:ABCD', 'x')).toThrow(/x: invalid digest/);
    expect(() => parseDigest('md5:' + 'a'.repeat(32), 'x')).toThrow(InputError);
  });
  test('bytes helper', () => expect(bytes({ a: 1 }).length).toBe(7));
});

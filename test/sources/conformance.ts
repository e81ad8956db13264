/**
 * The conformance check every source runs (go-containerregistry's validate.Image, in spirit): the
 * image opened by imgslim has exactly the built image's config, layers, diffIds and digests, and
 * every layer streams back its stored bytes, whose uncompressed digest is the diffId.
 */
import { createHash } from 'node:crypto';
import { gunzipSync } from 'node:zlib';
import { expect } from 'vitest';
import { decompress as zstdDecompress } from 'zstd-napi';
import type { ResolvedImage } from '../../src/image/index.js';
import type { BuiltImage } from '../helpers/image-builder.js';

export async function collect(source: AsyncIterable<Uint8Array>): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of source) chunks.push(Buffer.from(chunk));
  return Buffer.concat(chunks);
}

export const sha256Of = (data: Uint8Array) => `sha256:${createHash('sha256').update(data).digest('hex')}`;

export function uncompress(blob: Buffer): Buffer {
  if (blob[0] === 0x1f && blob[1] === 0x8b) return gunzipSync(blob);
  if (blob.readUInt32LE(0) === 0xfd2fb528) return zstdDecompress(blob);
  return blob;
}

/** Asserts `image` is `built`, read back through any source. */
export async function expectConformingImage(image: ResolvedImage, built: BuiltImage): Promise<void> {
  expect(Buffer.from(image.configBytes).equals(built.configBytes)).toBe(true);
  expect(image.configDigest).toBe(built.configDigest);
  expect(image.config.rootfs.diff_ids).toEqual(built.layers.map((layer) => layer.diffId));
  expect(image.platform).toEqual(built.platform);
  expect(image.manifest.config.digest).toBe(built.configDigest);
  expect(image.manifest.config.size).toBe(built.configBytes.length);
  expect(sha256Of(image.manifestBytes)).toBe(image.manifestDigest);
  expect(JSON.parse(Buffer.from(image.manifestBytes).toString())).toEqual(JSON.parse(JSON.stringify(image.manifest)));
  expect(image.layers).toHaveLength(built.layers.length);
  for (const [index, layer] of image.layers.entries()) {
    const expected = built.layers[index]!;
    expect(layer.index).toBe(index);
    expect(layer.diffId).toBe(expected.diffId);
    expect(layer.descriptor.digest).toBe(expected.digest);
    expect(layer.descriptor.size).toBe(expected.blob.length);
    expect(image.manifest.layers[index]).toEqual(layer.descriptor);
    const stored = await collect(layer.open());
    expect(stored.equals(expected.blob)).toBe(true);
    expect(sha256Of(uncompress(stored))).toBe(layer.diffId);
  }
}

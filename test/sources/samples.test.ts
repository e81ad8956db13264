/**
 * The team's sample images (samples/, written by umoci and skopeo, never by imgslim) open with
 * the digests samples/README.md records, and agree with `skopeo inspect`.
 */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import type { ResolvedImage } from '../../src/image/index.js';
import { openImage } from '../../src/sources/index.js';
import { repoRoot } from '../helpers/peer-corpus.js';
import { collect, sha256Of, uncompress } from './conformance.js';

const samples = join(repoRoot, 'samples');
const present = (name: string) => {
  const found = existsSync(join(samples, name));
  if (!found) console.warn(`[imgslim tests] samples/${name} is absent: skipping its tests`);
  return found;
};
const skopeo = existsSync('/usr/bin/skopeo') ? '/usr/bin/skopeo' : undefined;

async function validated(path: string, selector?: string): Promise<ResolvedImage> {
  const image = await openImage(path, selector === undefined ? {} : { selector });
  for (const layer of image.layers) {
    const stored = await collect(layer.open());
    expect(sha256Of(stored)).toBe(layer.descriptor.digest);
    expect(sha256Of(uncompress(stored))).toBe(layer.diffId);
  }
  return image;
}

function skopeoInspect(reference: string): { Digest: string; Layers: string[] } {
  return JSON.parse(execFileSync(skopeo!, ['inspect', reference], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }));
}

describe.skipIf(!present('glibc-dynamic.tar'))('samples/glibc-dynamic.tar (skopeo docker-archive)', () => {
  test('two uncompressed layers named by diff_id; tag selection normalises', async () => {
    const image = await validated(join(samples, 'glibc-dynamic.tar'), 'imgslim/glibc-dynamic');
    expect(image.format).toBe('docker-archive');
    expect(image.configDigest).toMatch(/^sha256:ba9fcd52/);
    expect(image.tags).toEqual(['docker.io/imgslim/glibc-dynamic:latest']);
    expect(image.layers.map((layer) => layer.diffId)).toEqual([
      'sha256:0eb4aa59eca0c16f05a8dc134ff0208611f2f7cb0476ed3745f711700b8196d5',
      'sha256:edd3ca7ba1a8597d13f2c0f3d8549b43b6ddc926b72574d76b77c03f36412420',
    ]);
    expect(image.layers.map((layer) => layer.descriptor.size)).toEqual([2150400, 18944]);
    expect(image.config.config?.Entrypoint).toEqual(['/app/hello']);
    if (skopeo) expect(skopeoInspect(`docker-archive:${join(samples, 'glibc-dynamic.tar')}`).Layers).toEqual(image.layers.map((layer) => layer.diffId));
    await image.close();
  });
});

describe.each([
  ['musl-dynamic.tar', 'oci-archive', /^sha256:50df918c/, 2],
  ['static-oci', 'oci-layout', /^sha256:5f96fc9f/, 1],
  ['layers.tar', 'oci-archive', /^sha256:9c3a5dbd/, 4],
] as const)('samples/%s', (name, format, manifestDigest, layerCount) => {
  test.skipIf(!present(name))(`opens as ${format}, validates, and agrees with skopeo`, async () => {
    const image = await validated(join(samples, name));
    expect(image.format).toBe(format);
    expect(image.manifestDigest).toMatch(manifestDigest);
    expect(image.layers).toHaveLength(layerCount);
    if (skopeo) {
      const reference = format === 'oci-layout' ? `oci:${join(samples, name)}:1.0` : `oci-archive:${join(samples, name)}`;
      const info = skopeoInspect(reference);
      expect(info.Digest).toBe(image.manifestDigest);
      expect(info.Layers).toEqual(image.layers.map((layer) => layer.descriptor.digest));
    }
    await image.close();
  });
});

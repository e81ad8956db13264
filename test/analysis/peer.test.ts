/**
 * Peer fixtures through the whole pipeline: what go-containerregistry and containers/image
 * assert about flattening and opening, restated in their EXPECTED.md, must hold in the Report.
 */
import path from 'node:path';
import { describe, expect, test } from 'vitest';
import { analyzeImage } from '../../src/analysis/index.js';
import { reportErrors } from '../../src/report/validate.js';
import { peerCorpus } from '../helpers/peer-corpus.js';

const ggcr = peerCorpus('go-containerregistry');
const containersImage = peerCorpus('containers-image');
const paths = (entries: Array<{ path: string }>) => entries.map((e) => e.path);

describe.skipIf(!ggcr)('go-containerregistry fixtures, flattened', () => {
  const file = (name: string) => path.join(ggcr!, name);

  test('whiteout_image.tar: foo.txt is gone, bar.txt remains', async () => {
    const report = await analyzeImage(file('mutate/whiteout_image.tar'));
    expect(paths(report.filesystem.entries)).toContain('/bar.txt');
    expect(paths(report.filesystem.entries)).not.toContain('/foo.txt');
    expect(report.layers).toHaveLength(3);
  });

  test('whiteout_dir.tar: the directory is removed then re-created (gzip layers, config named sha256:…)', async () => {
    const report = await analyzeImage(file('mutate/whiteout_dir.tar'));
    const files = report.filesystem.entries.filter((e) => e.type === 'file').map((e) => e.path);
    expect(files.sort()).toEqual(['/a/baz', '/b/bar']);
    expect(report.layers.every((l) => l.compression === 'gzip')).toBe(true);
  });

  test('overwritten_file.tar: foo.txt is the symlink of the upper layer', async () => {
    const report = await analyzeImage(file('mutate/overwritten_file.tar'));
    expect(report.filesystem.entries.find((e) => e.path === '/foo.txt')).toMatchObject({ type: 'symlink', linkTarget: 'bar.txt' });
  });

  test('test_link.tar: a symlinked layer.tar member gives the real bytes', async () => {
    const report = await analyzeImage(file('tarball/test_link.tar'), { selector: 'bazel/v1/tarball:test_image_3' });
    expect(report.layers.map((l) => l.diffId)).toEqual([
      'sha256:8897395fd26dc44ad0e2a834335b33198cb41ac4d98dfddf58eced3853fa7b17',
      'sha256:6b617a2706576ed038acdc3aa668cac62010386a5a3d227d83aada32085c9f29',
    ]);
    expect(paths(report.filesystem.entries)).toEqual(expect.arrayContaining(['/bar', '/foo', '/test']));
  });

  test('hello-world-v25.tar: Docker 25 save, static AArch64 hello, empty_layer history skipped', async () => {
    const report = await analyzeImage(file('tarball/hello-world-v25.tar'));
    expect(reportErrors(report)).toEqual([]);
    expect(report.source).toMatchObject({ format: 'docker-archive', platform: 'linux/arm64', configDigest: 'sha256:ee301c921b8aadc002973b2e0c3da17d701dcd994b606769a7e6eaa100b81d44' });
    expect(report.binaries).toHaveLength(1);
    expect(report.binaries[0]).toMatchObject({ path: '/hello', machine: 'AArch64', linkage: 'static', libc: 'none', status: 'ok', size: 9136 });
    expect(report.layers[0]!.createdBy).not.toBeNull();
    expect(report.entrypoint?.startable).toBe(true);
  });

  test('test_bundle.tar: two images and no tag is an error; a short tag selects one', async () => {
    await expect(analyzeImage(file('tarball/test_bundle.tar'))).rejects.toMatchObject({ exitCode: 2 });
    const report = await analyzeImage(file('tarball/test_bundle.tar'), { selector: 'test_image_2' });
    expect(paths(report.filesystem.entries)).toEqual(expect.arrayContaining(['/bat', '/baz']));
  });
});

describe.skipIf(!containersImage)('containers/image fixtures', () => {
  test('almostempty.tar by @0 and by tag: one empty file', async () => {
    for (const selector of ['@0', 'emptyimage:latest']) {
      const report = await analyzeImage(path.join(containersImage!, 'docker-archive/almostempty.tar'), { selector });
      expect(report.filesystem.entries.map((e) => [e.path, e.type, e.size])).toEqual([['/emptyfile', 'file', 0]]);
      expect(report.layers[0]!.diffId).toBe('sha256:0b916d257bd406111a3fced53f81b47de9a30f7c7d514a89769b3483aaddca7e');
    }
  });

  test('delete_image_multiple_images: the fake "gzip" layers fail cleanly as input errors', async () => {
    const layout = path.join(containersImage!, 'oci-layout/delete_image_multiple_images');
    await expect(analyzeImage(layout, { selector: '3.17.5' })).rejects.toMatchObject({ exitCode: 3 });
  });
});

/** writeImage: read back by imgslim, byte-identical for the same input, atomic, merged into existing layouts. */
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { IntegrityError, UsageError } from '../../src/shared/errors.js';
import { openImage, writeImage, type WriteFormat } from '../../src/sources/index.js';
import { buildImage, type BuiltImage } from '../helpers/image-builder.js';
import { collect, sha256Of } from './conformance.js';
import { writable } from './writable.js';
import { testTmp } from '../helpers/tools.js';

let scratch: string;
let built: BuiltImage;

beforeAll(async () => {
  mkdirSync(testTmp('sources'), { recursive: true });
  scratch = mkdtempSync(testTmp('sources', 'write-'));
  built = await buildImage({
    layers: [
      { compression: 'gzip', entries: [{ path: 'bin/tool', content: 'tool', mode: 0o755 }, { path: 'etc/motd', content: 'hi\n' }] },
      { compression: 'zstd', entries: [{ path: 'etc/motd', type: 'whiteout' }, { path: 'bin/t', type: 'symlink', target: 'tool' }] },
      { compression: 'none', entries: [{ path: 'app/data', content: 'x'.repeat(5000) }] },
    ],
    containerConfig: { Entrypoint: ['/bin/tool'] },
  });
});

afterAll(() => rmSync(scratch, { recursive: true, force: true }));

const formats: WriteFormat[] = ['docker-archive', 'oci-layout', 'oci-archive'];
const outputName = (format: WriteFormat, suffix = '') => (format === 'oci-layout' ? `layout${suffix}` : `${format}${suffix}.tar`);

function listTree(path: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const entry of readdirSync(path, { recursive: true, withFileTypes: true })) {
    if (entry.isFile()) out[join(entry.parentPath, entry.name).slice(path.length)] = sha256Of(readFileSync(join(entry.parentPath, entry.name)));
  }
  return out;
}

describe.each(formats)('%s', (format) => {
  test('reads back with the same config, layers and diffIds, and the returned digests', async () => {
    const target = join(scratch, outputName(format));
    const written = await writeImage({ format, path: target }, writable(built, join(scratch, 'blobs'), { tag: 'example.com/slim:1' }));
    const image = await openImage(target, { selector: 'example.com/slim:1' });
    try {
      expect(image.format).toBe(format);
      expect(image.manifestDigest).toBe(written.manifestDigest);
      expect(image.configDigest).toBe(written.configDigest);
      expect(image.manifestMediaType).toBe(
        format === 'docker-archive' ? 'application/vnd.docker.distribution.manifest.v2+json' : 'application/vnd.oci.image.manifest.v1+json',
      );
      expect(image.manifest.config.mediaType).toBe(
        format === 'docker-archive' ? 'application/vnd.docker.container.image.v1+json' : 'application/vnd.oci.image.config.v1+json',
      );
      expect(image.layers.map((layer) => layer.descriptor.mediaType)).toEqual(
        format === 'docker-archive'
          ? ['application/vnd.docker.image.rootfs.diff.tar.gzip', 'application/vnd.docker.image.rootfs.diff.tar.zstd', 'application/vnd.docker.image.rootfs.diff.tar']
          : ['application/vnd.oci.image.layer.v1.tar+gzip', 'application/vnd.oci.image.layer.v1.tar+zstd', 'application/vnd.oci.image.layer.v1.tar'],
      );
      expect(image.config).toEqual(built.config);
      expect(image.layers.map((layer) => layer.diffId)).toEqual(built.layers.map((layer) => layer.diffId));
      for (const [index, layer] of image.layers.entries()) {
        expect((await collect(layer.open())).equals(built.layers[index]!.blob)).toBe(true);
      }
      expect(image.tags).toEqual([format === 'docker-archive' ? 'example.com/slim:1' : 'example.com/slim:1']);
    } finally {
      await image.close();
    }
  });

  test('the same input gives byte-identical output', async () => {
    const input = writable(built, join(scratch, 'blobs'), { tag: 'app:v2', created: '2024-05-01T12:00:00Z' });
    const first = join(scratch, outputName(format, '-a'));
    const second = join(scratch, outputName(format, '-b'));
    const a = await writeImage({ format, path: first }, input);
    const b = await writeImage({ format, path: second }, input);
    expect(a).toEqual(b);
    if (format === 'oci-layout') expect(listTree(first)).toEqual(listTree(second));
    else expect(readFileSync(first).equals(readFileSync(second))).toBe(true);
  });

  test('a failure mid-write (a layer blob with the wrong bytes) leaves nothing behind', async () => {
    const dir = mkdtempSync(join(scratch, 'fail-'));
    const input = writable(built, join(dir, 'blobs'));
    writeFileSync(input.layers[2]!.blobPath, 'y'.repeat(input.layers[2]!.size));
    const target = join(dir, outputName(format));
    const error = await writeImage({ format, path: target }, input).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(IntegrityError);
    expect(readdirSync(dir)).toEqual(['blobs']);
  });
});

describe('targets', () => {
  test('a tar target replaces an existing file atomically; a directory in the way is a UsageError', async () => {
    const target = join(scratch, 'replace.tar');
    writeFileSync(target, 'old');
    await writeImage({ format: 'oci-archive', path: target }, writable(built, join(scratch, 'blobs')));
    expect(readFileSync(target).length).toBeGreaterThan(1024);
    mkdirSync(join(scratch, 'dir.tar'), { recursive: true });
    await expect(writeImage({ format: 'docker-archive', path: join(scratch, 'dir.tar') }, writable(built, join(scratch, 'blobs')))).rejects.toBeInstanceOf(UsageError);
    await expect(writeImage({ format: 'docker-archive', path: join(scratch, 'no/such/dir.tar') }, writable(built, join(scratch, 'blobs')))).rejects.toThrow(/is not a directory/);
  });

  test('an existing OCI layout gets the image added; the same ref.name is replaced; other images stay', async () => {
    const target = join(scratch, 'shared-layout');
    const other = await buildImage({ layers: [{ entries: [{ path: 'other', content: 'o' }] }] });
    await writeImage({ format: 'oci-layout', path: target }, writable(other, join(scratch, 'blobs-other'), { tag: 'base' }));
    await writeImage({ format: 'oci-layout', path: target }, writable(built, join(scratch, 'blobs'), { tag: 'slim' }));
    const again = await writeImage({ format: 'oci-layout', path: target }, writable(built, join(scratch, 'blobs'), { tag: 'slim', created: '2030-01-01T00:00:00Z' }));
    const index = JSON.parse(readFileSync(join(target, 'index.json'), 'utf8'));
    expect(index.manifests.map((entry: { annotations: Record<string, string> }) => entry.annotations['org.opencontainers.image.ref.name'])).toEqual(['base', 'slim']);
    for (const [selector, layers] of [['base', 1], ['slim', 3]] as const) {
      const image = await openImage(target, { selector });
      expect(image.layers).toHaveLength(layers);
      if (selector === 'slim') expect(image.manifestDigest).toBe(again.manifestDigest);
      await image.close();
    }
  });

  test('an existing non-layout directory, an invalid tag, an unknown format are UsageErrors', async () => {
    const busy = join(scratch, 'busy');
    mkdirSync(busy, { recursive: true });
    writeFileSync(join(busy, 'file'), 'x');
    const input = writable(built, join(scratch, 'blobs'));
    await expect(writeImage({ format: 'oci-layout', path: busy }, input)).rejects.toThrow(/not empty and not an OCI image layout/);
    await expect(writeImage({ format: 'docker-archive', path: join(scratch, 't.tar') }, { ...input, tag: 'Bad Tag' })).rejects.toBeInstanceOf(UsageError);
    await expect(writeImage({ format: 'oci-layout', path: join(scratch, 't') }, { ...input, tag: 'no spaces' })).rejects.toBeInstanceOf(UsageError);
    await expect(writeImage({ format: 'zip' as WriteFormat, path: join(scratch, 't') }, input)).rejects.toBeInstanceOf(UsageError);
    expect(existsSync(join(scratch, 't.tar'))).toBe(false);
  });

  test('an empty directory target is replaced by the layout', async () => {
    const empty = join(scratch, 'empty-target');
    mkdirSync(empty);
    await writeImage({ format: 'oci-layout', path: empty }, writable(built, join(scratch, 'blobs')));
    const image = await openImage(empty);
    expect(image.layers).toHaveLength(3);
    await image.close();
  });
});

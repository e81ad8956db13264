/** One image built in code, written in every format imgslim reads, opens identically through each. */
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { compress as zstdCompress } from 'zstd-napi';
import type { SourceFormat } from '../../src/image/index.js';
import { openImage } from '../../src/sources/index.js';
import { buildImage, writeFixture, type BuiltImage, type FixtureFormat } from '../helpers/image-builder.js';
import { expectConformingImage } from './conformance.js';
import { testTmp } from '../helpers/tools.js';

let scratch: string;
let built: BuiltImage;

beforeAll(async () => {
  mkdirSync(testTmp('sources'), { recursive: true });
  scratch = mkdtempSync(testTmp('sources', 'conformance-'));
  process.env.TMPDIR = join(scratch, 'tmp');
  mkdirSync(process.env.TMPDIR);
  built = await buildImage({
    layers: [
      {
        compression: 'gzip',
        entries: [
          { path: 'bin/', type: 'dir' },
          { path: 'bin/busybox', content: 'not really busybox', mode: 0o755 },
          { path: 'bin/sh', type: 'symlink', target: 'busybox' },
          { path: 'etc/passwd', content: 'root:x:0:0::/root:/bin/sh\n' },
          { path: 'tmp/old', content: 'old' },
          { path: 'data/a.txt', content: 'a' },
        ],
      },
      {
        compression: 'zstd',
        entries: [
          { path: 'tmp/old', type: 'whiteout' },
          { path: 'data', type: 'opaque' },
          { path: 'data/b.txt', content: 'b' },
          { path: 'bin/ash', type: 'hardlink', target: 'bin/busybox' },
        ],
      },
      { compression: 'none', entries: [{ path: 'app/hello', content: '\x7fELF not really', mode: 0o755 }] },
    ],
    containerConfig: { Entrypoint: ['/app/hello'], Cmd: ['world'] },
  });
});

afterAll(() => rmSync(scratch, { recursive: true, force: true }));

const cases: Array<{ fixture: FixtureFormat; format: SourceFormat; name: string }> = [
  { fixture: 'docker-legacy', format: 'docker-archive', name: 'legacy.tar' },
  { fixture: 'docker25', format: 'docker-archive', name: 'docker25.tar' },
  { fixture: 'oci-layout', format: 'oci-layout', name: 'layout' },
  { fixture: 'oci-archive', format: 'oci-archive', name: 'oci.tar' },
];

describe.each(cases)('$fixture', ({ fixture, format, name }) => {
  test('opens with identical config, layers, diffIds and digests', async () => {
    const path = join(scratch, name);
    await writeFixture(fixture, path, [built], { tags: [['example.com/app:1.0']] });
    const image = await openImage(path);
    try {
      expect(image.format).toBe(format);
      expect(image.path).toBe(path);
      expect(image.reference).toBeNull();
      expect(image.tags).toEqual(['example.com/app:1.0']);
      await expectConformingImage(image, built);
      if (format !== 'docker-archive' || fixture === 'docker25') {
        expect(image.manifestDigest).toBe(built.manifestDigest);
        expect(Buffer.from(image.manifestBytes).equals(built.manifestBytes)).toBe(true);
      }
    } finally {
      await image.close();
    }
  });

  if (fixture !== 'oci-layout') {
    test('opens from stdin, and close() removes the spool file', async () => {
      const path = join(scratch, `stdin-${name}`);
      await writeFixture(fixture, path, [built], { tags: [['example.com/app:1.0']] });
      const before = new Set(readdirTmp());
      const image = await openImage('-', { stdin: Readable.from([readFileSync(path)]) });
      expect(image.path).toBe('-');
      expect(image.format).toBe(format);
      const spools = readdirTmp().filter((entry) => !before.has(entry));
      expect(spools).toHaveLength(1);
      const spoolDir = join(tmpdir(), spools[0]!);
      expect(statSync(spoolDir).mode & 0o777).toBe(0o700);
      expect(readdirSync(spoolDir).map((file) => statSync(join(spoolDir, file)).mode & 0o777)).toEqual([0o600]);
      await expectConformingImage(image, built);
      await image.close();
      expect(existsSync(join(tmpdir(), spools[0]!))).toBe(false);
    });
  }
});

/** Spool directories in os.tmpdir(), which points at a private directory for this file's tests. */
function readdirTmp(): string[] {
  return readdirSync(tmpdir()).filter((entry) => entry.startsWith('imgslim-'));
}

describe('compressed archives are spooled decompressed', () => {
  test.each(['gzip', 'zstd'] as const)('a %s-compressed docker save opens like the plain one', async (compression) => {
    const plain = join(scratch, `plain-${compression}.tar`);
    await writeFixture('docker-legacy', plain, [built]);
    const packed = join(scratch, `packed.tar.${compression}`);
    const bytes = readFileSync(plain);
    writeFileSync(packed, compression === 'gzip' ? gzipSync(bytes) : zstdCompress(bytes));
    const image = await openImage(packed);
    try {
      expect(image.format).toBe('docker-archive');
      await expectConformingImage(image, built);
    } finally {
      await image.close();
    }
  });
});

/**
 * The written image: byte-identical for the same input, one sorted layer with ownership, modes,
 * mtimes (clamped), xattrs and hard links as in the source, the config carried over, every format and
 * compression read back by imgslim, skopeo and umoci; --dry-run writes nothing; a failure leaves
 * nothing behind; the audit validates against AuditSchema.
 */
import { createHash } from 'node:crypto';
import { cpSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { Value } from '@sinclair/typebox/value';
import { describe, expect, test } from 'vitest';
import { inspectImage } from '../../src/analysis/index.js';
import { decompressStream, TarParser, type TarHeader } from '../../src/archive/index.js';
import { openImage } from '../../src/sources/index.js';
import { buildAudit, slimAnalysis, slimImage, type SlimOptions } from '../../src/slim/index.js';
import { AuditSchema } from '../../src/slim/audit-schema.js';
import { ImgslimError } from '../../src/shared/errors.js';
import { buildImage, sha256, withConfig, writeFixture } from '../helpers/image-builder.js';
import { repoRoot } from '../helpers/peer-corpus.js';
import { canRunImages, hasTool, imageConfig, listRootfs, scratch, skopeoInspect, unpack, type ImageFormat } from './_support.js';

const sample = (name: string) => path.join(repoRoot, 'samples', name);
const LAYERS_KEEP = ['/data/hardlinks', '/srv/also-one', '/usr/local/bin/*-hello', '/links/a', '/var/cache/big.bin'];

/** Every file under a path (a file: itself) → sha256, relative names. */
function digestTree(target: string): Record<string, string> {
  const result: Record<string, string> = {};
  const walk = (at: string, rel: string) => {
    if (statSync(at).isDirectory()) for (const name of readdirSync(at).sort()) walk(path.join(at, name), rel ? `${rel}/${name}` : name);
    else result[rel || '.'] = createHash('sha256').update(readFileSync(at)).digest('hex');
  };
  walk(target, '');
  return result;
}

/** The headers of the slimmed image's one layer, read with imgslim's parser. */
async function layerHeaders(image: string): Promise<TarHeader[]> {
  const resolved = await openImage(image);
  try {
    expect(resolved.layers).toHaveLength(1);
    const headers: TarHeader[] = [];
    const parser = new TarParser({ entry: (header) => void headers.push(header) });
    const { stream } = await decompressStream(resolved.layers[0]!.open(), 'layer');
    for await (const chunk of stream) parser.write(chunk);
    parser.end();
    return headers;
  } finally {
    await resolved.close();
  }
}

describe('the slimmed image', () => {
  test.each([
    ['docker-archive', 'gzip'],
    ['oci-archive', 'zstd'],
    ['oci-layout', 'none'],
  ] as const)('%s with %s: byte-identical for the same input, whatever the output path', async (format, compression) => {
    const dir = scratch(`output/determinism-${format}`);
    const names = format === 'oci-layout' ? ['a.d', 'b.d'] : ['a.tar', 'b.tar'];
    const digests = [];
    for (const name of names) {
      const { result } = await slimImage(sample('layers.tar'), { keep: LAYERS_KEEP, output: { path: path.join(dir, name), format, compression } });
      expect(result.output).toMatchObject({ format, compression });
      digests.push(digestTree(path.join(dir, name)));
    }
    expect(digests[1]).toEqual(digests[0]);
    expect(readdirSync(dir).sort()).toEqual(names);
  });

  test.each([
    ['layers.tar', { keep: LAYERS_KEEP }],
    ['glibc-apps.tar', {}],
    ['musl-dynamic.tar', {}],
  ] as const)('%s: the same bytes whether kept content is read from gzip checkpoints or from each layer start', async (name, options) => {
    const dir = scratch(`output/checkpoints-${name}`);
    const digests = [];
    for (const checkpointEvery of [0, 4096, 65_536]) {
      const out = path.join(dir, `${checkpointEvery}.tar`);
      const analysis = await inspectImage(sample(name), { checkpointEvery });
      try {
        const resumable = analysis.scans.filter((scan) => scan.resume !== undefined);
        if (checkpointEvery === 0) expect(resumable).toEqual([]);
        else expect(resumable.some((scan) => scan.resume!.checkpoints.length > 1)).toBe(true);
        await slimAnalysis(analysis, { ...options, output: { path: out } });
      } finally {
        await analysis.image.close();
      }
      digests.push(digestTree(out));
    }
    expect(digests[1]).toEqual(digests[0]);
    expect(digests[2]).toEqual(digests[0]);
  });

  test('a layer stored as two gzip members: a kept file across their seam is read from the layer start', async () => {
    const files = Array.from({ length: 40 }, (_, i) => ({ path: `/data/file-${i}.txt`, content: `${i} `.repeat(3000 + i * 500) }));
    const image = await buildImage({ layers: [{ entries: [{ path: '/data', type: 'dir' }, ...files] }] });
    const layer = image.layers[0]!;
    const cut = Math.floor(layer.tar.length / 2) + 100;
    const blob = Buffer.concat([gzipSync(layer.tar.subarray(0, cut)), gzipSync(layer.tar.subarray(cut))]);
    const split = withConfig({ ...image, layers: [{ ...layer, blob, digest: sha256(blob) }] });
    const dir = scratch('output/members');
    await writeFixture('oci-archive', path.join(dir, 'in.tar'), [split]);
    const digests = [];
    for (const checkpointEvery of [0, 4096]) {
      const out = path.join(dir, `${checkpointEvery}.tar`);
      await slimImage(path.join(dir, 'in.tar'), { checkpointEvery, keep: ['/data'], force: true, output: { path: out } });
      digests.push(digestTree(out));
    }
    expect(digests[1]).toEqual(digests[0]);
    const kept = await layerHeaders(path.join(dir, '4096.tar'));
    expect(kept.filter((header) => header.name.startsWith('data/file-'))).toHaveLength(40);
  });

  test('one layer: entries sorted, ownership, modes, mtimes, xattrs and hard links as in the source', async () => {
    const dir = scratch('output/layer');
    const out = path.join(dir, 'slim.tar');
    await slimImage(sample('layers.tar'), { keep: LAYERS_KEEP, sourceDateEpoch: 1_700_000_123, output: { path: out } });
    const headers = await layerHeaders(out);
    const names = headers.map((header) => header.name);
    expect(names).toEqual([...names].sort());
    // The sample's entries carry 1700000000 (docs/decisions/samples.md); /tmp is made by slim with none.
    expect(new Set(headers.filter((header) => header.name !== 'tmp/').map((header) => header.mtime))).toEqual(new Set([1_700_000_000]));
    const byName = new Map(headers.map((header) => [header.name, header]));
    expect(byName.get('usr/local/bin/suid-hello')?.mode).toBe(0o4755);
    expect(Buffer.from(byName.get('usr/local/bin/cap-hello')!.xattrs['security.capability']!).toString('hex')).toBe('0100000200040000000000000000000000000000');
    expect(byName.get('tmp/')?.mode).toBe(0o1777);
    // One inode, four names: the first in byte order carries the content.
    expect(['data/hardlinks/one', 'data/hardlinks/three', 'data/hardlinks/two', 'srv/also-one'].map((name) => [byName.get(name)?.type, byName.get(name)?.linkname])).toEqual([
      ['file', ''],
      ['hardlink', 'data/hardlinks/one'],
      ['hardlink', 'data/hardlinks/one'],
      ['hardlink', 'data/hardlinks/one'],
    ]);
    // /links/a → b → /links/c → ../bin/busybox: every link on the way.
    expect(['links/a', 'links/b', 'links/c'].map((name) => byName.get(name)?.linkname)).toEqual(['b', '/links/c', '../bin/busybox']);
    expect(byName.has('links/dangling')).toBe(false);
  });

  test('an mtime later than SOURCE_DATE_EPOCH is clamped to it', async () => {
    const out = path.join(scratch('output/clamp'), 'slim.tar');
    await slimImage(sample('layers.tar'), { keep: LAYERS_KEEP, sourceDateEpoch: 1_600_000_000, output: { path: out } });
    const mtimes = new Set((await layerHeaders(out)).filter((header) => header.name !== 'tmp/').map((header) => header.mtime));
    expect(mtimes).toEqual(new Set([1_600_000_000]));
  });

  test.skipIf(!canRunImages)('umoci unpacks hard links, setuid and capabilities as in the source', async () => {
    const dir = scratch('output/umoci');
    const out = path.join(dir, 'slim.tar');
    await slimImage(sample('layers.tar'), { keep: LAYERS_KEEP, output: { path: out, compression: 'zstd' } });
    const rootfs = listRootfs(unpack(out, 'oci-archive', path.join(dir, 'unpacked')));
    const inodes = ['/data/hardlinks/one', '/data/hardlinks/two', '/data/hardlinks/three', '/srv/also-one'].map((file) => rootfs.get(file)?.ino);
    expect(new Set(inodes).size).toBe(1);
    expect(rootfs.get('/usr/local/bin/suid-hello')?.mode).toBe(0o4755);
    expect(rootfs.get('/var/cache/big.bin')?.size).toBe(2097152);
    expect(rootfs.get('/tmp')?.mode).toBe(0o1777);
  });

  test.skipIf(!canRunImages || !hasTool('skopeo'))('the config keeps what the container runs and how; one history entry; converted formats are accepted', async () => {
    const dir = scratch('output/config');
    for (const format of ['docker-archive', 'oci-archive', 'oci-layout'] as const) {
      const out = path.join(dir, format === 'oci-layout' ? 'slim.d' : `${format}.tar`);
      const { result } = await slimImage(sample('glibc-dynamic.tar'), { output: { path: out, format, tag: 'example/slim:1' } });
      const source = imageConfig(sample('glibc-dynamic.tar'), 'docker-archive');
      const config = imageConfig(out, format);
      for (const key of ['Entrypoint', 'Cmd', 'Env', 'User', 'WorkingDir', 'ExposedPorts', 'Labels']) expect(config.config[key]).toEqual(source.config[key]);
      expect([config.architecture, config.os, config.created]).toEqual(['amd64', 'linux', source.created]);
      expect(config.rootfs.diff_ids).toEqual([result.output!.diffId]);
      expect(config.history).toEqual([{ created: source.created, created_by: 'imgslim slim', comment: expect.stringMatching(/^imgslim \S+: kept 14 of 14 entries of sha256:[0-9a-f]{64}$/) }]);
      const inspected = skopeoInspect(out, format as ImageFormat);
      // skopeo's docker-archive source presents layers by diff_id, with a manifest it synthesizes.
      expect(inspected.Layers).toEqual([format === 'docker-archive' ? result.output!.diffId : result.output!.layerDigest]);
      if (format !== 'docker-archive') expect(inspected.Digest).toBe(result.output!.manifestDigest);
    }
  });

  test('--dry-run writes nothing and its layout is exactly the written tar', async () => {
    const dir = scratch('output/dry-run');
    const analysis = await inspectImage(sample('glibc-apps.tar'));
    try {
      const dry = await slimAnalysis(analysis, {});
      expect(readdirSync(dir)).toEqual([]);
      expect(dry.output).toBeNull();
      expect(dry.summary.output).toBeNull();
      const real = await slimAnalysis(analysis, { output: { path: path.join(dir, 'slim.tar'), compression: 'none' } });
      expect(dry.summary.after.size).toBe(real.output!.tarSize);
      expect(real.output!.compressedSize).toBe(real.output!.tarSize);
      expect(dry.summary.kept).toEqual(real.summary.kept);
    } finally {
      await analysis.image.close();
    }
  });

  test('a failure leaves nothing: an interrupted write, a layer that changed since the analysis, a bad output', async () => {
    const dir = scratch('output/failure');
    const input = path.join(dir, 'input');
    cpSync(sample('static-oci'), input, { recursive: true });
    const out = path.join(dir, 'out');
    const analysis = await inspectImage(input);
    try {
      const controller = new AbortController();
      const progress: SlimOptions['progress'] = {
        start: (phase) => {
          if (phase === 'compress') controller.abort();
          return { advance() {}, done() {} };
        },
      };
      await expect(slimAnalysis(analysis, { output: { path: out }, progress, signal: controller.signal })).rejects.toThrow();
      expect(readdirSync(dir)).toEqual(['input']);

      const blob = path.join(input, 'blobs', 'sha256', '41c7846b66ce960d614f8014d9571b782a46ac8e3d45d5406e8814aafebef208');
      const bytes = readFileSync(blob);
      bytes.writeUInt8(bytes.readUInt8(bytes.length - 100) ^ 0xff, bytes.length - 100);
      writeFileSync(blob, bytes);
      const error = await slimAnalysis(analysis, { output: { path: out } }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ImgslimError);
      expect(readdirSync(dir)).toEqual(['input']);
    } finally {
      await analysis.image.close();
    }
    await expect(slimImage(sample('static-oci'), { output: { path: path.join(dir, 'missing', 'out.tar') } })).rejects.toThrow(/is not a directory/);
    await expect(slimImage(sample('static-oci'), { output: { path: path.join(dir, 'x.tar'), format: 'docker-archive', tag: 'Bad Tag' } })).rejects.toThrow(/invalid --tag/);
    await expect(slimImage(sample('musl-dynamic.tar'), { output: { path: sample('musl-dynamic.tar') } })).rejects.toThrow(/is the input image/);
    expect(readdirSync(dir)).toEqual(['input']);
  });

  test('an OCI layout output that exists gains the image beside the others', async () => {
    const dir = scratch('output/layout-merge');
    const layout = path.join(dir, 'layout');
    cpSync(sample('static-oci'), layout, { recursive: true });
    await slimImage(layout, { output: { path: layout, tag: 'slim' } });
    const index = JSON.parse(readFileSync(path.join(layout, 'index.json'), 'utf8'));
    expect(index.manifests.map((m: { annotations?: Record<string, string> }) => m.annotations?.['org.opencontainers.image.ref.name'])).toEqual(['1.0', 'slim']);
    const slimmed = await inspectImage(layout, { selector: 'slim' });
    await slimmed.image.close();
    expect([...slimmed.merged.entries.keys()].sort()).toEqual(['/app', '/app/hello', '/tmp']);
  });

  test('the audit lists every source entry, kept or dropped with reasons, and validates against AuditSchema', async () => {
    const dir = scratch('output/audit');
    const analysis = await inspectImage(sample('layers.tar'));
    try {
      const options = { keep: ['/data/keep.txt'] };
      const result = await slimAnalysis(analysis, { ...options, output: { path: path.join(dir, 'slim.tar') } });
      const audit = buildAudit(analysis, result.plan, options, result.output);
      expect([...Value.Errors(AuditSchema, audit)]).toEqual([]);
      expect(audit.files.filter((file) => file.change !== 'added')).toHaveLength(analysis.merged.entries.size);
      expect(audit.files.find((file) => file.path === '/data/keep.txt')).toEqual({ path: '/data/keep.txt', type: 'file', size: 20, kept: true, change: null, reasons: ['--keep /data/keep.txt'] });
      expect(audit.files.find((file) => file.path === '/var/cache/big.bin')).toMatchObject({ kept: false, reasons: [] });
      expect(audit.files.find((file) => file.path === '/etc/passwd')).toMatchObject({ kept: true, change: 'rewritten', reasons: ['reduced from 2 to 1 entries', 'reduced to root: the runtime resolves the User and its HOME from it'] });
      expect(audit.totals.kept + audit.totals.dropped).toBe(audit.totals.entries);
      expect(audit.output?.tarSize).toBe(result.output!.tarSize);
    } finally {
      await analysis.image.close();
    }
  });
});

/**
 * Slim's second read of a layer (the copy task): each kept file's body lands at its offset in the
 * output tar, and once the last one is written the rest of the layer is not inflated (its source
 * still verifies every stored byte); a layer whose kept files reach its end is read and checked
 * to the end. From the scan's gzip checkpoints it writes the same bytes as from the layer's start,
 * entries behind PAX records included; a region that crosses a gzip member's end is a
 * CheckpointMiss; a layer with a PAX global header gets no checkpoints.
 */
import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, test } from 'vitest';
import { LayerScanner } from '../../src/analysis/layer-scanner.js';
import { CheckpointMiss } from '../../src/archive/index.js';
import { createTask, type LayerCopyJob } from '../../src/slim/copy-task.js';
import { copyRegions } from '../../src/slim/write-layer.js';
import { sha256, tarOf } from '../helpers/image-builder.js';
import { seededRandom } from '../helpers/random.js';
import { concatBytes, padded, paxBody, tarHeader } from '../helpers/tar-builder.js';
import { testTmp } from '../helpers/tools.js';

const first = Buffer.alloc(3000, 'a');
const last = randomBytes(300_000);
const dir = testTmp('copy-task');

async function layer(): Promise<Buffer> {
  return gzipSync(await tarOf([{ header: { name: 'first.txt', size: first.length }, body: first }, { header: { name: 'last.bin', size: last.length }, body: last }]));
}

/** A job writing `targets` (ordinal → offset in a fresh output file). */
function job(name: string, targets: Array<{ ordinal: number; body: Buffer; offset: number }>): LayerCopyJob {
  mkdirSync(dir, { recursive: true });
  const file = path.join(dir, name);
  writeFileSync(file, Buffer.alloc(400_000));
  return {
    file,
    label: name,
    targets: targets.map(({ ordinal, body, offset }) => ({ ordinal, offset, size: body.length, sparse: false, bytes: body.length, path: `/${ordinal}` })),
  };
}

/** Feeds `bytes` to a copy task in 4 KiB chunks, as a source would. */
function copy(copyJob: LayerCopyJob, bytes: Uint8Array): number[] {
  const task = createTask(copyJob);
  try {
    for (let at = 0; at < bytes.length; at += 4096) task.write(bytes.subarray(at, at + 4096));
    return task.end();
  } catch (error) {
    task.abandon();
    throw error;
  }
}

describe('the copy task', () => {
  test('stops inflating after the last kept file: a damaged gzip trailer behind it goes unread', async () => {
    const damaged = await layer();
    damaged[damaged.length - 8]! ^= 0xff; // the CRC-32: only an inflater that reaches the end sees it
    const early = job('early', [{ ordinal: 0, body: first, offset: 512 }]);
    expect(copy(early, damaged)).toEqual([0]);
    expect(readFileSync(early.file).subarray(512, 512 + first.length)).toEqual(first);
  });

  test('a kept file at the end of the layer: read to the end, and its trailer checked', async () => {
    const whole = await layer();
    const both = job('both', [
      { ordinal: 0, body: first, offset: 0 },
      { ordinal: 1, body: last, offset: 4096 },
    ]);
    expect(copy(both, whole)).toEqual([0, 1]);
    const written = readFileSync(both.file);
    expect(written.subarray(0, first.length)).toEqual(first);
    expect(written.subarray(4096, 4096 + last.length)).toEqual(last);

    const damaged = Buffer.from(whole);
    damaged[damaged.length - 8]! ^= 0xff;
    expect(() => copy(job('late', [{ ordinal: 1, body: last, offset: 0 }]), damaged)).toThrow(/corrupt gzip data/);
  });
});

/** 120 files of text or incompressible bytes, some behind PAX records, about 2.4 MB of tar. */
async function manyFiles(): Promise<{ tar: Buffer; bodies: Buffer[] }> {
  const random = seededRandom(7);
  const bodies: Buffer[] = [];
  const items = [];
  for (let i = 0; i < 120; i++) {
    const length = Math.floor(random() * 40_000);
    const body =
      i % 3 === 0 ? Buffer.from(Array.from({ length }, () => Math.floor(random() * 256))) : Buffer.from(`file ${i}: ${'words of text '.repeat(length / 14)}`);
    bodies.push(body);
    const pax = i % 5 === 0 ? { pax: { comment: `entry ${i} `.repeat(20) } } : {};
    items.push({ header: { name: i % 7 === 0 ? `${'long/'.repeat(30)}file-${i}` : `dir/file-${i}`, size: body.length, ...pax }, body });
  }
  return { tar: await tarOf(items), bodies };
}

/** The scan's resume points for `blob` (checkpoints every `every` bytes of tar). */
function scanResume(blob: Buffer, tar: Buffer, every: number) {
  const scanner = new LayerScanner({ index: 0, label: 'test layer', digest: sha256(blob), diffId: sha256(tar), checkpointEvery: every });
  for (let at = 0; at < blob.length; at += 65_536) scanner.write(blob.subarray(at, at + 65_536));
  const scan = scanner.end();
  return { scan, resume: scan.resume };
}

/** A job keeping `ordinals`, each body at 64 KiB steps in the output. */
function keepJob(name: string, bodies: Buffer[], ordinals: number[]): LayerCopyJob {
  const copyJob = job(name, []);
  writeFileSync(copyJob.file, Buffer.alloc(ordinals.length * 65_536));
  copyJob.targets = ordinals.map((ordinal, i) => ({ ordinal, offset: i * 65_536, size: bodies[ordinal]!.length, sparse: false, bytes: bodies[ordinal]!.length, path: `/${ordinal}` }));
  return copyJob;
}

describe('the copy task from checkpoints', () => {
  test('writes what a read from the layer start writes, inflating only regions', async () => {
    const { tar, bodies } = await manyFiles();
    const blob = gzipSync(tar);
    const { scan, resume } = scanResume(blob, tar, 65_536);
    expect(resume!.checkpoints.length).toBeGreaterThan(10);
    expect(resume!.entryOffsets).toHaveLength(120);
    for (const kept of [[0], [119], [3, 4, 5, 60, 61, 100], [7, 14, 21, 35, 70, 105, 119], bodies.map((_, i) => i)]) {
      const whole = keepJob('whole', bodies, kept);
      expect(copy(whole, blob)).toEqual(kept);
      const regions = keepJob('regions', bodies, kept);
      regions.regions = copyRegions(resume!, kept, scan.tarSize);
      expect(copy(regions, blob).sort((a, b) => a - b)).toEqual(kept);
      expect(readFileSync(regions.file).equals(readFileSync(whole.file))).toBe(true);
      kept.forEach((ordinal, i) => expect(readFileSync(whole.file).subarray(i * 65_536, i * 65_536 + bodies[ordinal]!.length).equals(bodies[ordinal]!)).toBe(true));
    }
    // Scattered files make separate regions; neighbours share one.
    expect(copyRegions(resume!, [3, 4, 5, 60, 61, 100], scan.tarSize).length).toBeGreaterThan(1);
    expect(copyRegions(resume!, [3, 4, 5], scan.tarSize)).toHaveLength(1);
  });

  test('a region that runs past the end of a gzip member is a CheckpointMiss (the caller reads the whole layer)', async () => {
    const { tar, bodies } = await manyFiles();
    const cut = 60 * 512 * 30; // inside some entry: the two members split the tar mid-body
    const blob = Buffer.concat([gzipSync(tar.subarray(0, cut)), gzipSync(tar.subarray(cut))]);
    const { scan, resume } = scanResume(blob, tar, 65_536);
    const straddling = [...bodies.keys()].filter((ordinal) => resume!.entryOffsets[ordinal]! < cut && (resume!.entryOffsets[ordinal + 1] ?? scan.tarSize) > cut);
    expect(straddling).toHaveLength(1);
    const regions = keepJob('members', bodies, straddling);
    regions.regions = copyRegions(resume!, straddling, scan.tarSize);
    expect(() => copy(regions, blob)).toThrow(CheckpointMiss);
    const whole = keepJob('members-whole', bodies, straddling);
    expect(copy(whole, blob)).toEqual(straddling);
    // After the cut, regions resume inside the second member.
    const later = [110, 115];
    const second = keepJob('second-member', bodies, later);
    second.regions = copyRegions(resume!, later, scan.tarSize);
    expect(copy(second, blob)).toEqual(later);
    expect(readFileSync(second.file).subarray(0, bodies[110]!.length).equals(bodies[110]!)).toBe(true);
  });

  test('a layer with a PAX global header has no resume points', async () => {
    const { tar } = await manyFiles();
    const global = paxBody({ comment: 'global' });
    const withGlobal = Buffer.from(concatBytes(tarHeader({ name: 'pax_global_header', typeflag: 'g', size: global.length }), padded(global), tar));
    expect(scanResume(gzipSync(withGlobal), withGlobal, 65_536).resume).toBeUndefined();
    expect(scanResume(gzipSync(tar), tar, 65_536).resume).toBeDefined();
  });
});

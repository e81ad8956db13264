/**
 * Slim's second read of a layer (the copy task): each kept file's body lands at its offset in the
 * output tar, and once the last one is written the rest of the layer is not inflated (its source
 * still verifies every stored byte); a layer whose kept files reach its end is read and checked
 * to the end.
 */
import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, test } from 'vitest';
import { createTask, type LayerCopyJob } from '../../src/slim/copy-task.js';
import { tarOf } from '../helpers/image-builder.js';
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

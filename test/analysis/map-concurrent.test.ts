import { expect, test } from 'vitest';
import { mapConcurrent } from '../../src/analysis/index.js';

test('results keep the input order; the first error in time is thrown, after the tasks in flight settle', async () => {
  expect(await mapConcurrent([3, 1, 2], 2, async (n) => n * 10)).toEqual([30, 10, 20]);
  let releaseFirst!: () => void;
  const firstGate = new Promise<void>((resolve) => (releaseFirst = resolve));
  const started: number[] = [];
  const run = mapConcurrent([0, 1, 2], 2, async (n) => {
    started.push(n);
    if (n === 0) {
      await firstGate;
      throw new Error('item 0 failed later');
    }
    if (n === 1) {
      queueMicrotask(releaseFirst);
      throw new Error('item 1 failed first');
    }
    return n;
  });
  await expect(run).rejects.toThrow('item 1 failed first');
  expect(started).toEqual([0, 1]); // no new task after the failure
});

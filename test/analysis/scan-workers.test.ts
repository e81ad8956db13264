/**
 * How many worker threads scan an image: none for a small one (the threads' start costs more than
 * they save), one per core for a big one with several layers, IMGSLIM_WORKERS's count when set;
 * and which command arguments the launcher sizes up before starting workers.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { imageArguments, localImageBytes, MAX_WORKERS, MIN_STORED_BYTES_FOR_WORKERS, scanWorkerCount, smallLocalImage, workersChosen } from '../../src/analysis/scan-workers.js';
import { repoRoot } from '../helpers/peer-corpus.js';
import { testTmp } from '../helpers/tools.js';

const BIG = MIN_STORED_BYTES_FOR_WORKERS;

describe('scanWorkerCount', () => {
  it('scans a small image on this thread, and a big one in a worker per core, at most one per layer and MAX_WORKERS', () => {
    expect(scanWorkerCount(11, BIG - 1, 2, null)).toBe(0);
    expect(scanWorkerCount(11, BIG, 2, null)).toBe(2);
    expect(scanWorkerCount(3, BIG, 16, null)).toBe(3);
    expect(scanWorkerCount(40, BIG, 16, null)).toBe(MAX_WORKERS);
    // One layer, or one core: nothing runs beside it.
    expect(scanWorkerCount(1, BIG * 10, 2, null)).toBe(0);
    expect(scanWorkerCount(11, BIG * 10, 1, null)).toBe(0);
  });

  it('takes IMGSLIM_WORKERS as the count, whatever the size and the cores, at most one per layer', () => {
    expect(scanWorkerCount(4, 1000, 1, 2)).toBe(2);
    expect(scanWorkerCount(4, BIG * 10, 2, 0)).toBe(0);
    expect(scanWorkerCount(1, 1000, 2, 3)).toBe(1);
    expect([workersChosen(undefined), workersChosen(''), workersChosen('0'), workersChosen('3'), workersChosen('99')]).toEqual([null, null, 0, 3, MAX_WORKERS]);
    for (const bad of ['two', '-1', '1.5', ' 2']) expect(() => workersChosen(bad)).toThrow(/^IMGSLIM_WORKERS must be a whole number of worker threads/);
  });
});

describe('the arguments the launcher sizes up', () => {
  it('are the positionals, not the values options may take', () => {
    expect(imageArguments(['img.tar', '--format', 'json', '-q'])).toEqual(['img.tar']);
    expect(imageArguments(['img.tar', '-o', 'out.tar', '--keep', '/etc/x'])).toEqual(['img.tar']);
    expect(imageArguments(['--format=json', 'img.tar'])).toEqual(['img.tar']);
    expect(imageArguments(['a.tar', 'b.tar'])).toEqual(['a.tar', 'b.tar']);
    // After a flag it may be that flag's value: not counted, so the workers start as for any image.
    expect(imageArguments(['--quiet', 'img.tar'])).toEqual([]);
  });

  it('sizes a file, an OCI layout by its blobs, and nothing else', () => {
    const dir = testTmp('scan-workers');
    mkdirSync(path.join(dir, 'layout', 'blobs', 'sha256'), { recursive: true });
    writeFileSync(path.join(dir, 'layout', 'blobs', 'sha256', 'a'), Buffer.alloc(1000));
    writeFileSync(path.join(dir, 'layout', 'blobs', 'sha256', 'b'), Buffer.alloc(24));
    writeFileSync(path.join(dir, 'layout', 'index.json'), '{}');
    writeFileSync(path.join(dir, 'file.tar'), Buffer.alloc(4096));
    expect(localImageBytes(path.join(dir, 'file.tar'))).toBe(4096);
    expect(localImageBytes(path.join(dir, 'layout'))).toBe(1024);
    expect(localImageBytes(path.join(dir, 'missing.tar'))).toBeNull();
    expect(localImageBytes(dir)).toBeNull(); // a directory without blobs/
    expect(localImageBytes('docker://registry.example/app:1')).toBeNull();
    expect(localImageBytes(`oci:${path.join(dir, 'layout')}`)).toBeNull();
  });

  it('start no worker for the samples, and workers when an argument is big, remote or unknown', () => {
    expect(smallLocalImage([path.join(repoRoot, 'samples', 'glibc-dynamic.tar'), '--format', 'json'], localImageBytes)).toBe(true);
    expect(smallLocalImage([path.join(repoRoot, 'samples', 'static-oci')], localImageBytes)).toBe(true);
    const sizes: Record<string, number | null> = { 'small.tar': 1000, 'big.tar': BIG, 'docker://r/app:1': null };
    const sizeOf = (arg: string) => sizes[arg] ?? null;
    expect(smallLocalImage(['small.tar', 'small.tar'], sizeOf)).toBe(true);
    expect(smallLocalImage(['small.tar', 'big.tar'], sizeOf)).toBe(false);
    expect(smallLocalImage(['docker://r/app:1'], sizeOf)).toBe(false);
    expect(smallLocalImage(['--quiet', 'small.tar'], sizeOf)).toBe(false);
    expect(smallLocalImage([], sizeOf)).toBe(false);
  });
});

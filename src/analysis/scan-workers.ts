/**
 * How many worker threads scan layers, and starting them early. Imports little (the archive
 * folder), so the launcher can start the workers before the CLI's module graph loads (about
 * 0.2 s here): their own start and compile then overlap it.
 */
import { readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { availableParallelism } from 'node:os';
import { prestartWorkers, workersAvailable } from '../archive/index.js';
import type { LayerBlob } from '../image/index.js';
import { UsageError } from '../shared/errors.js';

/** Each worker holds its own heap and buffers (docs/decisions.md, Memory): RSS caps the count. */
export const MAX_WORKERS = 4;
export const SCAN_TASK = new URL('./scan-task.js', import.meta.url);
/**
 * An image with fewer stored (compressed) layer bytes scans on this thread: two workers cost 0.2
 * s of CPU to start, and on images up to about this size they saved at most 0.03 s of wall time,
 * or lost 0.08 s (`node bench/worker-threshold.mjs`, docs/benchmarks.md, ninth session).
 */
export const MIN_STORED_BYTES_FOR_WORKERS = 16 << 20;

/**
 * Worker threads worth starting for `layerCount` layers of `storedBytes` in all here (0: scan on
 * this thread); IMGSLIM_WORKERS, when set, is the count whatever the size and the cores.
 */
export function defaultScanWorkers(layerCount: number, storedBytes = Number.MAX_SAFE_INTEGER): number {
  if (!workersAvailable()) return 0;
  return scanWorkerCount(layerCount, storedBytes, availableParallelism(), workersChosen(process.env.IMGSLIM_WORKERS));
}

/** What `layers` hold as stored (compressed) blobs: defaultScanWorkers' measure of an image. */
export function storedBytes(layers: readonly LayerBlob[]): number {
  return layers.reduce((sum, layer) => sum + layer.descriptor.size, 0);
}

/** defaultScanWorkers' rule, given the machine's `cores` and IMGSLIM_WORKERS's count (`chosen`). */
export function scanWorkerCount(layerCount: number, storedBytes: number, cores: number, chosen: number | null): number {
  if (chosen !== null) return Math.min(chosen, layerCount);
  if (storedBytes < MIN_STORED_BYTES_FOR_WORKERS) return 0;
  const workers = Math.min(layerCount, cores, MAX_WORKERS);
  return workers > 1 ? workers : 0;
}

/** IMGSLIM_WORKERS's count (at most MAX_WORKERS), or null when unset. */
export function workersChosen(value: string | undefined): number | null {
  if (value === undefined || value === '') return null;
  if (!/^\d+$/.test(value)) throw new UsageError(`IMGSLIM_WORKERS must be a whole number of worker threads (got '${value}')`);
  return Math.min(Number(value), MAX_WORKERS);
}

/**
 * Starts as many scan workers as a big image with many layers gets; scanLayers takes them when
 * its count is the same. `args` (the command's, after its name) are looked at first: when every
 * argument that may name the image is a local file or OCI layout, together smaller than
 * MIN_STORED_BYTES_FOR_WORKERS, the scan will run on this thread and nothing is started (unless
 * IMGSLIM_WORKERS says how many).
 */
export function prestartScanWorkers(args: readonly string[] = []): void {
  let chosen: number | null;
  try {
    chosen = workersChosen(process.env.IMGSLIM_WORKERS);
  } catch {
    return; // a bad IMGSLIM_WORKERS is the command's usage error; nothing starts before it
  }
  if (chosen === null && smallLocalImage(args, localImageBytes)) return;
  prestartWorkers(defaultScanWorkers(Number.MAX_SAFE_INTEGER), SCAN_TASK);
}

/** Whether every argument that may name an image is local (`sizeOf` not null), all together below MIN_STORED_BYTES_FOR_WORKERS. */
export function smallLocalImage(args: readonly string[], sizeOf: (arg: string) => number | null): boolean {
  const sizes = imageArguments(args).map(sizeOf);
  return sizes.length > 0 && sizes.every((size) => size !== null) && sizes.reduce((sum: number, size) => sum + size!, 0) < MIN_STORED_BYTES_FOR_WORKERS;
}

/**
 * The arguments that may name an image: those not starting with "-" and not following an option
 * that may take them as its value (`-o OUT`, `--policy FILE`; `--format=json` takes none).
 */
export function imageArguments(args: readonly string[]): string[] {
  return args.filter((arg, i) => {
    const before = args[i - 1];
    return !arg.startsWith('-') && !(before?.startsWith('-') && !before.includes('='));
  });
}

/** Bytes of a local image: a file's size, or what an OCI layout's blobs/ holds; null for anything else (a registry reference, a transport prefix, a missing path). */
export function localImageBytes(arg: string): number | null {
  try {
    const info = statSync(arg);
    if (info.isFile()) return info.size;
    if (!info.isDirectory()) return null;
    let bytes = 0;
    const blobs = path.join(arg, 'blobs');
    for (const algorithm of readdirSync(blobs)) {
      for (const name of readdirSync(path.join(blobs, algorithm))) bytes += statSync(path.join(blobs, algorithm, name)).size;
    }
    return bytes;
  } catch {
    return null;
  }
}

/**
 * How many worker threads scan layers, and starting them early. Imports little (the archive
 * folder), so the launcher can start the workers before the CLI's module graph loads (about
 * 0.2 s here): their own start and compile then overlap it.
 */
import { availableParallelism } from 'node:os';
import { prestartWorkers, workersAvailable } from '../archive/index.js';

/** Each worker holds its own heap and buffers (docs/decisions.md, Memory): RSS caps the count. */
export const MAX_WORKERS = 4;
export const SCAN_TASK = new URL('./scan-task.js', import.meta.url);

/** Worker threads worth starting for `layerCount` layers here (0: scan on this thread). */
export function defaultScanWorkers(layerCount: number): number {
  if (!workersAvailable()) return 0;
  const workers = Math.min(layerCount, availableParallelism(), MAX_WORKERS);
  return workers > 1 ? workers : 0;
}

/** Starts as many scan workers as an image with many layers gets; scanLayers takes them when its count is the same. */
export function prestartScanWorkers(): void {
  prestartWorkers(defaultScanWorkers(Number.MAX_SAFE_INTEGER), SCAN_TASK);
}

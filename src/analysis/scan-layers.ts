/**
 * Scans every layer of an image, several at once: in worker threads when the compiled worker
 * module is there and the image is not small (one per core, at most MAX_WORKERS, never more than
 * the layers), else on this thread two at a time. Bigger layers start first so that no core is
 * left with a big one at the end. Results come back in layer order, identical whichever way they were made.
 */
import { takeWorkers } from '../archive/index.js';
import type { LayerBlob } from '../image/index.js';
import { SharedGate } from '../shared/shared-gate.js';
import { mapConcurrent } from './map-concurrent.js';
import { scanJob, scanLayer, withLayerTask, type LayerScan, type ScanOptions } from './scan-layer.js';
import { SharedNames } from './shared-names.js';
import { defaultScanWorkers, SCAN_TASK, storedBytes } from './scan-workers.js';

export interface ScanLayersOptions extends ScanOptions {
  /** Worker threads; 0 scans on this thread. Default: defaultScanWorkers() for the layers' count and stored bytes. */
  workers?: number;
  /** Layers scanned at once on this thread when `workers` is 0 (default 2). */
  concurrency?: number;
}

export async function scanLayers(layers: readonly LayerBlob[], options: ScanLayersOptions): Promise<LayerScan[]> {
  const workers = Math.min(options.workers ?? defaultScanWorkers(layers.length, storedBytes(layers)), layers.length);
  const biggestFirst = [...layers].sort((a, b) => b.descriptor.size - a.descriptor.size || a.index - b.index);
  let scans: LayerScan[];
  const names = new SharedNames();
  const pool = takeWorkers(Math.max(0, workers));
  if (!pool) {
    scans = await mapConcurrent(biggestFirst, options.concurrency ?? 2, async (layer) => names.share(await scanLayer(layer, options)));
  } else {
    // The scan threads keep one big ELF window at a time (docs/decisions/elf.md).
    const memoryGate = SharedGate.newBuffer();
    try {
      scans = await mapConcurrent(biggestFirst, workers, async (layer) => {
        const job = { ...scanJob(layer, options), memoryGate };
        const scan = await withLayerTask(layer, job.label, options.progress, (stored) => pool.run<LayerScan>(SCAN_TASK, job, stored.file ?? stored.checkedByWorker?.() ?? stored.stream()));
        return names.share(scan);
      });
    } finally {
      await pool.close();
    }
  }
  return scans.sort((a, b) => a.index - b.index);
}

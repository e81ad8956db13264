/**
 * The layer scan as a worker task (archive/worker-protocol.ts): a worker runs one at a time, so
 * the output buffer and the ELF scratch memory are kept for the thread's next layer.
 */
import type { ByteTask } from '../archive/index.js';
import { LayerScanner, scanMemory, type LayerScan, type LayerScanJob } from './layer-scanner.js';

const memory = scanMemory();

export function createTask(job: LayerScanJob): ByteTask<LayerScan> {
  const scanner = new LayerScanner(job, memory);
  return { write: (chunk) => scanner.write(chunk), end: () => scanner.end(), abandon: () => scanner.abandon() };
}

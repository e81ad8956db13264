/**
 * Streams one layer once: the source reads and verifies the stored bytes (or, for a worker and
 * a layer in a local file, the worker does), a LayerScanner (here, or in a worker:
 * scan-layers.ts) does the rest. A decoding error caused by a blob that does not match its
 * digest is reported as the integrity failure.
 */
import type { FileSource, StreamSource } from '../archive/index.js';
import type { LayerBlob } from '../image/index.js';
import { shortDigest } from '../image/index.js';
import { InputError, IntegrityError } from '../shared/errors.js';
import type { ProgressSink } from '../shared/progress.js';
import type { ContentDigests } from './capture.js';
import { LayerScanner, type LayerScan, type LayerScanJob, type ScanMemory } from './layer-scanner.js';

export type { LayerScan };

export interface ScanOptions {
  progress: ProgressSink;
  /** Layers in the image, for progress labels. */
  layerCount: number;
  /** ELF files up to this size are retained whole while parsing (see elf/collector). */
  elfRetainLimit?: number;
  /** Whose content to hash (default none). */
  digests?: ContentDigests;
  /** false: skip the facts only slim's plan reads (AnalyzeOptions.planFacts). */
  planFacts?: boolean;
  /** See AnalyzeOptions.checkpointEvery. */
  checkpointEvery?: number | undefined;
}

export function layerLabel(layer: LayerBlob, layerCount: number): string {
  return `layer ${layer.index + 1}/${layerCount} ${shortDigest(layer.descriptor.digest)}`;
}

export function scanJob(layer: LayerBlob, options: ScanOptions): LayerScanJob {
  const job: LayerScanJob = { index: layer.index, label: layerLabel(layer, options.layerCount), digest: layer.descriptor.digest, diffId: layer.diffId };
  if (options.elfRetainLimit !== undefined) job.elfRetainLimit = options.elfRetainLimit;
  if (options.digests && options.digests !== 'none') job.digests = options.digests;
  if (options.planFacts === false) job.planFacts = false;
  if (options.checkpointEvery !== undefined) job.checkpointEvery = options.checkpointEvery;
  return job;
}

/** Scans a layer on this thread. */
export async function scanLayer(layer: LayerBlob, options: ScanOptions, memory?: ScanMemory): Promise<LayerScan> {
  const job = scanJob(layer, options);
  const scanner = new LayerScanner(job, memory);
  return withLayerTask(layer, job.label, options.progress, async (stored) => {
    try {
      for await (const chunk of stored.stream()) scanner.write(chunk);
      return scanner.end();
    } catch (error) {
      scanner.abandon();
      throw error;
    }
  });
}

/**
 * A layer's stored bytes, counted for progress: the stream the source verifies, the file range a
 * worker reads and verifies itself, or the stream this thread reads and a worker verifies.
 */
export interface LayerInput {
  stream(): AsyncIterable<Uint8Array>;
  /** Set when the bytes lie in a local file. */
  file: FileSource | null;
  /** Set when the bytes come from elsewhere (a registry) and the source can leave their check to a worker. */
  checkedByWorker: (() => StreamSource) | null;
}

/**
 * Runs `consume` over the layer's stored bytes with a progress task, and turns a decoding
 * error into the integrity failure behind it when there is one.
 */
export async function withLayerTask<T>(layer: LayerBlob, label: string, progress: ProgressSink, consume: (stored: LayerInput) => Promise<T>): Promise<T> {
  const task = progress.start('read', label, layer.descriptor.size);
  try {
    const onRead = (bytes: number) => task.advance(bytes);
    const file = layer.file ? { file: layer.file, onRead } : null;
    const { unverified, descriptor } = layer;
    const checkedByWorker =
      !file && unverified ? () => ({ stream: unverified.open(), expected: { digest: descriptor.digest, size: descriptor.size, label: unverified.label }, onRead }) : null;
    return await consume({ stream: () => counted(layer.open(), task), file, checkedByWorker });
  } catch (error) {
    throw await integrityFailureBehind(layer, error);
  } finally {
    task.done();
  }
}

/**
 * Corrupt compressed data or a broken tar is most often a blob that does not match its digest:
 * when it is, report that (exit 4) rather than the decoding error it caused.
 */
async function integrityFailureBehind(layer: LayerBlob, error: unknown): Promise<unknown> {
  if (!(error instanceof InputError)) return error;
  try {
    for await (const chunk of layer.open()) void chunk;
  } catch (verifyError) {
    if (verifyError instanceof IntegrityError) return verifyError;
  }
  return error;
}

async function* counted(source: AsyncIterable<Uint8Array>, task: { advance(n: number): void }) {
  for await (const chunk of source) {
    task.advance(chunk.length);
    yield chunk;
  }
}

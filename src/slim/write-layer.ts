/**
 * Writes the slimmed layer's uncompressed tar into a file in bounded memory: the file is sized
 * up front (holes read as zeros: padding and the end marker), headers and rewritten files are
 * written at their offsets, then only the source layers that provide kept content are streamed
 * again, and each kept file's bytes go straight to their offset. A layer entry is matched to the
 * final filesystem by its `payload` object, counting entries in tar order exactly as the scan did.
 */
import { closeSync, ftruncateSync, openSync } from 'node:fs';
import { defaultScanWorkers, mapConcurrent, storedBytes, withLayerTask, type EntryPayload, type LayerInput, type ImageAnalysis, type LayerScan } from '../analysis/index.js';
import { CheckpointMiss, prestartWorkers, takeWorkers, type GzipCheckpoint } from '../archive/index.js';
import { BugError } from '../shared/errors.js';
import type { ProgressSink } from '../shared/progress.js';
import { createTask, type LayerCopyJob, type LayerCopyResult } from './copy-task.js';
import type { CopyRegion } from './region-copy.js';
import { layoutLayer, type Layout } from './layout.js';
import { writeAt, type CopyTarget } from './positioned-sink.js';
import type { KeepPlan } from './types.js';

const COPY_TASK = new URL('./copy-task.js', import.meta.url);

/** Starts the copy's workers ahead, while the plan is made; writeLayerTar takes them. */
export function prestartCopyWorkers(analysis: ImageAnalysis): void {
  const { layers } = analysis.image;
  prestartWorkers(defaultScanWorkers(layers.length, storedBytes(layers)), COPY_TASK);
}

export interface WriteLayerOptions {
  /** See LayoutOptions.mtimeLimit. */
  mtimeLimit: number;
  progress: ProgressSink;
  signal?: AbortSignal;
  /** Source layers streamed at once on this thread when no worker runs (default 2, as the analysis). */
  concurrency?: number;
  /** Worker threads re-reading layers; 0 reads on this thread. Default: as many as the scan uses. */
  workers?: number;
}

interface Target extends CopyTarget {
  done: boolean;
}

/** Writes the tar to `file` (created exclusively); returns its layout. */
export async function writeLayerTar(analysis: ImageAnalysis, plan: KeepPlan, file: string, options: WriteLayerOptions): Promise<Layout> {
  const fd = openSync(file, 'wx', 0o600);
  try {
    const layout = layoutLayer(analysis, plan, { mtimeLimit: options.mtimeLimit, onHeader: (bytes, offset) => writeAt(fd, bytes, offset) });
    ftruncateSync(fd, layout.tarSize);
    const wanted = new Map<EntryPayload, Target>();
    for (const content of layout.contents) {
      if ('bytes' in content.source) writeAt(fd, content.source.bytes, content.offset);
      else wanted.set(content.source.payload, { offset: content.offset, size: content.logicalSize, sparse: content.sparse, bytes: content.size, path: content.path, done: false });
    }
    // Biggest stored layer first, as the scan does: every stored byte is read and hashed again.
    const storedSize = (job: CopyJobPlan) => analysis.image.layers[job.index]!.descriptor.size;
    const jobs = analysis.scans
      .map((scan) => copyJob(scan, wanted, file, analysis.image.layers.length))
      .filter((job) => job.targets.length > 0)
      .sort((a, b) => storedSize(b) - storedSize(a) || a.index - b.index);
    const copyAll = async (run: (task: LayerCopyJob, stored: LayerInput) => Promise<LayerCopyResult>, concurrency: number) =>
      mapConcurrent(jobs, concurrency, async (job) => {
        const layer = analysis.image.layers[job.index]!;
        const copied = await withLayerTask(layer, job.label, options.progress, async (stored) => {
          try {
            return await run(job.task, stored);
          } catch (error) {
            // A region that cannot be read from its checkpoint: the whole layer, from its start.
            if (!job.task.regions || (error as { code?: unknown }).code !== CheckpointMiss.code) throw error;
            const { regions: _regions, ...whole } = job.task;
            return run(whole, stored);
          }
        });
        const byOrdinal = new Map(job.targets.map((target) => [target.ordinal, target.ref]));
        for (const ordinal of copied) byOrdinal.get(ordinal)!.done = true;
      });
    const stored = jobs.reduce((sum, job) => sum + storedSize(job), 0);
    const workers = Math.min(options.workers ?? defaultScanWorkers(jobs.length, stored), jobs.length);
    const pool = takeWorkers(Math.max(0, workers));
    if (pool) {
      try {
        const { signal } = options;
        const source = (stored: LayerInput) => {
          if (stored.file) return { ...stored.file, signal };
          const checked = stored.checkedByWorker?.();
          return checked ? { ...checked, stream: signalled(checked.stream, signal) } : signalled(stored.stream(), signal);
        };
        await copyAll((task, stored) => pool.run<LayerCopyResult>(COPY_TASK, task, source(stored)), workers);
      } finally {
        await pool.close();
      }
    } else {
      await copyAll((task, stored) => copyOnThisThread(task, signalled(stored.stream(), options.signal)), options.concurrency ?? 2);
    }
    const missing = [...wanted.values()].find((target) => !target.done);
    if (missing) throw new BugError(`slim: the content of ${missing.path} was not found when the layers were read again`);
    return layout;
  } finally {
    closeSync(fd);
  }
}

interface CopyJobPlan {
  index: number;
  label: string;
  task: LayerCopyJob;
  targets: Array<{ ordinal: number; ref: Target }>;
}

/** The kept files one scanned layer provides, by their ordinal among its entries (as the copy task counts them). */
function copyJob(scan: LayerScan, wanted: Map<EntryPayload, Target>, file: string, layerCount: number): CopyJobPlan {
  const label = `layer ${scan.index + 1}/${layerCount} (kept content)`;
  const targets: CopyJobPlan['targets'] = [];
  scan.entries.forEach((entry, ordinal) => {
    const target = entry.payload === undefined ? undefined : wanted.get(entry.payload);
    if (target) targets.push({ ordinal, ref: target });
  });
  const task: LayerCopyJob = { file, label, targets: targets.map(({ ordinal, ref }) => ({ ordinal, offset: ref.offset, size: ref.size, sparse: ref.sparse, bytes: ref.bytes, path: ref.path })) };
  if (scan.resume && targets.length > 0) task.regions = copyRegions(scan.resume, targets.map(({ ordinal }) => ordinal), scan.tarSize);
  return { index: scan.index, label, task, targets };
}

/**
 * The stretches to inflate for kept entries `ordinals` (ascending): each from the last checkpoint
 * at or before an entry's first header, extended over the following kept entries while the next
 * one's checkpoint lies within what is inflated anyway.
 */
export function copyRegions(resume: NonNullable<LayerScan['resume']>, ordinals: number[], tarSize: number): CopyRegion[] {
  const { checkpoints, entryOffsets } = resume;
  const regions: CopyRegion[] = [];
  let current: CopyRegion | undefined;
  let end = 0;
  for (const ordinal of ordinals) {
    const start = entryOffsets[ordinal]!;
    const checkpoint = checkpoints[lastAtOrBefore(checkpoints, start)]!;
    if (current && checkpoint.output <= end) current.last = ordinal;
    else {
      current = { checkpoint, start, ordinal, last: ordinal };
      regions.push(current);
    }
    end = entryOffsets[ordinal + 1] ?? tarSize;
  }
  return regions;
}

/** Index of the last checkpoint whose output offset is ≤ `offset` (the first is at 0). */
function lastAtOrBefore(checkpoints: GzipCheckpoint[], offset: number): number {
  let low = 0;
  let high = checkpoints.length - 1;
  while (low < high) {
    const middle = (low + high + 1) >> 1;
    if (checkpoints[middle]!.output <= offset) low = middle;
    else high = middle - 1;
  }
  return low;
}

async function copyOnThisThread(job: LayerCopyJob, stored: AsyncIterable<Uint8Array>): Promise<LayerCopyResult> {
  const task = createTask(job);
  try {
    for await (const chunk of stored) task.write(chunk);
    return task.end();
  } catch (error) {
    task.abandon();
    throw error;
  }
}

async function* signalled(source: AsyncIterable<Uint8Array>, signal?: AbortSignal) {
  for await (const chunk of source) {
    signal?.throwIfAborted();
    yield chunk;
  }
}

/**
 * Slim's second read of one source layer, as a task that runs the same in a worker thread
 * (archive/worker-protocol.ts) and on the main thread: stored bytes in → inflated → tar walked
 * in the scan's entry order → each kept file's body written at its offset in the output tar,
 * which the task opens itself (workers share no file descriptors). Returns the entries copied.
 * Once the layer's last kept file is written the rest is not inflated: its source still reads
 * and verifies every stored byte (the blob's digest), which the scan already checked, inflated
 * and parsed (on the bench image the last kept file of each layer that holds any ends, in sum,
 * 73 % of the way through those layers' tar bytes: docs/benchmarks.md).
 *
 * When the scan recorded gzip checkpoints (LayerScan.resume), only regions are inflated: from the
 * checkpoint before a kept file's first header to its last kept file (region-copy.ts).
 */
import { closeSync, openSync } from 'node:fs';
import { ReusedSpace, SniffingInflater, TarParser, type ByteTask, type TarBodySink, type TarHeader } from '../archive/index.js';
import { checkTargetSize, PositionedSink, type CopyTarget } from './positioned-sink.js';
import { createRegionTask, type CopyRegion } from './region-copy.js';

export interface LayerCopyJob {
  /** The output tar, already sized. */
  file: string;
  label: string;
  /** Kept files of this layer by their ordinal among the scan's entries. */
  targets: Array<CopyTarget & { ordinal: number }>;
  /** Inflate only these stretches (by checkpoint order); absent: the layer from its start. */
  regions?: CopyRegion[];
}

/** Ordinals of the entries whose bodies were written. */
export type LayerCopyResult = number[];

/** Inflate output space, reused from one layer to the next on the same thread. */
const space = new ReusedSpace();

export function createTask(job: LayerCopyJob): ByteTask<LayerCopyResult> {
  if (job.regions) return createRegionTask(job as LayerCopyJob & { regions: CopyRegion[] }, space);
  const fd = openSync(job.file, 'r+');
  const byOrdinal = new Map(job.targets.map((target) => [target.ordinal, target]));
  const copied: number[] = [];
  let ordinal = 0;
  const parser = new TarParser(
    {
      entry(header: TarHeader): TarBodySink | undefined {
        if (header.type === 'pax-global') return undefined;
        const at = ordinal++;
        const target = byOrdinal.get(at);
        if (!target) return undefined;
        checkTargetSize(job.label, header, target);
        return new PositionedSink(fd, target, target.sparse ? undefined : header.sparse, () => copied.push(at));
      },
    },
    { label: job.label },
  );
  const inflater = new SniffingInflater(job.label, space);
  const onTar = (chunk: Uint8Array) => parser.write(chunk);
  let open = true;
  const close = () => {
    if (open) closeSync(fd);
    open = false;
  };
  const allCopied = () => copied.length === job.targets.length;
  return {
    write: (chunk) => {
      if (!allCopied()) inflater.push(chunk, onTar);
    },
    end: () => {
      try {
        if (allCopied()) inflater.close();
        else {
          inflater.finish(onTar);
          parser.end();
        }
        return copied;
      } finally {
        close();
      }
    },
    abandon: () => {
      inflater.close();
      close();
    },
  };
}

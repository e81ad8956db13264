/**
 * Slim's second read of a gzip layer from checkpoints: every stored byte still passes (the
 * source verifies the blob's digest), but only regions are inflated, each from the scan's
 * checkpoint before its first kept file to its last kept file's end. A region's tar is parsed
 * from that first file's first header block, counting entries from its ordinal as the scan did.
 * Whatever goes wrong in a region (no bit offset reproduces the checkpoint, a stream that ends
 * first, a tar that does not parse) throws CheckpointMiss: the caller reads the layer from its
 * start instead.
 */
import { closeSync, openSync } from 'node:fs';
import { CheckpointMiss, ResumedInflater, resumeByte, TarParser, type ByteTask, type GzipCheckpoint, type OutputSpace, type TarBodySink, type TarHeader } from '../archive/index.js';
import type { LayerCopyJob, LayerCopyResult } from './copy-task.js';
import { checkTargetSize, PositionedSink, type CopyTarget } from './positioned-sink.js';

/** One stretch of a layer to inflate. Plain data (it crosses to a worker). */
export interface CopyRegion {
  checkpoint: GzipCheckpoint;
  /** Tar offset of the first kept entry's first header block, and that entry's ordinal. */
  start: number;
  ordinal: number;
  /** Ordinal of the region's last kept entry: once it is written the region stops. */
  last: number;
}

type Targets = Map<number, CopyTarget & { ordinal: number }>;

export function createRegionTask(job: LayerCopyJob & { regions: CopyRegion[] }, space: OutputSpace): ByteTask<LayerCopyResult> {
  const fd = openSync(job.file, 'r+');
  const targets: Targets = new Map(job.targets.map((target) => [target.ordinal, target]));
  const copied: number[] = [];
  const regions = [...job.regions].sort((a, b) => resumeByte(a.checkpoint) - resumeByte(b.checkpoint));
  let active: RegionReader[] = [];
  let next = 0;
  let stored = 0;
  let open = true;
  const close = () => {
    if (open) closeSync(fd);
    open = false;
  };
  return {
    write: (chunk) => {
      const begin = stored;
      stored += chunk.length;
      for (const reader of active) reader.push(chunk);
      while (next < regions.length && resumeByte(regions[next]!.checkpoint) < stored) {
        const reader = new RegionReader(regions[next++]!, job.label, fd, targets, copied, space);
        active.push(reader);
        reader.push(chunk.subarray(resumeByte(reader.region.checkpoint) - begin));
      }
      if (active.some((reader) => reader.done)) {
        for (const reader of active) if (reader.done) reader.close();
        active = active.filter((reader) => !reader.done);
      }
    },
    end: () => {
      try {
        for (const reader of active) reader.finish();
        if (copied.length !== job.targets.length) {
          throw new CheckpointMiss(`${job.label}: ${job.targets.length - copied.length} kept files not reached from the checkpoints`);
        }
        return copied;
      } finally {
        for (const reader of active) reader.close();
        close();
      }
    },
    abandon: () => {
      for (const reader of active) reader.close();
      close();
    },
  };
}

class RegionReader {
  done = false;
  private readonly inflater: ResumedInflater;
  private readonly parser: TarParser;
  /** Tar offset of the next inflated byte. */
  private at: number;
  private ordinal: number;
  private readonly until = () => this.done;
  private readonly onTar = (chunk: Uint8Array) => this.tar(chunk);

  constructor(
    readonly region: CopyRegion,
    private readonly label: string,
    fd: number,
    targets: Targets,
    copied: number[],
    space: OutputSpace,
  ) {
    this.at = region.checkpoint.output;
    this.ordinal = region.ordinal;
    this.inflater = new ResumedInflater(region.checkpoint, label, space);
    this.parser = new TarParser(
      {
        entry: (header: TarHeader): TarBodySink | undefined => {
          if (header.type === 'pax-global') return undefined;
          const at = this.ordinal++;
          const target = targets.get(at);
          if (!target) return undefined;
          checkTargetSize(label, header, target);
          return new PositionedSink(fd, target, target.sparse ? undefined : header.sparse, () => {
            copied.push(at);
            if (at === region.last) this.done = true;
          });
        },
      },
      { label, offset: region.start },
    );
  }

  push(chunk: Uint8Array): void {
    if (this.done) return;
    this.guard(() => this.inflater.push(chunk, this.onTar, this.until));
    if (this.inflater.ended && !this.done) this.miss('the deflate stream ends first');
  }

  /** The stored stream has ended. */
  finish(): void {
    if (this.done) return;
    this.guard(() => this.inflater.flush(this.onTar));
    if (!this.done) this.miss('the layer ends first');
  }

  close(): void {
    this.inflater.close();
  }

  private tar(chunk: Uint8Array): void {
    if (this.done) return;
    let bytes = chunk;
    if (this.at < this.region.start) {
      const skip = Math.min(bytes.length, this.region.start - this.at);
      this.at += skip;
      bytes = bytes.subarray(skip);
      if (bytes.length === 0) return;
    }
    this.at += bytes.length;
    this.parser.write(bytes);
  }

  private guard(run: () => void): void {
    try {
      run();
    } catch (error) {
      this.close();
      if (error instanceof CheckpointMiss) throw error;
      this.miss(error instanceof Error ? error.message : String(error));
    }
  }

  private miss(why: string): never {
    throw new CheckpointMiss(`${this.label}: the region from tar byte ${this.region.start}: ${why}`);
  }
}

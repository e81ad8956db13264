/**
 * The work of one layer scan, synchronous and push-based so that it runs the same on the main
 * thread and in a worker: stored bytes in → compression sniffed → inflated into one reused
 * buffer → hashed (diffId) and parsed as tar → entry metadata and what capture.ts asks for.
 * No layer is ever held in memory or written to disk.
 */
import { CheckpointRecorder, Digester, ReusedSpace, SniffingInflater, TarParser, type Compression, type GzipCheckpoint, type TarHeader } from '../archive/index.js';
import { RetentionArena, ScratchBuffer, type CollectorOptions } from '../elf/index.js';
import { layerEntryFromTar, type LayerEntry } from '../fs/index.js';
import { IntegrityError } from '../shared/errors.js';
import { SharedGate } from '../shared/shared-gate.js';
import { REPORT_IMPORT_PREFIXES, type ContentDigests, type EntryPayload } from './capture.js';
import { ContentSink } from './content-sink.js';

/** What a layer scan learns; plain data (it crosses from a worker by structured clone). */
export interface LayerScan {
  index: number;
  entries: LayerEntry<EntryPayload>[];
  /** Digest (verified while streaming) and length of the stored blob. */
  digest: string;
  compressedSize: number;
  compression: Compression;
  /** Digest and length of the uncompressed tar. */
  diffId: string;
  tarSize: number;
  /** Σ content sizes of the layer's regular files (dive's layer size). */
  size: number;
  /**
   * Where slim's second read can start inflating again (gzip layers, with planFacts): deflate
   * block boundaries every CHECKPOINT_EVERY bytes of tar, and the tar offset of each entry's
   * first header (by index in `entries`). Absent when the layer has a PAX global header, whose
   * fields would not reach an entry read from the middle.
   */
  resume?: { checkpoints: GzipCheckpoint[]; entryOffsets: number[] };
}

/** Uncompressed bytes between two gzip checkpoints (docs/decisions/archive.md). */
export const CHECKPOINT_EVERY = 8 << 20;

export interface LayerScanJob {
  index: number;
  /** Names the layer in errors. */
  label: string;
  /** The stored blob's digest (the source verifies it) and the config's diff_id (checked here). */
  digest: string;
  diffId: string;
  /** ELF files up to this size are retained whole while parsing (see elf/collector). */
  elfRetainLimit?: number;
  /** Whose content to hash (default none). */
  digests?: ContentDigests;
  /** false: skip the facts only slim's plan reads and slim's resume points (AnalyzeOptions.planFacts). */
  planFacts?: boolean;
  /** Tar bytes between gzip checkpoints, when planFacts (tests set it small; 0: none). */
  checkpointEvery?: number;
  /**
   * The SharedGate's buffer of a scan whose layers run on several worker threads: one of them at a
   * time keeps a big ELF window (RetentionArena). Never set for layers sharing one thread.
   */
  memoryGate?: SharedArrayBuffer;
}

/** `sha256:` of no bytes, the digest of every empty file. */
const EMPTY_DIGEST = 'sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855';

/** Per-thread memory reused from one layer scan to the next. */
export interface ScanMemory {
  output: ReusedSpace;
  scratch: ScratchBuffer;
  arena: RetentionArena;
}

export function scanMemory(): ScanMemory {
  return { output: new ReusedSpace(), scratch: new ScratchBuffer(), arena: new RetentionArena() };
}

export class LayerScanner {
  private readonly diff = new Digester();
  private readonly entries: LayerEntry<EntryPayload>[] = [];
  private readonly parser: TarParser;
  private readonly onTar = (chunk: Uint8Array) => {
    this.diff.update(chunk);
    this.parser.write(chunk);
  };
  private readonly inflater: SniffingInflater;
  private stored = 0;
  private readonly recorder: CheckpointRecorder | undefined;
  private readonly entryOffsets: number[] | undefined;
  private paxGlobal = false;
  private readonly arena: RetentionArena;

  constructor(
    private readonly job: LayerScanJob,
    memory: ScanMemory = scanMemory(),
  ) {
    this.arena = memory.arena;
    this.arena.useGate(job.memoryGate ? new SharedGate(job.memoryGate) : null);
    const elfOptions: CollectorOptions = { scratch: memory.scratch, arena: memory.arena };
    if (job.elfRetainLimit !== undefined) elfOptions.fullRetainLimit = job.elfRetainLimit;
    if (job.planFacts === false) {
      elfOptions.compiledStrings = false;
      elfOptions.importPrefixes = REPORT_IMPORT_PREFIXES;
    }
    const digests = job.digests ?? 'none';
    const planFacts = job.planFacts !== false;
    const every = job.checkpointEvery ?? CHECKPOINT_EVERY;
    if (planFacts && every > 0) {
      this.recorder = new CheckpointRecorder(every);
      this.entryOffsets = [];
    }
    this.parser = new TarParser(
      {
        entry: (header) => {
          if (header.type === 'pax-global') this.paxGlobal = true;
          else this.entryOffsets?.push(this.parser.entryOffset);
          return acceptEntry(header, job.index, this.entries, elfOptions, digests, planFacts);
        },
      },
      { label: job.label },
    );
    this.inflater = new SniffingInflater(job.label, memory.output, this.recorder);
  }

  /** Feeds stored (compressed) bytes; `chunk` is not kept. */
  write(chunk: Uint8Array): void {
    this.stored += chunk.length;
    this.inflater.push(chunk, this.onTar);
  }

  /** Ends the layer: checks that the compressed stream and the tar are complete, and the diffId. */
  end(): LayerScan {
    this.inflater.finish(this.onTar);
    this.parser.end();
    this.arena.end();
    const diffId = this.diff.digest();
    if (diffId !== this.job.diffId) {
      throw new IntegrityError(`${this.job.label}: uncompressed content is ${diffId}, but the config's rootfs.diff_ids says ${this.job.diffId}`, {
        code: 'E_DIFFID_MISMATCH',
      });
    }
    let size = 0;
    for (const entry of this.entries) if (entry.type === 'file') size += entry.size;
    const scan: LayerScan = {
      index: this.job.index,
      entries: this.entries,
      digest: this.job.digest,
      compressedSize: this.stored,
      compression: this.inflater.compression,
      diffId,
      tarSize: this.diff.bytes,
      size,
    };
    const checkpoints = this.recorder?.finish() ?? [];
    if (checkpoints.length > 0 && this.inflater.compression === 'gzip' && !this.paxGlobal) scan.resume = { checkpoints, entryOffsets: this.entryOffsets! };
    return scan;
  }

  /** Releases native state after a failure. */
  abandon(): void {
    this.inflater.close();
    this.arena.end();
  }
}

function acceptEntry(
  header: TarHeader,
  layerIndex: number,
  entries: LayerEntry<EntryPayload>[],
  elfOptions: CollectorOptions,
  digests: ContentDigests,
  planFacts: boolean,
) {
  const entry = layerEntryFromTar(header, layerIndex) as LayerEntry<EntryPayload> | null;
  if (!entry) return undefined;
  entries.push(entry);
  if (entry.type !== 'file') return undefined;
  if (entry.size === 0) {
    if (digests === 'all') entry.payload = { digest: EMPTY_DIGEST };
    return undefined;
  }
  const payload: EntryPayload = {};
  entry.payload = payload;
  return new ContentSink(entry.path, entry.size, payload, elfOptions, digests, planFacts);
}

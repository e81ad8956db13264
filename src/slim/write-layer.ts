/**
 * Writes the slimmed layer's uncompressed tar into a file in bounded memory: the file is sized
 * up front (holes read as zeros: padding and the end marker), headers and rewritten files are
 * written at their offsets, then only the source layers that provide kept content are streamed
 * again, and each kept file's bytes go straight to their offset. A layer entry is matched to the
 * final filesystem by its `payload` object, counting entries in tar order exactly as the scan did.
 */
import { closeSync, ftruncateSync, openSync, writeSync } from 'node:fs';
import { mapConcurrent, type EntryPayload, type ImageAnalysis, type LayerScan } from '../analysis/index.js';
import { decompressStream, TarParser, type TarBodySink, type TarHeader } from '../archive/index.js';
import type { LayerBlob } from '../image/index.js';
import { BugError } from '../shared/errors.js';
import type { ProgressSink } from '../shared/progress.js';
import { layoutLayer, type Layout } from './layout.js';
import type { KeepPlan } from './types.js';

export interface WriteLayerOptions {
  mtime: number;
  progress: ProgressSink;
  signal?: AbortSignal;
  /** Source layers streamed at once (default 2, as the analysis). */
  concurrency?: number;
}

interface Target {
  offset: number;
  /** Logical size, as the source header gives it. */
  size: number;
  /** Written as a sparse file: the stored bytes go to `offset` in order. */
  sparse: boolean;
  /** Bytes written at `offset`: the content, or a sparse file's mapped bytes. */
  bytes: number;
  path: string;
  done: boolean;
}

/** Writes the tar to `file` (created exclusively); returns its layout. */
export async function writeLayerTar(analysis: ImageAnalysis, plan: KeepPlan, file: string, options: WriteLayerOptions): Promise<Layout> {
  const fd = openSync(file, 'wx', 0o600);
  try {
    const layout = layoutLayer(analysis, plan, { mtime: options.mtime, onHeader: (bytes, offset) => writeAt(fd, bytes, offset) });
    ftruncateSync(fd, layout.tarSize);
    const wanted = new Map<EntryPayload, Target>();
    for (const content of layout.contents) {
      if ('bytes' in content.source) writeAt(fd, content.source.bytes, content.offset);
      else wanted.set(content.source.payload, { offset: content.offset, size: content.logicalSize, sparse: content.sparse, bytes: content.size, path: content.path, done: false });
    }
    const layers = analysis.scans.filter((scan) => scan.entries.some((entry) => entry.payload !== undefined && wanted.has(entry.payload)));
    await mapConcurrent(layers, options.concurrency ?? 2, (scan) =>
      copyLayer(analysis.image.layers[scan.index]!, scan, wanted, fd, analysis.image.layers.length, options),
    );
    const missing = [...wanted.values()].find((target) => !target.done);
    if (missing) throw new BugError(`slim: the content of ${missing.path} was not found when the layers were read again`);
    return layout;
  } finally {
    closeSync(fd);
  }
}

async function copyLayer(
  layer: LayerBlob,
  scan: LayerScan,
  wanted: Map<EntryPayload, Target>,
  fd: number,
  layerCount: number,
  options: WriteLayerOptions,
): Promise<void> {
  const label = `layer ${layer.index + 1}/${layerCount} (kept content)`;
  const task = options.progress.start('read', label, layer.descriptor.size);
  try {
    let ordinal = 0;
    const parser = new TarParser(
      {
        entry(header: TarHeader): TarBodySink | undefined {
          if (header.type === 'pax-global') return undefined;
          const entry = scan.entries[ordinal++];
          const target = entry?.payload === undefined ? undefined : wanted.get(entry.payload);
          if (!target) return undefined;
          if (header.size !== target.size) throw new BugError(`slim: ${label}: entry ${header.name} is ${header.size} bytes, the scan saw ${target.size}`);
          return new PositionedSink(fd, target, target.sparse ? undefined : header.sparse);
        },
      },
      { label },
    );
    const { stream } = await decompressStream(counted(layer.open(), task, options.signal), label);
    for await (const chunk of stream) parser.write(chunk);
    parser.end();
  } finally {
    task.done();
  }
}

async function* counted(source: AsyncIterable<Uint8Array>, task: { advance(n: number): void }, signal?: AbortSignal) {
  for await (const chunk of source) {
    signal?.throwIfAborted();
    task.advance(chunk.length);
    yield chunk;
  }
}

/**
 * Writes one body at its offset. A sparse source written out in full has its stored bytes placed
 * at their data-map positions (holes stay zero); one written sparse (no map given) takes them in order.
 */
class PositionedSink implements TarBodySink {
  private position: number;
  private segment = 0;
  private left: number;

  constructor(
    private readonly fd: number,
    private readonly target: Target,
    private readonly sparse: TarHeader['sparse'],
  ) {
    this.position = target.offset + (sparse?.[0]?.offset ?? 0);
    this.left = sparse ? (sparse[0]?.length ?? 0) : target.bytes;
  }

  data(chunk: Uint8Array): void {
    let rest = chunk;
    while (rest.length > 0) {
      while (this.left === 0 && this.sparse && this.segment + 1 < this.sparse.length) {
        const next = this.sparse[++this.segment]!;
        this.position = this.target.offset + next.offset;
        this.left = next.length;
      }
      if (this.left === 0) throw new BugError(`slim: ${this.target.path}: more content than its header says`);
      const take = Math.min(this.left, rest.length);
      writeAt(this.fd, rest.subarray(0, take), this.position);
      this.position += take;
      this.left -= take;
      rest = rest.subarray(take);
    }
  }

  end(): void {
    this.target.done = true;
  }
}

function writeAt(fd: number, bytes: Uint8Array, offset: number): void {
  for (let done = 0; done < bytes.length; ) done += writeSync(fd, bytes, done, bytes.length - done, offset + done);
}

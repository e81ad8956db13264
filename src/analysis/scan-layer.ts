/**
 * Streams one layer once: stored bytes (verified by the source) → decompression → tar entries,
 * hashing both sides on the way. Keeps entry metadata and what capture.ts asks for; no layer is
 * ever held in memory or written to disk.
 */
import { decompressStream, Digester, TarParser, type Compression, type TarHeader } from '../archive/index.js';
import type { LayerBlob } from '../image/index.js';
import { layerEntryFromTar, type LayerEntry } from '../fs/index.js';
import { ScratchBuffer, type CollectorOptions } from '../elf/index.js';
import { InputError, IntegrityError } from '../shared/errors.js';
import type { ProgressSink } from '../shared/progress.js';
import type { EntryPayload } from './capture.js';
import { ContentSink } from './content-sink.js';

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
}

export interface ScanOptions {
  progress: ProgressSink;
  /** Layers in the image, for progress labels. */
  layerCount: number;
  /** ELF files up to this size are retained whole while parsing (see elf/collector). */
  elfRetainLimit?: number;
}

export function layerLabel(layer: LayerBlob, layerCount: number): string {
  return `layer ${layer.index + 1}/${layerCount} ${shortDigest(layer.descriptor.digest)}`;
}

export function shortDigest(digest: string): string {
  const [algorithm, hex = ''] = digest.split(':');
  return `${algorithm}:${hex.slice(0, 12)}`;
}

export async function scanLayer(layer: LayerBlob, options: ScanOptions): Promise<LayerScan> {
  const label = layerLabel(layer, options.layerCount);
  const task = options.progress.start('read', label, layer.descriptor.size);
  try {
    const stored = { bytes: 0 };
    const diff = new Digester();
    const entries: LayerEntry<EntryPayload>[] = [];
    const elfOptions: CollectorOptions = { scratch: new ScratchBuffer() };
    if (options.elfRetainLimit !== undefined) elfOptions.fullRetainLimit = options.elfRetainLimit;
    const parser = new TarParser(
      { entry: (header) => acceptEntry(header, layer.index, entries, elfOptions) },
      { label },
    );
    let compression: Compression;
    try {
      const decompressed = await decompressStream(countStored(layer.open(), stored, task), label);
      compression = decompressed.compression;
      for await (const chunk of decompressed.stream) {
        diff.update(chunk);
        parser.write(chunk);
      }
      parser.end();
    } catch (error) {
      throw await integrityFailureBehind(layer, error);
    }
    const diffId = diff.digest();
    if (diffId !== layer.diffId) {
      throw new IntegrityError(`${label}: uncompressed content is ${diffId}, but the config's rootfs.diff_ids says ${layer.diffId}`, {
        code: 'E_DIFFID_MISMATCH',
      });
    }
    const size = entries.reduce((sum, entry) => (entry.type === 'file' ? sum + entry.size : sum), 0);
    return {
      index: layer.index,
      entries,
      // open() verified the stored bytes against this digest as they streamed.
      digest: layer.descriptor.digest,
      compressedSize: stored.bytes,
      compression,
      diffId,
      tarSize: diff.bytes,
      size,
    };
  } finally {
    task.done();
  }
}

function acceptEntry(header: TarHeader, layerIndex: number, entries: LayerEntry<EntryPayload>[], elfOptions: CollectorOptions) {
  const entry = layerEntryFromTar(header, layerIndex) as LayerEntry<EntryPayload> | null;
  if (!entry) return undefined;
  entries.push(entry);
  if (entry.type !== 'file' || entry.size === 0) return undefined;
  const payload: EntryPayload = {};
  entry.payload = payload;
  return new ContentSink(entry.path, entry.size, payload, elfOptions);
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

async function* countStored(source: AsyncIterable<Uint8Array>, counter: { bytes: number }, task: { advance(n: number): void }) {
  for await (const chunk of source) {
    counter.bytes += chunk.length;
    task.advance(chunk.length);
    yield chunk;
  }
}

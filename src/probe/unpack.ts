/**
 * Unpacks an image into a directory the way a container runtime would: the layers merged by
 * src/fs (whiteouts, opaque directories, redirects through symlinked parents), then each final
 * entry created with its mode and owner. Two streaming passes: headers only (to merge), then the
 * content of the files that are visible in the final filesystem. Hard links stay hard links;
 * device nodes and FIFOs are skipped (the sandbox mounts its own /dev). Not root, owners cannot be
 * given: the tree is the caller's, which the sandbox's user namespace maps to root.
 */
import { chmodSync, closeSync, ftruncateSync, lchownSync, linkSync, mkdirSync, openSync, symlinkSync, utimesSync, writeSync } from 'node:fs';
import path from 'node:path';
import { decompressStream, TarParser, type TarBodySink, type TarHeader } from '../archive/index.js';
import { layerEntryFromTar, mergeLayers, type FinalEntry, type LayerEntries, type LayerEntry } from '../fs/index.js';
import type { ContainerConfig, LayerBlob, ResolvedImage } from '../image/index.js';
import { BugError } from '../shared/errors.js';

/** Which layer entry holds a file's content: its layer and its ordinal among the layer's tar records. */
interface ContentRef {
  layer: number;
  ordinal: number;
}

export interface Unpacked {
  root: string;
  config: ContainerConfig;
  /** Regular files written (each inode once). */
  files: number;
}

export interface UnpackOptions {
  /** Give each entry the image's owner (root only); otherwise everything is the caller's. */
  owners: boolean;
  signal?: AbortSignal;
}

/** Unpacks `image` into `root` (an empty directory). */
export async function unpackImage(image: ResolvedImage, root: string, { owners, signal }: UnpackOptions): Promise<Unpacked> {
  const layers: Array<LayerEntries<ContentRef>> = [];
  for (const layer of image.layers) layers.push(await readEntries(layer, signal));
  const merged = mergeLayers(layers);
  const paths = merged.sortedPaths();
  const firstName = new Map<number, string>();
  const wanted = new Map<number, Map<number, string>>();
  for (const name of paths) {
    const entry = merged.entries.get(name)!;
    const target = path.join(root, name);
    switch (entry.type) {
      case 'directory':
        mkdirSync(target, { mode: 0o700 });
        break;
      case 'symlink':
        symlinkSync(entry.linkTarget ?? '', target);
        break;
      case 'file':
      case 'hardlink': {
        const first = firstName.get(entry.inode);
        if (first !== undefined) {
          linkSync(path.join(root, first), target);
          continue;
        }
        firstName.set(entry.inode, name);
        closeSync(openSync(target, 'wx', 0o600));
        const ref = entry.payload;
        if (ref === undefined || entry.size === 0) break;
        const byOrdinal = wanted.get(ref.layer) ?? new Map<number, string>();
        byOrdinal.set(ref.ordinal, target);
        wanted.set(ref.layer, byOrdinal);
        break;
      }
      default:
        continue;
    }
  }
  for (const [index, byOrdinal] of wanted) await writeContents(image.layers[index]!, byOrdinal, signal);
  // Owners and modes last, deepest first, so read-only directories are filled before they close.
  for (const name of [...paths].reverse()) {
    const entry = merged.entries.get(name)!;
    if (entry.type !== 'directory' && entry.type !== 'symlink' && entry.type !== 'file' && entry.type !== 'hardlink') continue;
    if (entry.type === 'hardlink' && firstName.get(entry.inode) !== name) continue;
    applyMetadata(path.join(root, name), entry, owners);
  }
  applyMetadata(root, merged.root, owners);
  return { root, config: image.config.config ?? {}, files: firstName.size };
}

function applyMetadata(target: string, entry: FinalEntry<unknown>, owners: boolean): void {
  if (owners) lchownSync(target, entry.uid, entry.gid);
  if (entry.type === 'symlink') return;
  chmodSync(target, entry.mode);
  utimesSync(target, entry.mtime, entry.mtime);
}

async function readEntries(layer: LayerBlob, signal?: AbortSignal): Promise<LayerEntries<ContentRef>> {
  const entries: LayerEntries<ContentRef>['entries'] = [];
  let ordinal = 0;
  await parseLayer(layer, signal, (header) => {
    const entry = layerEntryFromTar(header, layer.index) as LayerEntry<ContentRef> | null;
    if (entry === null) return undefined;
    // Hard links get their target's payload from the merge.
    if (entry.type === 'file') entry.payload = { layer: layer.index, ordinal };
    ordinal++;
    entries.push(entry);
    return undefined;
  });
  return { index: layer.index, entries };
}

async function writeContents(layer: LayerBlob, byOrdinal: Map<number, string>, signal?: AbortSignal): Promise<void> {
  let ordinal = 0;
  let left = byOrdinal.size;
  await parseLayer(layer, signal, (header) => {
    if (header.type === 'pax-global') return undefined;
    const target = byOrdinal.get(ordinal++);
    if (target === undefined) return undefined;
    left--;
    return new FileSink(target, header);
  });
  if (left !== 0) throw new BugError(`probe: layer ${layer.index + 1}: ${left} files were not found when the layer was read again`);
}

async function parseLayer(layer: LayerBlob, signal: AbortSignal | undefined, entry: (header: TarHeader) => TarBodySink | undefined): Promise<void> {
  const label = `layer ${layer.index + 1}`;
  const parser = new TarParser({ entry }, { label });
  const { stream } = await decompressStream(layer.open(), label);
  for await (const chunk of stream) {
    signal?.throwIfAborted();
    parser.write(chunk);
  }
  parser.end();
}

/** Writes one body to its file; a sparse file's stored bytes go to their data-map offsets. */
class FileSink implements TarBodySink {
  private readonly fd: number;
  private position: number;
  private left: number;
  private segment = 0;

  constructor(
    private readonly target: string,
    private readonly header: TarHeader,
  ) {
    this.fd = openSync(target, 'r+');
    this.position = header.sparse?.[0]?.offset ?? 0;
    this.left = header.sparse ? (header.sparse[0]?.length ?? 0) : header.size;
  }

  data(chunk: Uint8Array): void {
    let rest = chunk;
    while (rest.length > 0) {
      const sparse = this.header.sparse;
      while (this.left === 0 && sparse && this.segment + 1 < sparse.length) {
        const next = sparse[++this.segment]!;
        this.position = next.offset;
        this.left = next.length;
      }
      if (this.left === 0) throw new BugError(`probe: ${this.target}: more content than its header says`);
      const take = Math.min(this.left, rest.length);
      for (let done = 0; done < take; ) done += writeSync(this.fd, rest, done, take - done, this.position + done);
      this.position += take;
      this.left -= take;
      rest = rest.subarray(take);
    }
  }

  end(): void {
    ftruncateSync(this.fd, this.header.size);
    closeSync(this.fd);
  }
}

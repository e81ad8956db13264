/**
 * A push-based, synchronous tar parser that reads like Go's archive/tar. Feed chunks of any size
 * with write(); headers go to the visitor, bodies to the sink it returns as zero-copy views.
 * Only header blocks and meta records (≤ 1 MiB each) are ever buffered.
 */
import { BugError } from '../shared/errors.js';
import { finishHeader, planEntry, sparseStoredBytes, type EntryDraft, type PendingMeta } from './_entry.js';
import { BLOCK, TarProblem, blockPadding, headerProblem, isZeroBlock, problemError } from './_fields.js';
import { decodeHeaderBlock, type RawHeader } from './_header-block.js';
import { applyMeta, isMetaType, metaBodySize } from './_meta.js';
import { SparseBlocks } from './_sparse.js';
import type { TarBodySink, TarVisitor } from './types.js';

const HEADER = 0; // collecting a header block
const BODY = 1; // passing an entry body to its sink (or skipping it)
const PAD = 2; // skipping zero padding to the next block
const SPECIAL = 3; // collecting a PAX or GNU long-name body
const SPARSE = 4; // collecting a sparse map: GNU extension blocks, or a PAX 1.0 map in the body
const ZERO = 5; // after one zero block: a second one ends the archive
const END = 6; // after the end-of-archive marker: everything is ignored
const FAILED = 7;

export class TarParser {
  private readonly label: string;
  private state = HEADER;
  private readonly block = new Uint8Array(BLOCK);
  private fill = 0;
  private remaining = 0;
  private padAfter = 0;
  private sink: TarBodySink | undefined;
  private special: { raw: RawHeader; data: Uint8Array; fill: number } | undefined;
  private meta: PendingMeta = {};
  private draft: EntryDraft | undefined;
  private sparseBlocks: SparseBlocks | undefined;
  private sparseStored: number | undefined;
  private dataSize = 0;
  private headerOffset = 0;
  /** Offset of the first header block of the entry being read (its PAX or GNU records first), or -1 between entries. */
  private entryStart = -1;
  private offset = 0;
  private failure: unknown;
  private ended = false;

  constructor(
    private readonly visitor: TarVisitor,
    options?: { label?: string; offset?: number },
  ) {
    this.label = options?.label ?? 'tar';
    // A parser started inside an archive (at an entry's first header) counts from there.
    this.offset = options?.offset ?? 0;
  }

  /** Bytes consumed so far. Inside visitor.entry() it is the offset of the entry's (stored) data. */
  get position(): number {
    return this.offset;
  }

  /** Inside visitor.entry(): the offset of the entry's first header block, its PAX or GNU long-name records included. */
  get entryOffset(): number {
    return this.entryStart;
  }

  /** True once the end-of-archive marker (two zero blocks) has been read. */
  get finished(): boolean {
    return this.state === END;
  }

  write(chunk: Uint8Array): void {
    if (this.state === FAILED) throw this.failure;
    if (this.ended) throw new BugError('TarParser.write() after end()');
    try {
      // Plain Uint8Array views are cheaper to subarray than Buffers, and still zero-copy.
      this.consume(chunk.constructor === Uint8Array ? chunk : new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.byteLength));
    } catch (error) {
      throw this.fail(error);
    }
  }

  /** Signals the end of input; throws E_TAR_TRUNCATED when it ends inside a header or body. */
  end(): void {
    if (this.state === FAILED) throw this.failure;
    if (this.ended) return;
    this.ended = true;
    const partialBlock = (this.state === HEADER || this.state === ZERO) && this.fill > 0;
    const inside = this.state === BODY || this.state === SPECIAL || this.state === SPARSE;
    if (partialBlock || inside) {
      const what = partialBlock ? 'inside a header block' : `inside the entry whose header is at byte ${this.headerOffset}`;
      throw this.fail(new TarProblem('truncated', `input ends ${what}`), this.offset);
    }
  }

  /** Bytes the parser would discard next without looking at them (an unread body and its padding). */
  skippable(): number {
    if (this.state === BODY && !this.sink) return this.remaining + this.padAfter;
    return this.state === PAD ? this.remaining : 0;
  }

  /** Discards `n` ≤ skippable() bytes that the caller did not read (e.g. it seeked past them). */
  skip(n: number): void {
    if (n > this.skippable()) throw new BugError(`TarParser.skip(${n}) beyond ${this.skippable()} skippable bytes`);
    while (n > 0) {
      const step = Math.min(n, this.remaining);
      this.remaining -= step;
      this.offset += step;
      n -= step;
      if (this.remaining === 0) this.finishStretch();
    }
  }

  /** The end of a body (BODY) or of padding (PAD). */
  private finishStretch(): void {
    if (this.state === BODY) this.finishBody();
    else this.state = HEADER;
  }

  private fail(error: unknown, at = this.headerOffset): unknown {
    if (error instanceof TarProblem) error = problemError(error, this.label, at);
    this.state = FAILED;
    this.failure = error;
    this.sink = undefined;
    return error;
  }

  private consume(chunk: Uint8Array): void {
    const length = chunk.length;
    let pos = 0;
    while (pos < length) {
      const state = this.state;
      if (state === BODY || state === PAD) {
        const n = Math.min(this.remaining, length - pos);
        if (this.sink) this.sink.data(chunk.subarray(pos, pos + n)); // only ever set in BODY
        pos += n;
        this.offset += n;
        this.remaining -= n;
        if (this.remaining === 0) this.finishStretch();
      } else if (state === SPECIAL) {
        const special = this.special!;
        const n = Math.min(this.remaining, length - pos);
        special.data.set(chunk.subarray(pos, pos + n), special.fill);
        special.fill += n;
        pos += n;
        this.offset += n;
        this.remaining -= n;
        if (this.remaining === 0) this.finishSpecial();
      } else if (state === END) {
        this.offset += length - pos;
        pos = length;
      } else {
        let block: Uint8Array;
        if (this.fill === 0 && length - pos >= BLOCK) {
          block = chunk.subarray(pos, pos + BLOCK);
          pos += BLOCK;
          this.offset += BLOCK;
        } else {
          const n = Math.min(BLOCK - this.fill, length - pos);
          this.block.set(chunk.subarray(pos, pos + n), this.fill);
          this.fill += n;
          pos += n;
          this.offset += n;
          if (this.fill < BLOCK) continue;
          this.fill = 0;
          block = this.block;
        }
        this.onBlock(block);
      }
    }
  }

  private onBlock(block: Uint8Array): void {
    switch (this.state) {
      case HEADER:
        return this.onHeader(block);
      case ZERO:
        if (!isZeroBlock(block)) throw headerProblem('a zero block followed by a non-zero block');
        this.state = END;
        return;
      case SPARSE: {
        const draft = this.draft!;
        const { inBody } = this.sparseBlocks!;
        if (inBody) this.remaining -= BLOCK;
        const entries = this.sparseBlocks!.push(block);
        if (entries) {
          draft.sparse = entries;
          return this.emit(draft, inBody ? this.remaining : draft.physical);
        }
        if (inBody && this.remaining < BLOCK) throw new TarProblem('truncated', 'the PAX sparse map runs past the entry data');
      }
    }
  }

  private onHeader(block: Uint8Array): void {
    this.headerOffset = this.offset - BLOCK;
    if (this.entryStart < 0) this.entryStart = this.headerOffset;
    if (isZeroBlock(block)) {
      this.state = ZERO;
      return;
    }
    const raw = decodeHeaderBlock(block);
    if (isMetaType(raw.typeflag)) {
      const size = metaBodySize(raw);
      this.special = { raw, data: new Uint8Array(size), fill: 0 };
      this.remaining = size;
      this.padAfter = blockPadding(size);
      this.state = SPECIAL;
      if (size === 0) this.finishSpecial();
      return;
    }
    const meta = this.meta;
    this.meta = {};
    const { draft, next } = planEntry(raw, meta);
    if (next === 'body') return this.emit(draft, draft.physical);
    this.draft = draft;
    this.sparseBlocks = new SparseBlocks(next === 'pax-sparse-map', draft.sparse);
    this.remaining = draft.physical;
    this.state = SPARSE;
  }

  private finishSpecial(): void {
    const { raw, data } = this.special!;
    this.special = undefined;
    const global = applyMeta(raw, data, this.meta);
    if (global) {
      this.meta = {}; // Go drops pending meta records when it returns a global header
      this.visitor.entry(global)?.end();
      this.entryStart = -1;
    }
    this.enterPadding(this.padAfter);
  }

  private emit(draft: EntryDraft, dataSize: number): void {
    this.draft = undefined;
    this.sparseBlocks = undefined;
    this.sparseStored = sparseStoredBytes(draft);
    const header = finishHeader(draft, dataSize);
    this.padAfter = blockPadding(draft.physical);
    this.remaining = dataSize;
    this.dataSize = dataSize;
    this.sink = this.visitor.entry(header);
    this.entryStart = -1;
    if (dataSize === 0) this.finishBody();
    else this.state = BODY;
  }

  private finishBody(): void {
    const sink = this.sink;
    this.sink = undefined;
    if (sink) {
      const stored = this.sparseStored;
      if (stored !== undefined && stored !== this.dataSize) {
        throw headerProblem(stored > this.dataSize ? 'sparse file references non-existent data' : 'sparse file contains unreferenced data');
      }
      sink.end();
    }
    this.enterPadding(this.padAfter);
  }

  private enterPadding(pad: number): void {
    this.remaining = pad;
    this.state = pad > 0 ? PAD : HEADER;
  }
}

/**
 * Places where inflating a gzip stream can start again without the bytes before them, in the
 * manner of zlib's examples/zran.c: at a deflate block boundary, with the 32 KiB of output before
 * it as the dictionary. The scan records one every few MiB (CheckpointRecorder, fed by the gzip
 * inflater); slim's second read of a layer then inflates only from the checkpoint before each
 * kept file (ResumedInflater) instead of from the layer's start (docs/decisions/archive.md).
 *
 * node:zlib does not say at which bit of its last byte a block begins (zlib's data_type), nor
 * take leading bits (inflatePrime). So the stream is resumed at each of the 8 possible bits
 * until one reproduces the output recorded after the checkpoint, and a bit offset is made by
 * putting empty deflate blocks of the right length in front of the stored bytes, which are then
 * fed unchanged.
 */
import { constants, createInflateRaw } from 'node:zlib';
import { InputError } from '../shared/errors.js';
import { SyncZlib, type OutputSink, type OutputSpace } from './inflate.js';

/** A deflate block boundary in a gzip stream. Plain data (it crosses threads). */
export interface GzipCheckpoint {
  /** Stored bytes zlib had taken when the block began: it starts at bit 0 of this byte, or inside the byte before. */
  input: number;
  /** Uncompressed bytes before it. */
  output: number;
  /** The (up to) 32 KiB of output before it. */
  window: Uint8Array;
  /** The first output bytes after it: they tell which bit the block starts at. */
  probe: Uint8Array;
}

/** Deflate's largest back-reference distance: all the history a resumed stream needs. */
const WINDOW = 32 * 1024;
/** Output bytes compared to tell the block's first bit. */
const PROBE = 128;
/** Stored bytes gathered before the 8 bit offsets are tried. */
const TRIAL_INPUT = 16 * 1024;

/**
 * Records a checkpoint at the first block boundary (right after the gzip header, so every
 * offset has one before it) and then at the first one after every `every` output bytes.
 */
export class CheckpointRecorder {
  readonly checkpoints: GzipCheckpoint[] = [];
  private output = 0;
  private next = 0;
  private readonly tail = new Uint8Array(WINDOW);
  private tailLength = 0;
  private probing: GzipCheckpoint | null = null;

  constructor(private readonly every: number) {}

  /** True once a boundary is wanted: the inflater then stops at every block boundary. */
  get wantsBoundary(): boolean {
    return this.output >= this.next;
  }

  /** Every output chunk, in order. */
  onOutput(chunk: Uint8Array): void {
    if (this.probing) this.fillProbe(chunk);
    if (this.output + chunk.length > this.next - WINDOW) this.keepTail(chunk);
    this.output += chunk.length;
  }

  /** A block begins here; `input` stored bytes have been taken. */
  onBoundary(input: number): void {
    if (!this.wantsBoundary) return;
    // Kept as it is: deflating it would cost more CPU than the memory it saves is worth.
    this.probing = { input, output: this.output, window: this.tail.slice(0, this.tailLength), probe: new Uint8Array(0) };
    this.checkpoints.push(this.probing);
    this.next = this.output + this.every;
  }

  /** No boundary was found near here (the inflater gave up looking): ask again `every` bytes on. */
  skipBoundary(): void {
    this.next = this.output + this.every;
  }

  /** The checkpoints, without a last one whose probe the stream's end cut short. */
  finish(): GzipCheckpoint[] {
    const last = this.checkpoints.at(-1);
    if (last && last.probe.length < PROBE) this.checkpoints.pop();
    this.probing = null;
    return this.checkpoints;
  }

  private fillProbe(chunk: Uint8Array): void {
    const probing = this.probing!;
    const take = Math.min(PROBE - probing.probe.length, chunk.length);
    const probe = new Uint8Array(probing.probe.length + take);
    probe.set(probing.probe);
    probe.set(chunk.subarray(0, take), probing.probe.length);
    probing.probe = probe;
    if (probe.length === PROBE) this.probing = null;
  }

  private keepTail(chunk: Uint8Array): void {
    if (chunk.length >= WINDOW) {
      this.tail.set(chunk.subarray(chunk.length - WINDOW));
      this.tailLength = WINDOW;
      return;
    }
    const keep = Math.min(this.tailLength, WINDOW - chunk.length);
    this.tail.copyWithin(0, this.tailLength - keep, this.tailLength);
    this.tail.set(chunk, keep);
    this.tailLength = keep + chunk.length;
  }
}

/** The first stored byte a resumed stream needs. */
export function resumeByte(checkpoint: GzipCheckpoint): number {
  return Math.max(0, checkpoint.input - 1);
}

/**
 * Inflates the deflate stream from a checkpoint on. Fed the stored bytes from
 * resumeByte(checkpoint) on, it outputs the uncompressed bytes from checkpoint.output on.
 * Throws CheckpointMiss when no bit offset reproduces the probe, and reports (`ended`) the
 * deflate stream's end: a gzip member boundary is not crossed.
 */
export class ResumedInflater {
  private zlib: SyncZlib | null = null;
  private pending: Uint8Array[] = [];
  private pendingLength = 0;
  private closed = false;
  ended = false;
  /** The bit of its first byte the block was found to start at (0-7), once found. */
  startBit: number | undefined;

  constructor(
    private readonly checkpoint: GzipCheckpoint,
    private readonly label: string,
    private readonly space: OutputSpace,
  ) {}

  push(chunk: Uint8Array, onOutput: OutputSink, until?: () => boolean): void {
    if (this.zlib) return this.run(chunk, onOutput, until);
    if (this.pendingLength === 0 && chunk.length >= TRIAL_INPUT) return this.start(chunk, onOutput, until);
    // `chunk` is only lent: what waits for more is copied.
    this.pending.push(chunk.slice());
    this.pendingLength += chunk.length;
    if (this.pendingLength >= TRIAL_INPUT) this.start(this.takePending(), onOutput, until);
  }

  /** Tries the bit offsets on the bytes gathered so far (at the stream's end there may be fewer than TRIAL_INPUT). */
  flush(onOutput: OutputSink): void {
    if (!this.zlib && !this.closed && this.pendingLength > 0) this.start(this.takePending(), onOutput);
  }

  close(): void {
    this.closed = true;
    this.zlib?.close();
    this.zlib = null;
  }

  private takePending(): Uint8Array {
    const stored = concat(this.pending, this.pendingLength);
    this.pending = [];
    this.pendingLength = 0;
    return stored;
  }

  /** Finds the bit the block starts at in `stored` (from resumeByte on), then inflates the rest. */
  private start(stored: Uint8Array, onOutput: OutputSink, until?: () => boolean): void {
    const { window, probe, input: at } = this.checkpoint;
    const zlib = new SyncZlib(createInflateRaw(window.length > 0 ? { dictionary: window } : {}));
    // Latest first: bit 0 of checkpoint.input, then bits 7 down to 1 of the byte before it.
    // A stored block's output is the same from any start within its header's byte that reads
    // as a stored block header, and one read too early can take the previous block's last bit
    // for BFINAL (the stream would end after it); later ones read zero padding.
    const starts: Array<[skip: number, bit: number]> = [[at - resumeByte(this.checkpoint), 0]];
    if (at > 0) for (let bit = 7; bit >= 1; bit--) starts.push([0, bit]);
    const out = new Uint8Array(probe.length);
    for (const [skip, bit] of starts) {
      const head = stored.subarray(skip, skip + TRIAL_INPUT);
      const input = bit === 0 ? head : withLeadingBits(head, bit);
      const result = zlib.step(constants.Z_NO_FLUSH, input, out);
      if (result && result.produced === probe.length && equal(out, probe)) {
        this.zlib = zlib;
        this.startBit = bit;
        onOutput(out);
        this.run(input.subarray(result.consumed), onOutput, until);
        return this.run(stored.subarray(skip + head.length), onOutput, until);
      }
      zlib.reset();
    }
    zlib.close();
    throw new CheckpointMiss(`${this.label}: no bit offset at stored byte ${at} reproduces the output recorded there`);
  }

  private run(input: Uint8Array, onOutput: OutputSink, until?: () => boolean): void {
    if (this.ended || input.length === 0 || until?.()) return;
    const error = this.zlib!.write(constants.Z_NO_FLUSH, input, this.space, onOutput, until);
    if (error) throw new CheckpointMiss(`${this.label}: resumed at stored byte ${this.checkpoint.input}: ${error.message}`);
    this.ended = this.zlib!.streamEnded;
  }
}

/** A resumed read that cannot go on: the caller reads the layer from its start instead. */
export class CheckpointMiss extends InputError {
  constructor(message: string) {
    super(message, { code: CheckpointMiss.code });
  }

  static readonly code = 'E_CHECKPOINT_MISS';
}

/**
 * Empty deflate blocks whose length in bits is `bit` mod 8, as bytes: the last byte's low `bit`
 * bits are theirs, and its high bits are for the stored byte the real block starts in.
 * An empty fixed-Huffman block is 10 bits (2 mod 8); an empty dynamic one with 19 code-length
 * code lengths is 95 bits (7 mod 8).
 */
function leadingBlocks(bit: number): { bytes: Uint8Array; bits: number } {
  const bits: number[] = [];
  const put = (value: number, count: number) => {
    for (let i = 0; i < count; i++) bits.push((value >> i) & 1);
  };
  // Huffman codes go most significant bit first.
  const code = (value: number, count: number) => {
    for (let i = count - 1; i >= 0; i--) bits.push((value >> i) & 1);
  };
  const emptyFixed = () => {
    put(0, 1); // BFINAL
    put(1, 2); // fixed Huffman
    code(0, 7); // end of block (256)
  };
  const emptyDynamic = () => {
    put(0, 1);
    put(2, 2); // dynamic Huffman
    put(0, 5); // 257 literal/length codes
    put(0, 5); // 1 distance code
    put(19 - 4, 4); // 19 code-length code lengths
    // Code-length code: 18 (a run of zeros) 1 bit, 0 and 1 two bits each (a complete code).
    const lengths: Record<number, number> = { 18: 1, 0: 2, 1: 2 };
    for (const symbol of [16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1, 15]) put(lengths[symbol] ?? 0, 3);
    code(0, 1);
    put(138 - 11, 7); // 138 zero lengths (literals 0-137)
    code(0, 1);
    put(118 - 11, 7); // 118 more (138-255)
    code(3, 2); // end of block: length 1, its only code
    code(2, 2); // the distance code: length 0
    code(0, 1); // the block's data: end of block
  };
  if (bit % 2 === 1) {
    emptyDynamic();
    for (let n = ((bit - 7 + 8) % 8) / 2; n > 0; n--) emptyFixed();
  } else {
    for (let n = bit / 2; n > 0; n--) emptyFixed();
  }
  const bytes = new Uint8Array(Math.ceil(bits.length / 8));
  bits.forEach((value, i) => (bytes[i >> 3]! |= value << (i & 7)));
  return { bytes, bits: bits.length };
}

const LEADING = Array.from({ length: 8 }, (_, bit) => leadingBlocks(bit));

/** `stored`, whose first byte holds the block's start at `bit`, behind empty blocks that end at that bit. */
function withLeadingBits(stored: Uint8Array, bit: number): Uint8Array {
  const { bytes } = LEADING[bit]!;
  const out = new Uint8Array(bytes.length - 1 + stored.length);
  out.set(bytes);
  const mask = (0xff << bit) & 0xff;
  out[bytes.length - 1] = (bytes[bytes.length - 1]! & ~mask) | (stored[0]! & mask);
  out.set(stored.subarray(1), bytes.length);
  return out;
}

function concat(chunks: Uint8Array[], length: number): Uint8Array {
  if (chunks.length === 1) return chunks[0]!;
  const out = new Uint8Array(length);
  let at = 0;
  for (const chunk of chunks) {
    out.set(chunk, at);
    at += chunk.length;
  }
  return out;
}

function equal(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** For tests: the bit length of the leading blocks for each offset. */
export const leadingBitLengths = LEADING.map((lead) => lead.bits);

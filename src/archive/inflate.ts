/**
 * Synchronous, push-based decompression into caller-chosen output space: gzip through ISA-L
 * when its addon is built (isal-inflater.ts), else through the handle under node:zlib's streams
 * (the same C++ inflater, driven with `writeSync` as zlib's own `*Sync` functions drive it),
 * zstd through zstd-napi's streaming context, plain bytes passed through. No thread hop, no
 * stream machinery, and with a reused output buffer no allocation per chunk (docs/benchmarks.md:
 * inflate + hashing costs 30 % less CPU this way than through a zlib stream). Corrupt data
 * becomes an InputError naming the label.
 */
import { createGunzip, constants } from 'node:zlib';
import binding from 'zstd-napi/binding.js';
import { BugError } from '../shared/errors.js';
import { corruptData, TRAILING_DATA } from './corrupt-data.js';
import type { CheckpointRecorder } from './gzip-checkpoints.js';
import { IsalGzipInflater, isalAddon } from './isal-inflater.js';
import type { Compression } from './peek.js';

/** Where decompressed bytes go: `room()` is writable space, `take(n)` returns its first n bytes as output. */
export interface OutputSpace {
  room(): Uint8Array;
  take(n: number): Uint8Array;
}

/** Output size of one step (docs/decisions/archive.md: 256 KiB chunks beat 16 KiB ones 1.9×). */
export const OUTPUT_CHUNK = 256 * 1024;

/** One buffer, overwritten by every step: each output is valid only until the next push. */
export class ReusedSpace implements OutputSpace {
  private readonly buffer: Uint8Array;

  constructor(size = OUTPUT_CHUNK) {
    this.buffer = new Uint8Array(size);
  }

  room(): Uint8Array {
    return this.buffer;
  }

  take(n: number): Uint8Array {
    return this.buffer.subarray(0, n);
  }
}

/** Non-overlapping views into 4 MiB arenas: outputs stay valid as long as the caller keeps them. */
export class ArenaSpace implements OutputSpace {
  private buffer = new Uint8Array(4 << 20);
  private used = 0;

  room(): Uint8Array {
    if (this.buffer.length - this.used < OUTPUT_CHUNK) {
      this.buffer = new Uint8Array(this.buffer.length);
      this.used = 0;
    }
    return this.buffer.subarray(this.used, this.used + OUTPUT_CHUNK);
  }

  take(n: number): Uint8Array {
    const view = this.buffer.subarray(this.used, this.used + n);
    this.used += n;
    return view;
  }
}

export type OutputSink = (chunk: Uint8Array) => void;

export interface Inflater {
  /** Decompresses `input`, passing every output chunk to `onOutput` before returning. */
  push(input: Uint8Array, onOutput: OutputSink): void;
  /** Checks that the input ended at the end of a member/frame; releases native state. */
  finish(onOutput: OutputSink): void;
  /** Releases native state without checking (after an error, or when abandoning the stream). */
  close(): void;
}

/**
 * `recorder` records gzip checkpoints (gzip-checkpoints.ts) at deflate block boundaries, which
 * both gzip inflaters report: ISA-L's when it is built (from sources that report them), else
 * node:zlib's. Other formats have no checkpoints.
 */
export function createInflater(compression: Compression, label: string, space: OutputSpace, recorder?: CheckpointRecorder): Inflater {
  switch (compression) {
    case 'gzip': {
      const isal = isalAddon();
      return isal && (!recorder || isal.boundaries) ? new IsalGzipInflater(isal, label, space, recorder) : new ZlibGzipInflater(label, space, recorder);
    }
    case 'zstd':
      return new ZstdInflater(label, space);
    case 'none':
      return { push: (input, onOutput) => input.length > 0 && onOutput(input), finish: () => undefined, close: () => undefined };
  }
}

/** Where a gzip inflater reports deflate block boundaries (gzip-checkpoints.ts). */
export interface BlockBoundaries {
  /** While true, the inflater stops at every block boundary. */
  readonly wantsBoundary: boolean;
  /** A block starts after `input` bytes of this write's input. */
  onBoundary(input: number): void;
}

/** The parts of node:zlib's handle that its own synchronous functions use. */
interface ZlibHandle {
  reset(): void;
  writeSync(flush: number, input: Uint8Array, inOff: number, inLen: number, out: Uint8Array, outOff: number, outLen: number): void;
  onerror: (message: string, errno: number, code?: string) => void;
}

/**
 * The handle under a node:zlib stream (gunzip or gzip), driven with `writeSync` as zlib's own
 * `*Sync` functions drive it; the stream itself is never used, only closed.
 */
export class SyncZlib {
  private readonly handle: ZlibHandle;
  /** [avail_out, avail_in] after each writeSync, filled in by the handle. */
  private readonly state: Uint32Array;
  private error: Error | null = null;
  private ended = false;
  private left = 0;

  constructor(private readonly stream: { close(): void }) {
    const internals = stream as { _handle?: ZlibHandle; _writeState?: Uint32Array };
    if (typeof internals._handle?.writeSync !== 'function' || !(internals._writeState instanceof Uint32Array)) {
      throw new BugError(`node:zlib in Node ${process.version} has no synchronous handle`);
    }
    this.handle = internals._handle;
    this.state = internals._writeState;
    // Errors arrive synchronously, inside writeSync.
    this.handle.onerror = (message, _errno, code) => {
      this.error = Object.assign(new Error(message), { code });
    };
  }

  /**
   * Runs `input` through with `flush`, each output taken from `space` and passed to `onOutput`;
   * zlib's error, or null. With `boundaries`, stops at deflate block boundaries while it wants
   * them (Z_BLOCK) and reports each with the input consumed so far. `until` stops it early.
   */
  write(flush: number, input: Uint8Array, space: OutputSpace, onOutput: OutputSink, until?: () => boolean, boundaries?: BlockBoundaries): Error | null {
    let offset = 0;
    let left = input.length;
    for (;;) {
      const out = space.room();
      const step = boundaries?.wantsBoundary && flush === constants.Z_NO_FLUSH ? constants.Z_BLOCK : flush;
      this.handle.writeSync(step, input, offset, left, out, 0, out.length);
      if (this.error) return this.error;
      const [availOut, availIn] = this.state as unknown as [number, number];
      const produced = out.length - availOut;
      if (produced > 0) onOutput(space.take(produced));
      offset += left - availIn;
      left = availIn;
      if (until?.()) return null;
      // Stopped with input and room left: at a block boundary (where a Z_BLOCK call that
      // starts there returns at once), or at the end of the deflate stream.
      if (step === constants.Z_BLOCK && availOut !== 0 && availIn !== 0) {
        boundaries!.onBoundary(offset);
        continue;
      }
      if (availOut !== 0) {
        // A raw stream ends at its final block; gunzip goes on to a next member by itself,
        // and stops at a zero byte after one (padding).
        if (left > 0) {
          this.ended = true;
          this.left = left;
        }
        return null;
      }
      // A full output buffer means more may be pending, even with all input consumed.
    }
  }

  /** One call into zlib with `out` as the room: what it produced and consumed, or null on an error. */
  step(flush: number, input: Uint8Array, out: Uint8Array): { produced: number; consumed: number } | null {
    this.handle.writeSync(flush, input, 0, input.length, out, 0, out.length);
    if (this.error) return null;
    const [availOut, availIn] = this.state as unknown as [number, number];
    return { produced: out.length - availOut, consumed: input.length - availIn };
  }

  /** Starts the stream again (with the dictionary it was created with), clearing an error. */
  reset(): void {
    this.handle.reset();
    this.error = null;
    this.ended = false;
  }

  /** True once a raw deflate stream has ended, or gunzip met padding (nothing more is taken). */
  get streamEnded(): boolean {
    return this.ended;
  }

  /** Input bytes the last write left untaken when the stream ended. */
  get leftOver(): number {
    return this.left;
  }

  close(): void {
    this.stream.close();
  }
}

/** gzip through node:zlib's handle: the fallback without ISA-L (checkpoints included). */
export class ZlibGzipInflater implements Inflater {
  private readonly zlib = new SyncZlib(createGunzip());
  private closed = false;
  /** Zero padding met after a member: the rest must be zero bytes too. */
  private padding = false;
  /** Stored bytes taken before this push (checkpoints count from the stream's start). */
  private taken = 0;
  private readonly boundaries: BlockBoundaries | undefined;

  constructor(
    private readonly label: string,
    private readonly space: OutputSpace,
    private readonly recorder?: CheckpointRecorder,
  ) {
    if (recorder) {
      this.boundaries = {
        get wantsBoundary() {
          return recorder.wantsBoundary;
        },
        onBoundary: (input) => recorder.onBoundary(this.taken + input),
      };
    }
  }

  push(input: Uint8Array, onOutput: OutputSink): void {
    this.run(constants.Z_NO_FLUSH, input, onOutput);
  }

  finish(onOutput: OutputSink): void {
    // Z_FINISH on no input reports "unexpected end of file" unless the last member is complete.
    this.run(constants.Z_FINISH, new Uint8Array(0), onOutput);
    this.close();
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.zlib.close();
  }

  private run(flush: number, input: Uint8Array, onOutput: OutputSink): void {
    if (this.closed) throw new BugError(`${this.label}: inflater used after close`);
    // node:zlib reads a next member again in a later write; imgslim allows only zero bytes
    // after padding, however the input is cut (as the ISA-L inflater does).
    if (this.padding) return this.checkPadding(input);
    const { recorder } = this;
    const sink: OutputSink = recorder
      ? (chunk) => {
          recorder.onOutput(chunk);
          onOutput(chunk);
        }
      : onOutput;
    const error = this.zlib.write(flush, input, this.space, sink, undefined, this.boundaries);
    this.taken += input.length;
    if (error) {
      this.close();
      throw corruptData(this.label, 'gzip', error);
    }
    if (this.zlib.streamEnded) {
      this.padding = true;
      this.checkPadding(input.subarray(input.length - this.zlib.leftOver));
    }
  }

  private checkPadding(input: Uint8Array): void {
    if (input.some((byte) => byte !== 0)) {
      this.close();
      throw corruptData(this.label, 'gzip', new Error(TRAILING_DATA));
    }
  }
}

class ZstdInflater implements Inflater {
  private readonly context = new binding.DCtx();
  private inFrame = false;

  constructor(
    private readonly label: string,
    private readonly space: OutputSpace,
  ) {}

  push(chunk: Uint8Array, onOutput: OutputSink): void {
    let input = chunk;
    for (;;) {
      const room = this.space.room();
      let result: [number, number, number];
      try {
        result = this.context.decompressStream(room, input);
      } catch (error) {
        throw corruptData(this.label, 'zstd', error);
      }
      const [hint, produced, consumed] = result;
      input = input.subarray(consumed);
      if (produced > 0) onOutput(this.space.take(produced));
      if (input.length === 0 && (produced < room.length || hint === 0)) {
        this.inFrame = hint !== 0;
        return;
      }
    }
  }

  finish(): void {
    if (this.inFrame) throw corruptData(this.label, 'zstd', new Error('stream ends inside a frame'));
  }

  close(): void {}
}

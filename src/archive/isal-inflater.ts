/**
 * gzip through ISA-L's igzip (native/isal-inflate.c, built at install by native/build-addon.mjs),
 * about 1.3× faster than node:zlib here (docs/decisions/archive.md). Optional: without the addon,
 * or with IMGSLIM_GZIP=zlib, gzip goes through node:zlib. Both read the same streams the same way
 * (members in a row, zero bytes after one are padding to the end, CRC-32 and length checked),
 * and both can report deflate block boundaries to a CheckpointRecorder.
 */
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { BugError } from '../shared/errors.js';
import { corruptData, TRAILING_DATA } from './corrupt-data.js';
import type { CheckpointRecorder } from './gzip-checkpoints.js';
import type { Inflater, OutputSink, OutputSpace } from './inflate.js';

type Handle = object;

interface IsalAddon {
  create(): Handle;
  /**
   * Status 0, or an ISA-L error (< 0); counts = [consumed, produced, where, found, bitsBack].
   * With `boundary` it stops at the next deflate block boundary it meets (found = 1): the block
   * starts bitsBack bits before the end of the consumed input.
   */
  inflate(handle: Handle, input: Uint8Array, output: Uint8Array, counts: Uint32Array, boundary?: boolean): number;
  release(handle: Handle): void;
  /** True when inflate takes `boundary` (an addon built from older sources does not). */
  boundaries?: boolean;
}

/** `where` in the counts: still inside a member (or before the first). */
const IN_MEMBER = 0;
/**
 * Stored bytes ISA-L may be fed a little at a time while it looks for a block boundary, before
 * the recorder is told to skip this checkpoint. zlib ends a block every 16 K symbols, well within
 * this; a stream of one huge block, or of fixed-Huffman blocks whose 3-bit headers the search
 * passes, would otherwise be fed 16 bytes at a time (about 45 MB/s; docs/decisions/archive.md).
 */
const HUNT_LIMIT = 128 * 1024;

const ADDON = fileURLToPath(new URL('../../native/build/addon/isal-inflate.node', import.meta.url));

/** zlib's own words for what ISA-L reports, so that messages do not depend on the inflater. */
const MESSAGES: Record<number, string> = {
  [-1]: 'invalid block type',
  [-2]: 'invalid code',
  [-3]: 'invalid distance too far back',
  [-4]: 'incorrect header check',
  [-5]: 'unknown compression method',
  [-6]: 'incorrect data check',
  [-100]: TRAILING_DATA,
};

let loaded: IsalAddon | null | undefined;

/** The addon, or null when it is not built or IMGSLIM_GZIP=zlib. */
export function isalAddon(): IsalAddon | null {
  if (loaded === undefined) {
    loaded = null;
    if (process.env.IMGSLIM_GZIP !== 'zlib') {
      try {
        loaded = createRequire(import.meta.url)(ADDON) as IsalAddon;
      } catch {
        // Not built (no compiler, headers or libisal at install): node:zlib reads gzip.
      }
    }
  }
  return loaded;
}

/** Which inflater gzip layers go through in this process. */
export function gzipInflaterName(): 'isa-l' | 'node:zlib' {
  return isalAddon() ? 'isa-l' : 'node:zlib';
}

export class IsalGzipInflater implements Inflater {
  private readonly counts = new Uint32Array(5);
  private readonly handle: Handle;
  private closed = false;
  /** Stored bytes taken so far (checkpoints count from the stream's start). */
  private taken = 0;
  /** Stored bytes taken while looking for the boundary the recorder wants. */
  private hunted = 0;

  /** `recorder` needs an addon that reports block boundaries (`addon.boundaries`). */
  constructor(
    private readonly addon: IsalAddon,
    private readonly label: string,
    private readonly space: OutputSpace,
    private readonly recorder?: CheckpointRecorder,
  ) {
    if (recorder && !addon.boundaries) throw new BugError('the ISA-L addon cannot report block boundaries: rebuild it (node native/build-addon.mjs)');
    this.handle = addon.create();
  }

  push(input: Uint8Array, onOutput: OutputSink): void {
    if (this.closed) throw new BugError(`${this.label}: inflater used after close`);
    const { counts, space, recorder } = this;
    let rest = input;
    for (;;) {
      const room = space.room();
      const boundary = recorder?.wantsBoundary ?? false;
      const status = this.addon.inflate(this.handle, rest, room, counts, boundary);
      if (status < 0) this.fail(MESSAGES[status] ?? `ISA-L error ${status}`);
      const consumed = counts[0]!;
      const produced = counts[1]!;
      if (produced > 0) {
        const chunk = space.take(produced);
        recorder?.onOutput(chunk);
        onOutput(chunk);
      }
      rest = rest.subarray(consumed);
      this.taken += consumed;
      if (boundary && counts[3] === 1) {
        // The block starts at this bit of the stream: bit 0 of the byte the checkpoint names, or inside the one before.
        recorder!.onBoundary(Math.ceil((this.taken * 8 - counts[4]!) / 8));
        this.hunted = 0;
        continue;
      }
      if (boundary) {
        this.hunted += consumed;
        if (this.hunted > HUNT_LIMIT) {
          recorder!.skipBoundary();
          this.hunted = 0;
        }
      }
      // A full output buffer means more may be pending, even with all input consumed.
      if (produced < room.length) {
        if (rest.length === 0) return;
        if (consumed === 0) this.fail('no progress');
      }
    }
  }

  finish(onOutput: OutputSink): void {
    this.push(new Uint8Array(0), onOutput);
    if (this.counts[2] === IN_MEMBER) this.fail('unexpected end of file');
    this.close();
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.addon.release(this.handle);
  }

  private fail(message: string): never {
    this.close();
    throw corruptData(this.label, 'gzip', new Error(message));
  }
}

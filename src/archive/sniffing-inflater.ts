/**
 * A synchronous, push-based inflater for one stored layer blob whose compression is not known
 * yet: it keeps the first SNIFF_BYTES, sniffs gzip, zstd or plain tar, then inflates every
 * chunk straight to `onOutput`. Used wherever a layer is read in a task (scan, slim's copy).
 */
import { InputError } from '../shared/errors.js';
import type { CheckpointRecorder } from './gzip-checkpoints.js';
import { createInflater, type Inflater, type OutputSpace } from './inflate.js';
import { SNIFF_BYTES, sniffCompression, type Compression } from './peek.js';

type OutputSink = (chunk: Uint8Array) => void;

export class SniffingInflater {
  compression: Compression = 'none';
  private inflater: Inflater | null = null;
  private head: Uint8Array | null = null;

  constructor(
    private readonly label: string,
    private readonly space: OutputSpace,
    /** Records gzip checkpoints, if the stream turns out to be gzip. */
    private readonly recorder?: CheckpointRecorder,
  ) {}

  /** Feeds stored bytes; `chunk` is not kept past the call. */
  push(chunk: Uint8Array, onOutput: OutputSink): void {
    if (this.inflater) return this.inflater.push(chunk, onOutput);
    // Until the compression is known, the first bytes are kept (copied: `chunk` may be reused).
    const head = this.head ? concat(this.head, chunk) : chunk;
    if (head.length >= SNIFF_BYTES) {
      this.head = head;
      this.start(onOutput);
    } else {
      this.head = head === chunk ? chunk.slice() : head;
    }
  }

  /** Checks that the stream ended where a member or frame ends, and releases native state. */
  finish(onOutput: OutputSink): void {
    if (!this.inflater) this.start(onOutput);
    try {
      this.inflater!.finish(onOutput);
    } finally {
      this.inflater!.close();
    }
  }

  /** Releases native state after a failure. */
  close(): void {
    this.inflater?.close();
  }

  private start(onOutput: OutputSink): void {
    const head = this.head ?? new Uint8Array(0);
    this.head = null;
    const kind = sniffCompression(head);
    if (kind !== 'gzip' && kind !== 'zstd' && kind !== 'none') {
      throw new InputError(`${this.label}: unsupported compression ${kind}`, { code: 'E_UNSUPPORTED_COMPRESSION' });
    }
    this.compression = kind;
    this.inflater = createInflater(kind, this.label, this.space, this.recorder);
    this.inflater.push(head, onOutput);
  }
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.length + b.length);
  out.set(a);
  out.set(b, a.length);
  return out;
}

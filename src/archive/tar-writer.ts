/**
 * Writes tar streams to an async sink, awaiting it for every chunk (backpressure). Entries are
 * written one at a time in call order; a failure is sticky. Headers come from encodeTarHeaders.
 */
import { Buffer } from 'node:buffer';
import { InputError } from '../shared/errors.js';
import { BLOCK, blockPadding } from './_fields.js';
import { encodeSparseMap, encodeTarHeaders } from './_tar-encode.js';
import type { TarWriteEntry } from './types.js';

export { encodeSparseMap, encodeTarHeaders };

/** Zero bytes that follow a body of `size` bytes. */
export function tarPadding(size: number): number {
  return blockPadding(size);
}

/** The end-of-archive marker: two zero blocks (what Go writes; no record padding). */
export const TAR_END: Uint8Array = new Uint8Array(2 * BLOCK);

/** Bodies up to this size are written in one chunk together with their headers and padding. */
const COALESCE_LIMIT = 64 * 1024;

type Sink = (chunk: Uint8Array) => void | Promise<void>;

function bodyError(entry: TarWriteEntry, message: string): InputError {
  return new InputError(`tar entry ${JSON.stringify(entry.name)}: ${message}`, { code: 'E_TAR_BODY_SIZE' });
}

export class TarWriter {
  private queue: Promise<void> = Promise.resolve();
  private failure: unknown;
  private finished = false;
  private written = 0;

  constructor(private readonly sink: Sink) {}

  /** Bytes handed to the sink so far. */
  get position(): number {
    return this.written;
  }

  /**
   * Appends one entry. A file's size is `entry.size`, or the length of a Uint8Array body; an
   * iterable body must match it exactly. Other types take no body.
   */
  add(entry: TarWriteEntry, body?: Uint8Array | AsyncIterable<Uint8Array>): Promise<void> {
    return this.enqueue(() => this.write(entry, body));
  }

  /** Writes the end-of-archive marker once every pending entry is written. */
  finish(): Promise<void> {
    return this.enqueue(async () => {
      this.finished = true;
      await this.emit(TAR_END.slice());
    });
  }

  private enqueue(task: () => Promise<void>): Promise<void> {
    const run = this.queue.then(async () => {
      if (this.failure !== undefined) throw this.failure;
      if (this.finished) throw new InputError('tar writer: entry added after finish()', { code: 'E_TAR_WRITE' });
      try {
        await task();
      } catch (error) {
        this.failure = error;
        throw error;
      }
    });
    this.queue = run.catch(() => undefined);
    return run;
  }

  private async emit(chunk: Uint8Array): Promise<void> {
    this.written += chunk.length;
    await this.sink(chunk);
  }

  private async write(entry: TarWriteEntry, body: Uint8Array | AsyncIterable<Uint8Array> | undefined): Promise<void> {
    const bytes = body instanceof Uint8Array ? body : undefined;
    if (entry.type !== 'file') {
      if (body !== undefined && !(bytes && bytes.length === 0)) throw bodyError(entry, `a ${entry.type} entry takes no body`);
      await this.emit(encodeTarHeaders(entry));
      return;
    }
    if (entry.sparse) throw bodyError(entry, 'sparse files are written by laying out encodeTarHeaders and encodeSparseMap');
    const size = entry.size ?? bytes?.length;
    if (size === undefined) throw bodyError(entry, 'the size is required for a streamed body');
    const headers = encodeTarHeaders({ ...entry, size });
    const padding = new Uint8Array(tarPadding(size));
    if (body === undefined || body instanceof Uint8Array) {
      const data = body ?? new Uint8Array(0);
      if (data.length !== size) throw bodyError(entry, `body is ${data.length} bytes, the header says ${size}`);
      if (size <= COALESCE_LIMIT) return this.emit(Buffer.concat([headers, data, padding]));
      await this.emit(headers);
      await this.emit(data);
    } else {
      await this.emit(headers);
      let count = 0;
      for await (const chunk of body) {
        count += chunk.length;
        if (count > size) throw bodyError(entry, `body is longer than the ${size} bytes the header says`);
        if (chunk.length > 0) await this.emit(chunk);
      }
      if (count !== size) throw bodyError(entry, `body is ${count} bytes, the header says ${size}`);
    }
    if (padding.length > 0) await this.emit(padding);
  }
}

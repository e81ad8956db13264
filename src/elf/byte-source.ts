/**
 * ByteSource implementations: an in-memory buffer, and a file read with positioned
 * synchronous reads of only the ranges asked for.
 */
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { InputError } from '../shared/errors.js';
import type { ByteSource } from './types.js';

function validRange(offset: number, length: number, size: number): boolean {
  return Number.isSafeInteger(offset) && Number.isSafeInteger(length) && offset >= 0 && length >= 0 && offset + length <= size;
}

/** A ByteSource over bytes already in memory; reads are zero-copy views. */
export function bufferByteSource(bytes: Uint8Array): ByteSource {
  return {
    size: bytes.length,
    read(offset, length) {
      return validRange(offset, length, bytes.length) ? bytes.subarray(offset, offset + length) : undefined;
    },
  };
}

/**
 * A ByteSource over a file on disk. Each `read` is a positioned `fs.readSync` of exactly the
 * requested range; nothing else is read. Call `close()` when done.
 */
export function fileByteSource(path: string): ByteSource & { close(): void } {
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch (error) {
    throw new InputError(`cannot open ${path}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`, { cause: error });
  }
  let size: number;
  try {
    size = fstatSync(fd).size;
  } catch (error) {
    closeSync(fd);
    throw new InputError(`cannot stat ${path}`, { cause: error });
  }
  let open = true;
  return {
    size,
    read(offset, length) {
      if (!open || !validRange(offset, length, size)) return undefined;
      const buffer = new Uint8Array(length);
      let done = 0;
      while (done < length) {
        const n = readSync(fd, buffer, done, length - done, offset + done);
        if (n === 0) return undefined; // the file shrank under us
        done += n;
      }
      return buffer;
    },
    close() {
      if (open) closeSync(fd);
      open = false;
    },
  };
}

/**
 * Random access to tar files on disk: indexTarFile lists members with the offsets of their data,
 * reading headers only and seeking past bodies; readFileRange streams a byte range of a file
 * (readFileRangeSync reads one through a reused buffer, for a worker thread).
 */
import { closeSync, openSync, readSync } from 'node:fs';
import { open, type FileHandle } from 'node:fs/promises';
import { InputError } from '../shared/errors.js';
import { TarParser } from './tar-parser.js';
import type { TarMember } from './types.js';

/** Read size while walking headers; a body (plus padding) larger than this is seeked over instead (see docs/decisions/archive.md). */
const INDEX_READ_SIZE = 256 * 1024;
const RANGE_CHUNK_SIZE = 1024 * 1024;

const cannotOpen = (path: string, error: unknown) =>
  new InputError(`cannot open ${path}: ${(error as Error).message}`, { code: 'E_OPEN', cause: error });

const truncated = (path: string, position: number, start: number, length: number) =>
  new InputError(`${path}: file ends at byte ${position}, before the ${length} bytes from byte ${start}`, { code: 'E_TRUNCATED' });

async function openForReading(path: string): Promise<FileHandle> {
  try {
    return await open(path, 'r');
  } catch (error) {
    throw cannotOpen(path, error);
  }
}

/** Every member of the tar file at `path` (PAX globals included) with the offset of its stored data. */
export async function indexTarFile(path: string): Promise<TarMember[]> {
  const file = await openForReading(path);
  try {
    const size = (await file.stat()).size;
    const members: TarMember[] = [];
    const parser = new TarParser(
      {
        entry(header) {
          members.push({ header, dataOffset: parser.position });
          return undefined;
        },
      },
      { label: path },
    );
    const buffer = new Uint8Array(INDEX_READ_SIZE);
    let offset = 0;
    while (offset < size && !parser.finished) {
      const skip = Math.min(parser.skippable(), size - offset);
      if (skip > INDEX_READ_SIZE) {
        parser.skip(skip);
        offset += skip;
        continue;
      }
      const { bytesRead } = await file.read(buffer, 0, buffer.length, offset);
      if (bytesRead === 0) break;
      parser.write(buffer.subarray(0, bytesRead));
      offset += bytesRead;
    }
    parser.end();
    return members;
  } finally {
    await file.close();
  }
}

/**
 * Streams `length` bytes of the file at `path` from `start`. Fails with an InputError
 * (E_TRUNCATED) when the file ends first. Stopping early closes the file.
 */
export async function* readFileRange(path: string, start: number, length: number): AsyncGenerator<Uint8Array> {
  if (length <= 0) return;
  const file = await openForReading(path);
  try {
    let position = start;
    let left = length;
    while (left > 0) {
      const chunk = new Uint8Array(Math.min(RANGE_CHUNK_SIZE, left));
      const { bytesRead } = await file.read(chunk, 0, chunk.length, position);
      if (bytesRead === 0) throw truncated(path, position, start, length);
      position += bytesRead;
      left -= bytesRead;
      yield bytesRead === chunk.length ? chunk : chunk.subarray(0, bytesRead);
    }
  } finally {
    await file.close();
  }
}

/**
 * readFileRange, synchronously, through `buffer`: each chunk passed to `onChunk` is a view of it,
 * valid only until `onChunk` returns. Same errors.
 */
export function readFileRangeSync(path: string, start: number, length: number, buffer: Uint8Array, onChunk: (chunk: Uint8Array) => void): void {
  if (length <= 0) return;
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch (error) {
    throw cannotOpen(path, error);
  }
  try {
    let position = start;
    let left = length;
    while (left > 0) {
      const bytesRead = readSync(fd, buffer, 0, Math.min(buffer.length, left), position);
      if (bytesRead === 0) throw truncated(path, position, start, length);
      position += bytesRead;
      left -= bytesRead;
      onChunk(buffer.subarray(0, bytesRead));
    }
  } finally {
    closeSync(fd);
  }
}

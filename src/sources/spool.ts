/**
 * Spooling a stream (stdin, a pipe, a gzip/zstd-compressed archive) into a private temporary file
 * so it can be indexed and read by range: a fresh 0700 directory in os.tmpdir() holding one 0600
 * file. gzip and zstd input is decompressed on the way. remove() deletes both; on failure nothing
 * is left behind.
 */
import { mkdtemp, open, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decompressStream } from '../archive/index.js';
import { InputError } from '../shared/errors.js';

export interface Spool {
  path: string;
  /** The compression that was removed while spooling. */
  compression: 'gzip' | 'zstd' | 'none';
  bytes: number;
  remove(): Promise<void>;
}

/** Adapts a Node readable (chunks may be strings) to bytes. */
export async function* readableBytes(readable: NodeJS.ReadableStream): AsyncIterable<Uint8Array> {
  for await (const chunk of readable as AsyncIterable<Uint8Array | string>) {
    yield typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
  }
}

export async function spoolToTempFile(source: AsyncIterable<Uint8Array>, label: string): Promise<Spool> {
  const dir = await mkdtemp(join(tmpdir(), 'imgslim-'));
  const path = join(dir, 'image.tar');
  const remove = () => rm(dir, { recursive: true, force: true });
  try {
    const handle = await open(path, 'wx', 0o600);
    let bytes = 0;
    let compression: Spool['compression'];
    try {
      const decompressed = await decompressStream(source, label);
      compression = decompressed.compression;
      for await (const chunk of decompressed.stream) {
        let offset = 0;
        while (offset < chunk.length) {
          const { bytesWritten } = await handle.write(chunk, offset, chunk.length - offset);
          offset += bytesWritten;
        }
        bytes += chunk.length;
      }
    } finally {
      await handle.close();
    }
    return { path, compression, bytes, remove };
  } catch (error) {
    await remove();
    if (error instanceof Error && 'code' in error && (error as NodeJS.ErrnoException).code === 'ENOSPC') {
      throw new InputError(`${label}: no space left in ${tmpdir()} to spool the image (set TMPDIR)`, { code: 'E_SPOOL', cause: error });
    }
    throw error;
  }
}

/**
 * Compresses the finished layer tar sequentially into the blob file, hashing the uncompressed
 * bytes (the diff_id) and the stored ones (the digest) on the way. Deterministic: same tar, same
 * blob (see archive/compressStream).
 */
import { open } from 'node:fs/promises';
import { compressStream, Digester } from '../archive/index.js';
import type { ProgressSink } from '../shared/progress.js';
import type { SlimCompression } from './types.js';

export interface CompressedLayer {
  /** The stored blob: `blobFile`, or the tar itself when uncompressed. */
  path: string;
  digest: string;
  diffId: string;
  size: number;
}

const READ_CHUNK = 1 << 20;

export async function compressLayer(
  tarFile: string,
  blobFile: string,
  compression: SlimCompression,
  options: { progress: ProgressSink; tarSize: number; signal?: AbortSignal },
): Promise<CompressedLayer> {
  const diff = new Digester();
  const task = options.progress.start('compress', compression === 'none' ? 'hash layer' : `compress layer (${compression})`, options.tarSize);
  try {
    // One reused read buffer: compressStream consumes each chunk before it pulls the next.
    const tar = (async function* () {
      const input = await open(tarFile, 'r');
      try {
        const buffer = new Uint8Array(READ_CHUNK);
        for (;;) {
          options.signal?.throwIfAborted();
          const { bytesRead } = await input.read(buffer, 0, buffer.length, null);
          if (bytesRead === 0) return;
          const bytes = buffer.subarray(0, bytesRead);
          diff.update(bytes);
          task.advance(bytesRead);
          yield bytes;
        }
      } finally {
        await input.close();
      }
    })();
    if (compression === 'none') {
      for await (const _ of tar);
      return { path: tarFile, digest: diff.digest(), diffId: diff.digest(), size: diff.bytes };
    }
    const stored = new Digester();
    const handle = await open(blobFile, 'wx', 0o600);
    try {
      for await (const chunk of compressStream(tar, compression)) {
        stored.update(chunk);
        for (let done = 0; done < chunk.length; ) done += (await handle.write(chunk, done, chunk.length - done)).bytesWritten;
      }
    } finally {
      await handle.close();
    }
    return { path: blobFile, digest: stored.digest(), diffId: diff.digest(), size: stored.bytes };
  } finally {
    task.done();
  }
}

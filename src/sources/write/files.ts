/** File-system helpers for atomic output: temporary siblings, full writes, verified layer bodies. */
import { randomBytes } from 'node:crypto';
import { rm, stat, type FileHandle } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { readFileRange, verifyStream } from '../../archive/index.js';
import { shortDigest } from '../../image/index.js';
import { InputError, UsageError } from '../../shared/errors.js';
import type { PlannedFile, WriteLayer } from './plan.js';

/** A fresh name next to `target` (same directory, so rename is atomic). */
export function temporarySibling(target: string, suffix = 'tmp'): string {
  return join(dirname(target), `.${basename(target)}.imgslim-${randomBytes(6).toString('hex')}.${suffix}`);
}

export async function writeAll(handle: FileHandle, chunk: Uint8Array): Promise<void> {
  let offset = 0;
  while (offset < chunk.length) {
    const { bytesWritten } = await handle.write(chunk, offset, chunk.length - offset);
    offset += bytesWritten;
  }
}

export async function removeQuietly(path: string): Promise<void> {
  await rm(path, { recursive: true, force: true }).catch(() => undefined);
}

/** The output's parent must be an existing directory; returns what is at `target` now. */
export async function inspectTarget(target: string): Promise<'absent' | 'file' | 'directory' | 'other'> {
  const parent = dirname(target);
  const parentInfo = await stat(parent).catch(() => null);
  if (!parentInfo?.isDirectory()) throw new UsageError(`cannot write ${target}: ${parent} is not a directory`, { code: 'E_OUTPUT' });
  const info = await stat(target).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return null;
    throw new UsageError(`cannot write ${target}: ${error.message}`, { code: 'E_OUTPUT', cause: error });
  });
  if (!info) return 'absent';
  return info.isFile() ? 'file' : info.isDirectory() ? 'directory' : 'other';
}

/** The bytes of a planned file; layers are read from their blob file and verified as they stream. */
export function fileSize(file: PlannedFile): number {
  return 'bytes' in file ? file.bytes.length : file.layer.size;
}

export async function checkLayerBlob(layer: WriteLayer): Promise<void> {
  const info = await stat(layer.blobPath).catch(() => null);
  if (!info?.isFile()) throw new InputError(`layer blob ${layer.blobPath} (${shortDigest(layer.digest)}) is not a readable file`, { code: 'E_MISSING' });
}

export function fileBody(file: PlannedFile): Uint8Array | AsyncIterable<Uint8Array> {
  if ('bytes' in file) return file.bytes;
  const { layer } = file;
  return verifyStream(readFileRange(layer.blobPath, 0, layer.size), { digest: layer.digest, size: layer.size }, `layer blob ${layer.blobPath}`);
}

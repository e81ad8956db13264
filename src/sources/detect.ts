/**
 * What a path holds, decided from content, never from a file extension: an OCI layout
 * directory, a docker save / OCI archive tar, or a stream to spool first (stdin, pipes, gzip/zstd
 * archives). Anything else is an InputError naming what was found.
 */
import { open, readdir, stat } from 'node:fs/promises';
import { sniffCompression } from '../archive/index.js';
import type { SourceFormat } from '../image/index.js';
import { systemErrorText } from '../shared/system-error.js';
import { InputError } from '../shared/errors.js';
import { DirectoryContainer } from './container/directory-container.js';
import { TarContainer } from './container/tar-container.js';
import type { Container } from './container/types.js';

const BLOCK = 512;

/** Whether a 512-byte block is a tar header (its checksum adds up) or the all-zero end block. */
export function looksLikeTar(block: Uint8Array): boolean {
  if (block.length < BLOCK) return false;
  let unsigned = 0;
  let signed = 0;
  for (let i = 0; i < BLOCK; i++) {
    const byte = i >= 148 && i < 156 ? 0x20 : block[i]!;
    unsigned += byte;
    signed += byte > 127 ? byte - 256 : byte;
  }
  if (block.every((byte) => byte === 0)) return true;
  const field = Buffer.from(block.subarray(148, 156)).toString('latin1').replace(/[\0 ]+/g, ' ').trim();
  if (!/^[0-7]+$/.test(field)) return false;
  const stored = parseInt(field, 8);
  return stored === unsigned || stored === signed;
}

async function readFirstBlock(path: string): Promise<Uint8Array> {
  const handle = await open(path, 'r');
  try {
    const buffer = new Uint8Array(BLOCK);
    const { bytesRead } = await handle.read(buffer, 0, BLOCK, 0);
    return buffer.subarray(0, bytesRead);
  } finally {
    await handle.close();
  }
}

export type PathKind = { kind: 'directory' } | { kind: 'tar' } | { kind: 'stream'; reason: 'pipe' | 'gzip' | 'zstd' };

/** Classifies a path on disk before anything is opened. */
export async function classifyPath(path: string, displayPath: string): Promise<PathKind> {
  let info;
  try {
    info = await stat(path);
  } catch (error) {
    throw new InputError(`${displayPath}: ${systemErrorText(error)}`, { code: 'E_OPEN', cause: error });
  }
  if (info.isDirectory()) return { kind: 'directory' };
  if (!info.isFile()) return { kind: 'stream', reason: 'pipe' };
  const head = await inspectHead(path, displayPath, true);
  return head === 'tar' ? { kind: 'tar' } : { kind: 'stream', reason: head };
}

/**
 * What the first block of a regular file says: a tar, or (when `allowCompressed`) gzip / zstd
 * input to decompress first. Everything else is an InputError naming `displayPath`.
 */
export async function inspectHead(path: string, displayPath: string, allowCompressed: boolean): Promise<'tar' | 'gzip' | 'zstd'> {
  const head = await readFirstBlock(path);
  if (head.length === 0) throw new InputError(`not a container image: ${displayPath} is empty`, { code: 'E_NOT_IMAGE' });
  const compression = sniffCompression(head);
  if ((compression === 'gzip' || compression === 'zstd') && allowCompressed) return compression;
  if (compression === 'bzip2' || compression === 'xz') {
    throw new InputError(`not a container image: ${displayPath} is ${compression}-compressed; decompress it first (imgslim reads gzip and zstd)`, {
      code: 'E_UNSUPPORTED_COMPRESSION',
    });
  }
  if (compression === 'unknown') {
    throw new InputError(`not a container image: ${displayPath} is compressed in a format imgslim does not read (it reads gzip and zstd)`, {
      code: 'E_UNSUPPORTED_COMPRESSION',
    });
  }
  if (compression !== 'none' || !looksLikeTar(head)) {
    throw new InputError(`not a container image: ${displayPath} is neither a tar archive nor an OCI image layout directory`, { code: 'E_NOT_IMAGE' });
  }
  return 'tar';
}

/** Indexes a tar; errors name the path the user gave, not a spool file. */
async function openTar(path: string, displayPath: string): Promise<TarContainer> {
  try {
    return await TarContainer.open(path, displayPath);
  } catch (error) {
    if (path === displayPath || !(error instanceof InputError)) throw error;
    throw new InputError(error.message.replaceAll(path, displayPath), { code: error.code, cause: error });
  }
}

function sample(names: string[]): string {
  const shown = names.slice(0, 5).join(', ');
  return names.length > 5 ? `${shown}, … (${names.length} entries)` : shown || 'nothing';
}

/** Opens the container and decides its format from the names it holds. */
export async function openContainer(path: string, displayPath: string, isDirectory: boolean): Promise<{ container: Container; format: SourceFormat }> {
  const container: Container = isDirectory ? new DirectoryContainer(path, displayPath) : await openTar(path, displayPath);
  const [layout, index, manifest, repositories] = await Promise.all(
    ['oci-layout', 'index.json', 'manifest.json', 'repositories'].map((name) => container.has(name)),
  );
  if (isDirectory && layout && index) return { container, format: 'oci-layout' };
  if (manifest) return { container, format: 'docker-archive' };
  if (layout && index) return { container, format: isDirectory ? 'oci-layout' : 'oci-archive' };
  if (repositories) {
    throw new InputError(
      `${displayPath}: a pre-Docker-1.10 save (a repositories file but no manifest.json); this legacy format is unsupported — re-save the image with Docker 1.10 or later`,
      { code: 'E_UNSUPPORTED' },
    );
  }
  const found = isDirectory ? await readdir(path) : (container as TarContainer).names();
  const what = isDirectory ? 'directory' : 'tar archive';
  if (found.length === 0) throw new InputError(`not a container image: ${displayPath} is an empty ${what}`, { code: 'E_NOT_IMAGE' });
  throw new InputError(`not a container image: ${displayPath} is a ${what} without manifest.json or oci-layout + index.json (found: ${sample(found)})`, {
    code: 'E_NOT_IMAGE',
  });
}

/**
 * Reading files and blobs out of a container: small JSON objects read whole (capped) and
 * checked against their descriptor, layers streamed through verifyStream.
 */
import { Digester, verifyStream } from '../archive/index.js';
import { blobPathOf, parseDigest, shortDigest, tryParseDigest, type Descriptor } from '../image/index.js';
import { InputError, IntegrityError } from '../shared/errors.js';
import type { Container, ContainerFile } from './container/types.js';

/** Index, manifest and config blobs are read whole; anything bigger than this is refused. */
export const JSON_SIZE_LIMIT = 4 * 1024 * 1024;

/** Reads a whole file of at most `limit` bytes. */
export async function readSmallFile(container: Container, file: ContainerFile, label: string, limit = JSON_SIZE_LIMIT): Promise<Uint8Array> {
  if (file.size > limit) {
    throw new InputError(`${label} is ${file.size} bytes, more than the ${limit}-byte limit for JSON metadata`, { code: 'E_TOO_LARGE' });
  }
  const bytes = new Uint8Array(file.size);
  let offset = 0;
  for await (const chunk of container.read(file, 0, file.size)) {
    bytes.set(chunk, offset);
    offset += chunk.length;
  }
  if (offset !== file.size) throw new InputError(`${label}: expected ${file.size} bytes, read ${offset}`, { code: 'E_TRUNCATED' });
  return bytes;
}

/** Reads a named file that must exist. */
export async function readRequiredFile(container: Container, name: string, label: string, limit = JSON_SIZE_LIMIT): Promise<Uint8Array> {
  const file = await container.stat(name);
  if (!file) throw new InputError(`${container.displayPath}: ${name} is missing`, { code: 'E_MISSING' });
  return readSmallFile(container, file, label, limit);
}

export function digestBytes(bytes: Uint8Array, algorithm: 'sha256' | 'sha512' = 'sha256'): string {
  const digester = new Digester(algorithm);
  digester.update(bytes);
  return digester.digest();
}

/** Throws IntegrityError when `bytes` do not have the descriptor's size and digest. */
export function verifyBytes(bytes: Uint8Array, descriptor: Pick<Descriptor, 'digest' | 'size'>, label: string): void {
  if (bytes.length !== descriptor.size) {
    throw new IntegrityError(`${label}: ${descriptor.digest} is ${bytes.length} bytes, but its descriptor says ${descriptor.size}`, {
      code: 'E_SIZE_MISMATCH',
    });
  }
  const actual = digestBytes(bytes, parseDigest(descriptor.digest, label).algorithm);
  if (actual !== descriptor.digest) {
    throw new IntegrityError(`${label}: content digest is ${actual}, but its descriptor says ${descriptor.digest}`, {
      code: 'E_DIGEST_MISMATCH',
    });
  }
}

/** The layout file holding a descriptor's blob, checked for presence and size. */
export async function statBlob(container: Container, descriptor: Descriptor, label: string): Promise<ContainerFile> {
  const digest = parseDigest(descriptor.digest, label);
  const file = await container.stat(blobPathOf(digest));
  if (!file) {
    throw new InputError(`${label}: blob ${shortDigest(descriptor.digest)} is missing from ${container.displayPath}`, { code: 'E_BLOB_MISSING' });
  }
  if (file.size !== descriptor.size) {
    throw new IntegrityError(`${label}: blob ${shortDigest(descriptor.digest)} is ${file.size} bytes, but its descriptor says ${descriptor.size}`, {
      code: 'E_SIZE_MISMATCH',
    });
  }
  return file;
}

/** Reads a descriptor's blob whole (capped) and verifies its size and digest. */
export async function readBlob(container: Container, descriptor: Descriptor, label: string, limit = JSON_SIZE_LIMIT): Promise<Uint8Array> {
  if (descriptor.size > limit) {
    throw new InputError(`${label} is ${descriptor.size} bytes, more than the ${limit}-byte limit for JSON metadata`, { code: 'E_TOO_LARGE' });
  }
  const bytes = await readSmallFile(container, await statBlob(container, descriptor, label), label, limit);
  verifyBytes(bytes, descriptor, label);
  return bytes;
}

/** Streams a file, verifying size and digest as it goes (IntegrityError at the end on mismatch). */
export function openVerified(container: Container, file: ContainerFile, descriptor: Pick<Descriptor, 'digest' | 'size'>, label: string) {
  return verifyStream(container.read(file, 0, file.size), { digest: descriptor.digest, size: descriptor.size }, label);
}

/** The first bytes of a file (for sniffing compression). */
export async function readHead(container: Container, file: ContainerFile, length: number): Promise<Uint8Array> {
  const parts: Uint8Array[] = [];
  let total = 0;
  for await (const chunk of container.read(file, 0, Math.min(length, file.size))) {
    parts.push(chunk);
    total += chunk.length;
  }
  return Buffer.concat(parts, total);
}

/** The digest a layout-style name states: `blobs/sha256/<hex>`, `<hex>.tar.gz`, `sha256:<hex>`. */
export function digestFromName(name: string): string | null {
  const parts = name.split('/');
  const base = parts[parts.length - 1] ?? '';
  if (parts.length >= 3 && parts[parts.length - 3] === 'blobs') {
    return tryParseDigest(`${parts[parts.length - 2]}:${base}`) ? `${parts[parts.length - 2]}:${base}` : null;
  }
  const match = /^(?:sha256:)?([0-9a-f]{64})(?:\.tar|\.tar\.gz|\.tgz|\.tar\.zst|\.tar\.zstd)?$/.exec(base);
  return match ? `sha256:${match[1]}` : null;
}

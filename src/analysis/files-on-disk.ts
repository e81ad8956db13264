/**
 * The per-binary analysis of ELF files on disk (`imgslim elf`): each file located (on the host,
 * or inside a root directory with symlinks followed inside it), sniffed, parsed, and described
 * as a Binary with its dependencies resolved by the root's own loader rules.
 */
import { existsSync, statSync } from 'node:fs';
import path from 'node:path';
import { createDirLookup, detectImageLibc, fileByteSource, isElf, parseElf, type FileLookup } from '../elf/index.js';
import type { Binary } from '../report/index.js';
import { InputError } from '../shared/errors.js';
import { describeBinary, type BinaryContext } from './binaries.js';

export interface DiskOptions {
  /** Absolute root directory dependencies resolve in; null resolves nothing. */
  root: string | null;
  env: string[];
  workingDir: string;
}

/** What every file of one `elf` run shares: the root's lookup and the libc it holds. */
export function diskContext(options: DiskOptions): BinaryContext {
  const lookup = options.root === null ? null : createDirLookup(options.root, parseElf);
  return { lookup, env: options.env, workingDir: options.workingDir, libcHint: lookup ? libcHintOf(lookup) : undefined };
}

/** Describes one file; with a root, `file` is a path inside the root, or a host path under it. */
export function describeFileOnDisk(file: string, cwd: string, root: string | null, context: BinaryContext): Binary {
  const { hostPath, imagePath } = locate(file, cwd, root, context.lookup);
  if (!existsSync(hostPath) || !statSync(hostPath).isFile()) throw new InputError(`${file}: not a regular file`);
  const source = fileByteSource(hostPath);
  try {
    const head = source.read(0, Math.min(64, source.size)) ?? new Uint8Array();
    if (!isElf(head)) throw new InputError(`${file}: not an ELF file`);
    const elf = parseElf(source);
    return describeBinary({ path: imagePath, size: source.size, layer: 0, digest: null }, elf, context).binary;
  } finally {
    source.close();
  }
}

function libcHintOf(lookup: FileLookup): 'glibc' | 'musl' | undefined {
  const libc = detectImageLibc(lookup);
  return libc.glibc ? 'glibc' : libc.musl ? 'musl' : undefined;
}

/** Host and image paths of FILE: a host path under the root, or a path inside the root (symlinks followed inside it). */
function locate(file: string, cwd: string, root: string | null, lookup: FileLookup | null): { hostPath: string; imagePath: string } {
  const hostCandidate = path.resolve(cwd, file);
  if (root === null || lookup === null) return { hostPath: hostCandidate, imagePath: hostCandidate };
  const imagePath =
    hostCandidate.startsWith(root + path.sep) && existsSync(hostCandidate)
      ? '/' + path.relative(root, hostCandidate).split(path.sep).join('/')
      : path.posix.resolve('/', file);
  const real = lookup.resolve(imagePath);
  if (!real) throw new InputError(`${file}: not found inside ${root}`);
  return { hostPath: path.join(root, real.path), imagePath: real.path };
}

/**
 * Opening one candidate file the way the loaders do. glibc's `open_verify` (elf/dl-load.c)
 * silently skips ELF files of another class or machine and keeps searching; anything else that
 * is not a loadable ELF object stops the load with an error. musl's `map_library` checks only
 * e_type, so the first file found is the one it uses.
 */
import type { ElfInfo, FileLookup } from '../types.js';
import { describeClass } from './_machine.js';

export type Probe =
  | { kind: 'missing' }
  | { kind: 'found'; path: string; chain: string[]; elf: ElfInfo }
  /** glibc: "incompatible ELF class/machine", the search continues. */
  | { kind: 'other-class'; path: string; chain: string[]; elf: ElfInfo }
  /** A file is there but cannot be loaded: the load fails here. */
  | { kind: 'unloadable'; path: string; chain: string[]; reason: string };

const ELFOSABI_SYSV = 0;
const ELFOSABI_GNU = 3;

/** Probes `candidate` for an object that `requester` (the loading process's ABI) can load. */
export function probe(lookup: FileLookup, candidate: string, requester: ElfInfo, loader: 'glibc' | 'musl'): Probe {
  const found = lookup.resolve(candidate);
  if (!found) return { kind: 'missing' };
  const { path, chain } = found;
  if (found.kind === 'directory') return { kind: 'unloadable', path, chain, reason: 'it is a directory (cannot read file data)' };
  if (found.kind !== 'file') return { kind: 'unloadable', path, chain, reason: 'it is not a regular file' };
  const elf = lookup.elf(path);
  if (!elf) return { kind: 'unloadable', path, chain, reason: 'it is not an ELF file (invalid ELF header)' };
  const mismatch = abiMismatch(elf, requester);
  if (mismatch) {
    if (loader === 'glibc' && mismatch === 'class') return { kind: 'other-class', path, chain, elf };
    if (loader === 'musl') return { kind: 'unloadable', path, chain, reason: `wrong class/machine: it is ${describeClass(elf)}, musl maps the first match and fails` };
    return { kind: 'unloadable', path, chain, reason: mismatch };
  }
  if (elf.type !== 'DYN' && elf.type !== 'EXEC') return { kind: 'unloadable', path, chain, reason: `it is ELF type ${elf.type} (only ET_DYN and ET_EXEC can be loaded)` };
  if (loader === 'glibc' && elf.osabi !== ELFOSABI_SYSV && elf.osabi !== ELFOSABI_GNU) {
    return { kind: 'unloadable', path, chain, reason: `its ELF OS ABI (${elf.osabiName}) is invalid for Linux` };
  }
  return { kind: 'found', path, chain, elf };
}

/**
 * 'class' when glibc would skip the file (other class or machine), a fatal reason when the byte
 * order differs (glibc: "ELF file data encoding not little-endian"), null when compatible.
 */
function abiMismatch(elf: ElfInfo, requester: ElfInfo): 'class' | string | null {
  if (elf.class !== requester.class) return 'class';
  if (elf.endian !== requester.endian) return `ELF file data encoding not ${requester.endian}-endian`;
  if (elf.machine !== requester.machine) return 'class';
  return null;
}

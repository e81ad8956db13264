/** The ELF file header (Elf32_Ehdr / Elf64_Ehdr). */
import { FieldReader } from './reader.js';

export const EHDR_SIZE_32 = 52;
export const EHDR_SIZE_64 = 64;

export interface ElfHeader {
  class: 32 | 64;
  endian: 'little' | 'big';
  osabi: number;
  abiVersion: number;
  type: number;
  machine: number;
  version: number;
  entry: bigint;
  phoff: bigint;
  shoff: bigint;
  flags: number;
  ehsize: number;
  phentsize: number;
  /** e_phnum as stored (0xFFFF = PN_XNUM). */
  phnum: number;
  shentsize: number;
  /** e_shnum as stored (0 with a non-zero e_shoff: the count is in section 0's sh_size). */
  shnum: number;
  /** e_shstrndx as stored (0xFFFF = SHN_XINDEX: the index is in section 0's sh_link). */
  shstrndx: number;
}

/** `\x7fELF` followed by a valid class (1|2) and data encoding (1|2). Needs 6 bytes. */
export function isElf(head: Uint8Array): boolean {
  return (
    head.length >= 6 &&
    head[0] === 0x7f &&
    head[1] === 0x45 &&
    head[2] === 0x4c &&
    head[3] === 0x46 &&
    (head[4] === 1 || head[4] === 2) &&
    (head[5] === 1 || head[5] === 2)
  );
}

/** Bytes the header needs for the class in `head[4]` (64 when unknown). */
export function headerSize(head: Uint8Array): number {
  return head[4] === 1 ? EHDR_SIZE_32 : EHDR_SIZE_64;
}

/** Decodes the file header, or null when `head` is not ELF or too short for its class. */
export function readElfHeader(head: Uint8Array): ElfHeader | null {
  if (!isElf(head) || head.length < headerSize(head)) return null;
  const is64 = head[4] === 2;
  const r = new FieldReader(is64, head[5] === 1);
  const w = is64 ? 8 : 4;
  const at = 24 + 3 * w; // e_flags follows e_entry, e_phoff, e_shoff
  return {
    class: is64 ? 64 : 32,
    endian: r.little ? 'little' : 'big',
    osabi: head[7] ?? 0,
    abiVersion: head[8] ?? 0,
    type: r.u16(head, 16),
    machine: r.u16(head, 18),
    version: r.u32(head, 20),
    entry: r.word(head, 24),
    phoff: r.word(head, 24 + w),
    shoff: r.word(head, 24 + 2 * w),
    flags: r.u32(head, at),
    ehsize: r.u16(head, at + 4),
    phentsize: r.u16(head, at + 6),
    phnum: r.u16(head, at + 8),
    shentsize: r.u16(head, at + 10),
    shnum: r.u16(head, at + 12),
    shstrndx: r.u16(head, at + 14),
  };
}

export function readerFor(header: ElfHeader): FieldReader {
  return new FieldReader(header.class === 64, header.endian === 'little');
}

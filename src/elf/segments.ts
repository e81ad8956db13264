/**
 * Program headers: what the kernel and the dynamic loader actually use. Reads the table
 * (PN_XNUM aware, capped), and maps virtual addresses to file offsets through PT_LOAD.
 */
import type { ElfHeader } from './header.js';
import { FieldReader, hex, inFile, toSafe } from './reader.js';
import type { ByteSource, ElfSegment } from './types.js';

export const PT_LOAD = 1;
export const PT_DYNAMIC = 2;
export const PT_INTERP = 3;
export const PT_NOTE = 4;
export const PT_TLS = 7;
export const PT_GNU_STACK = 0x6474e551;
export const PT_GNU_RELRO = 0x6474e552;
export const PF_X = 1;
export const PF_W = 2;
export const PF_R = 4;

/** More program headers than this are not read (Linux refuses tables over 64 KiB: ~1170 entries). */
export const MAX_PROGRAM_HEADERS = 4096;
const PN_XNUM = 0xffff;

export interface RawSegment {
  type: number;
  flags: number;
  offset: bigint;
  vaddr: bigint;
  filesz: bigint;
  memsz: bigint;
  align: bigint;
}

export interface ProgramHeaders {
  /** The real count (PN_XNUM resolved). */
  count: number;
  segments: RawSegment[];
}

/** Section 0's header fields that extend the ELF header (PN_XNUM, large e_shnum/e_shstrndx). */
export interface SectionZero {
  size: bigint;
  link: number;
  info: number;
}

export function readSectionZero(source: ByteSource, header: ElfHeader, r: FieldReader): SectionZero | null {
  const min = r.is64 ? 64 : 40;
  if (header.shoff === 0n || header.shentsize < min || !inFile(header.shoff, BigInt(min), source.size)) return null;
  const bytes = source.read(Number(header.shoff), min);
  if (!bytes) return null;
  const w = r.wordSize;
  return { size: r.word(bytes, 16 + 2 * w), link: r.u32(bytes, 16 + 3 * w), info: r.u32(bytes, 20 + 3 * w) };
}

export function readProgramHeaders(
  source: ByteSource,
  header: ElfHeader,
  r: FieldReader,
  diagnostics: string[],
  sectionZero: SectionZero | null,
): ProgramHeaders {
  let count = header.phnum;
  if (count === PN_XNUM) {
    if (sectionZero) count = sectionZero.info;
    else {
      diagnostics.push('e_phnum is PN_XNUM but section header 0 is unreadable: no program headers read');
      return { count: 0, segments: [] };
    }
  }
  if (count === 0) return { count: 0, segments: [] };
  const entrySize = r.is64 ? 56 : 32;
  if (header.phentsize < entrySize) {
    diagnostics.push(`program header table out of bounds: e_phentsize ${header.phentsize} is smaller than ${entrySize}`);
    return { count, segments: [] };
  }
  const tableSize = BigInt(count) * BigInt(header.phentsize);
  if (!inFile(header.phoff, tableSize, source.size)) {
    diagnostics.push(
      `program header table out of bounds: ${count} entries of ${header.phentsize} bytes at ${hex(header.phoff)} in a ${source.size}-byte file`,
    );
    return { count, segments: [] };
  }
  const kept = Math.min(count, MAX_PROGRAM_HEADERS);
  if (kept < count) diagnostics.push(`${count} program headers: only the first ${kept} were read`);
  const bytes = source.read(Number(header.phoff), kept * header.phentsize);
  if (!bytes) {
    diagnostics.push('program header table is not available');
    return { count, segments: [] };
  }
  const segments: RawSegment[] = [];
  for (let i = 0; i < kept; i++) segments.push(decodeSegment(bytes, i * header.phentsize, r));
  return { count, segments };
}

function decodeSegment(b: Uint8Array, at: number, r: FieldReader): RawSegment {
  if (r.is64) {
    return {
      type: r.u32(b, at),
      flags: r.u32(b, at + 4),
      offset: r.u64(b, at + 8),
      vaddr: r.u64(b, at + 16),
      filesz: r.u64(b, at + 32),
      memsz: r.u64(b, at + 40),
      align: r.u64(b, at + 48),
    };
  }
  return {
    type: r.u32(b, at),
    offset: BigInt(r.u32(b, at + 4)),
    vaddr: BigInt(r.u32(b, at + 8)),
    filesz: BigInt(r.u32(b, at + 16)),
    memsz: BigInt(r.u32(b, at + 20)),
    flags: r.u32(b, at + 24),
    align: BigInt(r.u32(b, at + 28)),
  };
}

/** Public shape (numbers; values beyond 2^53 lose precision, see docs/decisions/elf.md). */
export function toElfSegment(s: RawSegment): ElfSegment {
  return {
    type: s.type,
    flags: s.flags,
    offset: Number(s.offset),
    vaddr: Number(s.vaddr),
    filesz: Number(s.filesz),
    memsz: Number(s.memsz),
    align: Number(s.align),
  };
}

/**
 * File offset of virtual address `addr`, when [addr, addr+length) lies inside the file-backed
 * part of one PT_LOAD (as the loader maps it); null otherwise.
 */
export function addressToOffset(segments: readonly RawSegment[], addr: bigint, length = 1n): number | null {
  for (const s of segments) {
    if (s.type !== PT_LOAD || addr < s.vaddr || addr + length > s.vaddr + s.filesz) continue;
    return toSafe(s.offset + (addr - s.vaddr));
  }
  return null;
}

/**
 * The file-backed bytes from `addr` to the end of its PT_LOAD: [offset, offset+length), or null
 * when `addr` is not file-backed.
 */
export function loadRangeAt(segments: readonly RawSegment[], addr: bigint): { offset: number; length: number } | null {
  for (const s of segments) {
    if (s.type !== PT_LOAD || addr < s.vaddr || addr >= s.vaddr + s.filesz) continue;
    const offset = toSafe(s.offset + (addr - s.vaddr));
    const length = toSafe(s.vaddr + s.filesz - addr);
    return offset === null || length === null ? null : { offset, length };
  }
  return null;
}

/** [offset, offset+filesz) of a segment clamped to the file, or null when it starts past EOF. */
export function fileRange(s: RawSegment, size: number): { offset: number; length: number } | null {
  const offset = toSafe(s.offset);
  const filesz = toSafe(s.filesz);
  if (offset === null || filesz === null || offset >= size) return null;
  return { offset, length: Math.min(filesz, size - offset) };
}

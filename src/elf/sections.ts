/**
 * Section headers, where present. The loader never needs them; they add facts (.symtab,
 * .comment, notes, .go.buildinfo, NOBITS-backed segments of separate debug files).
 */
import type { ElfHeader } from './header.js';
import { FieldReader, hex, inFile, toSafe } from './reader.js';
import type { SectionZero } from './segments.js';
import type { ByteSource } from './types.js';

export const SHT_PROGBITS = 1;
export const SHT_SYMTAB = 2;
export const SHT_STRTAB = 3;
export const SHT_DYNAMIC = 6;
export const SHT_NOTE = 7;
export const SHT_NOBITS = 8;
export const SHT_DYNSYM = 11;
export const SHF_ALLOC = 2n;

/** More section headers than this are not read. */
export const MAX_SECTIONS = 65536;
const MAX_SHSTRTAB = 4 << 20;

export interface RawSection {
  index: number;
  name: string;
  type: number;
  flags: bigint;
  addr: bigint;
  offset: bigint;
  size: bigint;
  link: number;
  info: number;
  addralign: bigint;
  entsize: bigint;
}

export function readSections(
  source: ByteSource,
  header: ElfHeader,
  r: FieldReader,
  diagnostics: string[],
  sectionZero: SectionZero | null,
): RawSection[] {
  if (header.shoff === 0n) return [];
  const entrySize = r.is64 ? 64 : 40;
  if (header.shentsize < entrySize) {
    diagnostics.push(`section headers ignored: e_shentsize ${header.shentsize} is smaller than ${entrySize}`);
    return [];
  }
  let count = header.shnum;
  if (count === 0) {
    const real = sectionZero ? toSafe(sectionZero.size) : null;
    if (real === null || real === 0) return [];
    count = real;
  }
  if (!inFile(header.shoff, BigInt(count) * BigInt(header.shentsize), source.size)) {
    diagnostics.push(
      `section header table out of bounds: ${count} entries of ${header.shentsize} bytes at ${hex(header.shoff)} in a ${source.size}-byte file`,
    );
    return [];
  }
  const kept = Math.min(count, MAX_SECTIONS);
  if (kept < count) diagnostics.push(`${count} section headers: only the first ${kept} were read`);
  const bytes = source.read(Number(header.shoff), kept * header.shentsize);
  if (!bytes) {
    diagnostics.push('section header table is not available');
    return [];
  }
  const sections: RawSection[] = [];
  const nameOffsets: number[] = [];
  for (let i = 0; i < kept; i++) {
    const at = i * header.shentsize;
    nameOffsets.push(r.u32(bytes, at));
    sections.push(decodeSection(bytes, at, i, r));
  }
  nameSections(source, header, sections, nameOffsets, sectionZero, diagnostics);
  return sections;
}

function decodeSection(b: Uint8Array, at: number, index: number, r: FieldReader): RawSection {
  const w = r.wordSize;
  return {
    index,
    name: '',
    type: r.u32(b, at + 4),
    flags: r.word(b, at + 8),
    addr: r.word(b, at + 8 + w),
    offset: r.word(b, at + 8 + 2 * w),
    size: r.word(b, at + 8 + 3 * w),
    link: r.u32(b, at + 8 + 4 * w),
    info: r.u32(b, at + 12 + 4 * w),
    addralign: r.word(b, at + 16 + 4 * w),
    entsize: r.word(b, at + 16 + 5 * w),
  };
}

function nameSections(
  source: ByteSource,
  header: ElfHeader,
  sections: RawSection[],
  nameOffsets: number[],
  sectionZero: SectionZero | null,
  diagnostics: string[],
): void {
  const index = header.shstrndx === 0xffff ? (sectionZero?.link ?? 0) : header.shstrndx;
  if (index === 0) return; // SHN_UNDEF: no section names
  const table = sections[index];
  if (!table) {
    diagnostics.push(`section name string table index ${index} is out of range`);
    return;
  }
  const strings = sectionBytes(source, table, MAX_SHSTRTAB);
  if (!strings) {
    diagnostics.push(`section name string table [${index}] is out of bounds`);
    return;
  }
  const decoder = new TextDecoder('latin1');
  for (const section of sections) {
    const start = nameOffsets[section.index] ?? 0;
    if (start >= strings.length) continue;
    let end = strings.indexOf(0, start);
    if (end < 0) end = strings.length;
    section.name = decoder.decode(strings.subarray(start, end));
  }
}

/** A section's file bytes (at most `cap`), or undefined for NOBITS or out-of-bounds sections. */
export function sectionBytes(source: ByteSource, section: RawSection, cap: number): Uint8Array | undefined {
  if (section.type === SHT_NOBITS) return undefined;
  const offset = toSafe(section.offset);
  const size = toSafe(section.size);
  if (offset === null || size === null || offset + size > source.size) return undefined;
  return source.read(offset, Math.min(size, cap));
}

const SHF_TLS = 0x400n;

/**
 * The allocated, non-TLS section that starts exactly at `addr` and satisfies `predicate` (how
 * .interp/.dynamic back PT_INTERP/PT_DYNAMIC). TLS NOBITS sections (.tbss) occupy no address
 * space and are never the backing of a segment.
 */
export function sectionAt(sections: readonly RawSection[], addr: bigint, predicate: (s: RawSection) => boolean): RawSection | undefined {
  return sections.find((s) => (s.flags & SHF_ALLOC) !== 0n && (s.flags & SHF_TLS) === 0n && s.size > 0n && s.addr === addr && predicate(s));
}

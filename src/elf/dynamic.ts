/**
 * The dynamic segment as the loader reads it: PT_DYNAMIC entries up to DT_NULL, strings via
 * DT_STRTAB mapped through PT_LOAD. Unknown tags (Android, Solaris DT_SUNW_*…) are skipped.
 */
import { FieldReader, toSafe } from './reader.js';
import { SHT_DYNAMIC, SHT_NOBITS, SHT_STRTAB, sectionAt, type RawSection } from './sections.js';
import { fileRange, loadRangeAt, type RawSegment } from './segments.js';
import { StringTable } from './strings.js';
import type { ByteSource } from './types.js';

export const DT = {
  NULL: 0,
  NEEDED: 1,
  HASH: 4,
  STRTAB: 5,
  SYMTAB: 6,
  STRSZ: 10,
  SYMENT: 11,
  SONAME: 14,
  RPATH: 15,
  DEBUG: 21,
  TEXTREL: 22,
  BIND_NOW: 24,
  RUNPATH: 29,
  FLAGS: 30,
  GNU_HASH: 0x6ffffef5,
  VERSYM: 0x6ffffff0,
  FLAGS_1: 0x6ffffffb,
  VERDEF: 0x6ffffffc,
  VERDEFNUM: 0x6ffffffd,
  VERNEED: 0x6ffffffe,
  VERNEEDNUM: 0x6fffffff,
} as const;

export const DF_TEXTREL = 0x4;
export const DF_BIND_NOW = 0x8;
export const DF_1_NOW = 0x1;
export const DF_1_PIE = 0x08000000;

const MAX_ENTRIES = 65536;

export interface DynamicEntry {
  tag: number;
  value: bigint;
}

/** The SHT_NOBITS section PT_DYNAMIC points into (a separate debug file), if any. */
export function nobitsBacking(dynamic: RawSegment, sections: readonly RawSection[]): RawSection | undefined {
  const backing = sectionAt(sections, dynamic.vaddr, (s) => s.type === SHT_DYNAMIC || s.type === SHT_NOBITS);
  return backing?.type === SHT_NOBITS ? backing : undefined;
}

/** Reads PT_DYNAMIC's entries up to DT_NULL; null (with a diagnostic) when the segment is unusable. */
export function readDynamicEntries(source: ByteSource, dynamic: RawSegment, r: FieldReader, diagnostics: string[]): DynamicEntry[] | null {
  const range = fileRange(dynamic, source.size);
  if (!range || range.length === 0) {
    diagnostics.push(dynamic.filesz === 0n ? 'PT_DYNAMIC is empty' : 'PT_DYNAMIC lies outside the file');
    return null;
  }
  const entrySize = r.wordSize * 2;
  const count = Math.min(Math.floor(range.length / entrySize), MAX_ENTRIES);
  const bytes = source.read(range.offset, count * entrySize);
  if (!bytes) {
    diagnostics.push('PT_DYNAMIC bytes are not available');
    return null;
  }
  const entries: DynamicEntry[] = [];
  for (let i = 0; i < count; i++) {
    const at = i * entrySize;
    const tag = Number(r.signedWord(bytes, at));
    if (tag === DT.NULL) return entries;
    entries.push({ tag, value: r.word(bytes, at + r.wordSize) });
  }
  diagnostics.push('dynamic section has no DT_NULL terminator');
  return entries;
}

/** The last value of each tag: what ld.so keeps for tags that are not lists. */
export function lastValues(entries: readonly DynamicEntry[]): Map<number, bigint> {
  const last = new Map<number, bigint>();
  for (const entry of entries) last.set(entry.tag, entry.value);
  return last;
}

/** The DT_STRTAB string table (loader view), sized by DT_STRSZ or the rest of its PT_LOAD. */
export function loaderStringTable(source: ByteSource, last: Map<number, bigint>, segments: readonly RawSegment[]): StringTable | null {
  const addr = last.get(DT.STRTAB);
  if (addr === undefined) return null;
  const range = loadRangeAt(segments, addr);
  if (!range) return null;
  const declared = last.get(DT.STRSZ);
  const size = declared === undefined ? range.length : Math.min(toSafe(declared) ?? range.length, range.length);
  return new StringTable(source, range.offset, size);
}

/** The string table `.dynamic`'s sh_link names (the section view), if it is a usable STRTAB. */
export function linkedStringTable(source: ByteSource, sections: readonly RawSection[]): StringTable | null {
  const dynamicSection = sections.find((s) => s.type === SHT_DYNAMIC);
  const table = dynamicSection ? sections[dynamicSection.link] : undefined;
  if (!table || table.type !== SHT_STRTAB || table === dynamicSection) return null;
  const offset = toSafe(table.offset);
  const size = toSafe(table.size);
  if (offset === null || size === null || offset + size > source.size) return null;
  return new StringTable(source, offset, size);
}

/** True when every DT_NEEDED/DT_SONAME name reads as a non-empty string from `table`. */
export function namesReadable(entries: readonly DynamicEntry[], table: StringTable | null): boolean {
  if (!table) return false;
  return entries.every((e) => (e.tag !== DT.NEEDED && e.tag !== DT.SONAME) || !!table.get(toSafe(e.value) ?? -1));
}

/**
 * What the streaming collector keeps of a file bigger than its whole-retain limit, derived step
 * by step from the headers as they arrive, and where it scans for needles.
 */
import { DT, lastValues, readDynamicEntries } from './dynamic.js';
import { readerFor, type ElfHeader } from './header.js';
import { MAX_NOTE_BYTES } from './notes.js';
import {
  CANARY_NEEDLES,
  COMMENT_NEEDLES,
  GO_NEEDLES,
  GO_PACKAGE_NEEDLES,
  SHSTRTAB_NEEDLES,
  VDSO_NEEDLES,
  vdsoNeedles,
  type FileRange,
} from './patterns.js';
import { toSafe } from './reader.js';
import type { ScanGroup } from './region-scan.js';
import { MAX_SECTIONS } from './sections.js';
import {
  MAX_PROGRAM_HEADERS,
  PF_W,
  PF_X,
  PT_DYNAMIC,
  PT_INTERP,
  PT_LOAD,
  PT_NOTE,
  fileRange,
  loadRangeAt,
  type RawSegment,
} from './segments.js';
import type { ByteSource } from './types.js';
import { vdsoSearchRanges } from './vdso.js';

/** [start, end) file offsets to keep. */
export type Want = [number, number];

export const HEAD = 64 << 10;
/** Cap on everything kept of one file. */
export const BUDGET = 64 << 20;
const TABLE_WINDOW = 16 << 20;
const TAIL_WINDOW = 64 << 10;
const POST_LOAD_WINDOW = 64 << 10;
const VERSION_WINDOW = 256 << 10;
const DYNAMIC_CAP = 1 << 20;
/** Small non-executable PT_LOADs are kept whole: patchelf moves grown .dynsym/.dynstr into new ones. */
const SMALL_LOAD = 4 << 20;

/** From the ELF header: the program and section header tables, and the bytes before the latter. */
export function headerWants(header: ElfHeader, size: number): { wants: Want[]; phEnd: number; late: boolean } {
  const wants: Want[] = [];
  const phoff = toSafe(header.phoff);
  const entries = header.phnum === 0xffff ? MAX_PROGRAM_HEADERS : Math.min(header.phnum, MAX_PROGRAM_HEADERS);
  const phEnd = phoff === null ? 0 : Math.min(size, phoff + entries * header.phentsize);
  if (phoff !== null && phEnd > phoff) wants.push([phoff, phEnd]);
  const late = header.phnum === 0xffff || (entries > 0 && (phoff === null || phEnd > HEAD));
  // With the table after what it describes, the likely dynamic-tables segment starts the file.
  if (late) wants.push([0, TABLE_WINDOW]);
  const shoff = toSafe(header.shoff);
  if (shoff !== null && shoff > 0) {
    const count = header.shnum === 0 ? MAX_SECTIONS : header.shnum;
    wants.push([shoff, shoff + count * header.shentsize], [shoff - TAIL_WINDOW, shoff]);
  }
  return { wants, phEnd, late };
}

/** From the program headers: PT_INTERP, PT_DYNAMIC, PT_NOTEs, the table segment, post-load windows. */
export function segmentWants(segments: readonly RawSegment[], size: number): Want[] {
  const wants: Want[] = [];
  const caps: Record<number, number> = { [PT_INTERP]: 4096, [PT_DYNAMIC]: DYNAMIC_CAP, [PT_NOTE]: MAX_NOTE_BYTES };
  for (const s of segments) {
    const cap = caps[s.type];
    const range = cap === undefined ? null : fileRange(s, size);
    if (range && cap !== undefined) wants.push([range.offset, range.offset + Math.min(range.length, cap)]);
  }
  const loads = segments.filter((s) => s.type === PT_LOAD && s.filesz > 0n);
  const tables = loads.find((s) => (s.flags & (PF_W | PF_X)) === 0) ?? loads[0];
  const tablesRange = tables ? fileRange(tables, size) : null;
  if (tablesRange) wants.push([tablesRange.offset, tablesRange.offset + Math.min(tablesRange.length, TABLE_WINDOW)]);
  for (const s of loads) {
    const range = (s.flags & PF_X) === 0 ? fileRange(s, size) : null;
    if (range && range.length <= SMALL_LOAD) wants.push([range.offset, range.offset + range.length]);
  }
  // Non-allocated sections (.comment first, usually) start where a PT_LOAD's bytes end.
  for (const end of loadEnds(segments, size)) wants.push([end, end + POST_LOAD_WINDOW]);
  return wants;
}

function loadEnds(segments: readonly RawSegment[], size: number): number[] {
  return segments
    .filter((s) => s.type === PT_LOAD && s.filesz > 0n)
    .map((s) => fileRange(s, size))
    .map((r) => (r ? r.offset + r.length : 0));
}

/** From PT_DYNAMIC once it has arrived: the string, symbol, hash and version tables; 'pending' before. */
export function dynamicWants(source: ByteSource, header: ElfHeader, segments: readonly RawSegment[], position: number): Want[] | 'pending' {
  const dynamic = segments.find((s) => s.type === PT_DYNAMIC);
  const range = dynamic ? fileRange(dynamic, source.size) : null;
  if (!dynamic || !range) return [];
  if (position < range.offset + Math.min(range.length, DYNAMIC_CAP) && position < source.size) return 'pending';
  const entries = readDynamicEntries(source, dynamic, readerFor(header), []);
  if (!entries) return [];
  const last = lastValues(entries);
  const sizes: Array<[number, number]> = [
    [DT.STRTAB, toSafe(last.get(DT.STRSZ) ?? 0n) || TABLE_WINDOW],
    [DT.SYMTAB, TABLE_WINDOW],
    [DT.HASH, TABLE_WINDOW],
    [DT.GNU_HASH, TABLE_WINDOW],
    [DT.VERSYM, TABLE_WINDOW],
    [DT.VERNEED, VERSION_WINDOW],
    [DT.VERDEF, VERSION_WINDOW],
  ];
  const wants: Want[] = [];
  for (const [tag, cap] of sizes) {
    const addr = last.get(tag);
    const at = addr === undefined ? null : loadRangeAt(segments, addr);
    if (at) wants.push([at.offset, at.offset + Math.min(at.length, cap)]);
  }
  return wants;
}

/**
 * Where the collector scans: the ranges parseElf searches (vDSO names and Go package names in
 * non-executable loaded data, Go build info in writable data, stack-protector names in non-allocated bytes), plus
 * .shstrtab/.comment finders there. With no program headers known, everything, for every needle.
 */
export function scanGroups(segments: readonly RawSegment[] | null, size: number, header: ElfHeader | null): ScanGroup[] {
  const finders = [...SHSTRTAB_NEEDLES, ...COMMENT_NEEDLES];
  const all = { offset: 0, length: size };
  if (!segments) return [{ needles: [...VDSO_NEEDLES, ...GO_PACKAGE_NEEDLES, ...GO_NEEDLES, ...CANARY_NEEDLES, ...finders], ranges: [all] }];
  const loadable = header?.type === 2 || header?.type === 3;
  const groups: ScanGroup[] = [];
  if (loadable) {
    groups.push({ needles: [...vdsoNeedles(header?.machine ?? 0), ...GO_PACKAGE_NEEDLES], ranges: vdsoSearchRanges(segments, size) });
    const writable = segments.filter((s) => s.type === PT_LOAD && (s.flags & (PF_X | PF_W)) === PF_W);
    groups.push({ needles: GO_NEEDLES, ranges: writable.map((s) => fileRange(s, size)).filter((r): r is FileRange => r !== null) });
  }
  const static_ = !segments.some((s) => s.type === PT_INTERP);
  groups.push({ needles: static_ ? [...finders, ...CANARY_NEEDLES] : finders, ranges: unloadedRanges(segments, size) });
  return groups;
}

/** The file bytes no PT_LOAD maps (after the headers): where non-allocated sections live. */
export function unloadedRanges(segments: readonly RawSegment[], size: number): FileRange[] {
  const loaded = segments
    .filter((s) => s.type === PT_LOAD && s.filesz > 0n)
    .map((s) => fileRange(s, size))
    .filter((r): r is FileRange => r !== null)
    .sort((a, b) => a.offset - b.offset);
  const ranges: FileRange[] = [];
  let at = 0;
  for (const r of loaded) {
    if (r.offset > at) ranges.push({ offset: at, length: r.offset - at });
    at = Math.max(at, r.offset + r.length);
  }
  if (at < size) ranges.push({ offset: at, length: size - at });
  return ranges;
}

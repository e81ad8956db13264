/**
 * Dynamic symbols through DT_SYMTAB. The count comes from the .dynsym section when it matches,
 * else DT_HASH's nchain, else a DT_GNU_HASH walk. Yields imports (undefined names, with their
 * GNU version) and the number of exports.
 */
import { DT } from './dynamic.js';
import { FieldReader, toSafe } from './reader.js';
import { SHT_DYNSYM, type RawSection } from './sections.js';
import { addressToOffset, loadRangeAt, type RawSegment } from './segments.js';
import type { StringTable } from './strings.js';
import type { ByteSource, ImportedSymbol, VersionNeed } from './types.js';

const MAX_SYMBOLS = 4_000_000;
const MAX_BUCKETS = 1 << 24;
const STB_WEAK = 2;
const STB_GLOBAL = 1;
const STB_GNU_UNIQUE = 10;
const STT_SECTION = 3;
const STT_FILE = 4;

export interface SymbolContext {
  source: ByteSource;
  r: FieldReader;
  machine: number;
  segments: readonly RawSegment[];
  sections: readonly RawSection[];
  last: Map<number, bigint>;
  strings: StringTable | null;
  verneed: readonly VersionNeed[];
  diagnostics: string[];
  /** Decode only the imported names that start with one of these (ParseOptions.importPrefixes). */
  importPrefixes?: readonly string[] | undefined;
}

export interface DynamicSymbols {
  /** The imported names, each once (only those with an importPrefixes prefix when it is given). */
  imports: ImportedSymbol[];
  /** Distinct imported names, decoded or not (an undecoded name counts once per string-table offset). */
  importCount: number;
  exportCount: number;
}

/** Number of entries in the dynamic symbol table, or null when it cannot be determined. */
export function dynamicSymbolCount(ctx: SymbolContext, symtab: bigint, entrySize: number): number | null {
  const section = ctx.sections.find((s) => s.type === SHT_DYNSYM && s.addr === symtab && s.size > 0n);
  if (section) return toSafe(section.size / BigInt(entrySize));
  const hash = ctx.last.get(DT.HASH);
  if (hash !== undefined) {
    const wide = (ctx.machine === 22 && ctx.r.is64) || ctx.machine === 41 || ctx.machine === 0x9026; // 64-bit hash words
    const at = addressToOffset(ctx.segments, hash, wide ? 16n : 8n);
    const words = at === null ? undefined : ctx.source.read(at, wide ? 16 : 8);
    if (words) return wide ? toSafe(ctx.r.u64(words, 8)) : ctx.r.u32(words, 4);
  }
  const gnuHash = ctx.last.get(DT.GNU_HASH);
  if (gnuHash !== undefined) return gnuHashCount(ctx, gnuHash);
  return null;
}

function gnuHashCount(ctx: SymbolContext, addr: bigint): number | null {
  const range = loadRangeAt(ctx.segments, addr);
  const head = range && range.length >= 16 ? ctx.source.read(range.offset, 16) : undefined;
  if (!range || !head) return null;
  const { r } = ctx;
  const nbuckets = r.u32(head, 0);
  const symoffset = r.u32(head, 4);
  const bloomWords = r.u32(head, 8);
  if (nbuckets === 0 || nbuckets > MAX_BUCKETS || bloomWords > MAX_BUCKETS) {
    ctx.diagnostics.push('DT_GNU_HASH header is out of range');
    return null;
  }
  const bucketsAt = 16 + bloomWords * r.wordSize;
  if (bucketsAt + nbuckets * 4 > range.length) return null;
  const buckets = ctx.source.read(range.offset + bucketsAt, nbuckets * 4);
  if (!buckets) return null;
  let max = 0;
  for (let i = 0; i < nbuckets; i++) max = Math.max(max, r.u32(buckets, i * 4));
  if (max < symoffset) return symoffset;
  const chainsAt = bucketsAt + nbuckets * 4;
  for (let index = max; index < MAX_SYMBOLS; index++) {
    const at = chainsAt + (index - symoffset) * 4;
    if (at + 4 > range.length) return null;
    const word = ctx.source.read(range.offset + at, 4);
    if (!word) return null;
    if (r.u32(word, 0) & 1) return index + 1;
  }
  return null;
}

export function readDynamicSymbols(ctx: SymbolContext): DynamicSymbols {
  const none: DynamicSymbols = { imports: [], importCount: 0, exportCount: 0 };
  const symtab = ctx.last.get(DT.SYMTAB);
  if (symtab === undefined) return none;
  const { r } = ctx;
  const minSize = r.is64 ? 24 : 16;
  const entrySize = Math.max(toSafe(ctx.last.get(DT.SYMENT) ?? BigInt(minSize)) ?? minSize, minSize);
  const counted = dynamicSymbolCount(ctx, symtab, entrySize);
  const range = loadRangeAt(ctx.segments, symtab);
  if (counted === null || !range) {
    ctx.diagnostics.push(counted === null ? 'dynamic symbol count is unknown (no usable .dynsym, DT_HASH or DT_GNU_HASH)' : 'DT_SYMTAB is not in the file');
    return none;
  }
  const count = Math.min(counted, Math.floor(range.length / entrySize), MAX_SYMBOLS);
  if (count < counted) ctx.diagnostics.push(`dynamic symbol table holds ${counted} entries but only ${count} are in the file`);
  const table = ctx.source.read(range.offset, count * entrySize);
  if (!table) {
    ctx.diagnostics.push('dynamic symbol table bytes are not available');
    return none;
  }
  const versions = versionNames(ctx, count);
  const imports: ImportedSymbol[] = [];
  const seen = new Set<string>();
  const { strings, importPrefixes } = ctx;
  /** String-table offsets of the names left undecoded. */
  const skipped = importPrefixes ? new Set<number>() : null;
  let exportCount = 0;
  for (let i = 1; i < count; i++) {
    const at = i * entrySize;
    const info = r.is64 ? r.u8(table, at + 4) : r.u8(table, at + 12);
    const shndx = r.is64 ? r.u16(table, at + 6) : r.u16(table, at + 14);
    const bind = info >> 4;
    const type = info & 0xf;
    if (shndx !== 0) {
      if ((bind === STB_GLOBAL || bind === STB_WEAK || bind === STB_GNU_UNIQUE) && type !== STT_SECTION && type !== STT_FILE) exportCount++;
      continue;
    }
    if (bind !== STB_GLOBAL && bind !== STB_WEAK) continue;
    const nameAt = r.u32(table, at);
    if (skipped && strings && !importPrefixes!.some((prefix) => strings.startsWith(nameAt, prefix))) {
      if (nameAt !== 0 && nameAt < strings.size) skipped.add(nameAt);
      continue;
    }
    const name = strings?.get(nameAt) ?? '';
    if (!name || seen.has(name)) continue;
    seen.add(name);
    const version = versions?.(i) ?? null;
    imports.push({ name, weak: bind === STB_WEAK, version: version?.name ?? null, library: version?.file ?? null });
  }
  return { imports, importCount: imports.length + (skipped?.size ?? 0), exportCount };
}

/** Maps a symbol index to its needed version (via DT_VERSYM and vna_other), when versioned. */
function versionNames(ctx: SymbolContext, count: number): ((index: number) => { name: string; file: string } | null) | null {
  const addr = ctx.last.get(DT.VERSYM);
  if (addr === undefined || ctx.verneed.length === 0) return null;
  const at = addressToOffset(ctx.segments, addr, BigInt(count * 2));
  const versym = at === null ? undefined : ctx.source.read(at, count * 2);
  if (!versym) return null;
  const byIndex = new Map<number, { name: string; file: string }>();
  for (const need of ctx.verneed) for (const v of need.versions) byIndex.set(v.other & 0x7fff, { name: v.name, file: need.file });
  return (index) => byIndex.get(ctx.r.u16(versym, index * 2) & 0x7fff) ?? null;
}

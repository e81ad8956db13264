/**
 * ElfDynamic plus dynamic symbols from PT_DYNAMIC. String policy: names come from DT_STRTAB
 * mapped through PT_LOAD (what ld.so reads). Only when that gives an empty or unreadable
 * DT_NEEDED/DT_SONAME name, and the string table `.dynamic`'s sh_link names reads them all,
 * is the section view used instead (with a diagnostic).
 */
import {
  DF_1_NOW,
  DF_BIND_NOW,
  DF_TEXTREL,
  DT,
  lastValues,
  linkedStringTable,
  loaderStringTable,
  namesReadable,
  nobitsBacking,
  readDynamicEntries,
  type DynamicEntry,
} from './dynamic.js';
import { readDynamicSymbols } from './dynsym.js';
import { FieldReader, toSafe } from './reader.js';
import type { RawSection } from './sections.js';
import type { RawSegment } from './segments.js';
import type { StringTable } from './strings.js';
import type { ByteSource, ElfDynamic, ImportedSymbol } from './types.js';
import { readVersionDefs, readVersionNeeds } from './versions.js';

export interface DynamicContext {
  source: ByteSource;
  r: FieldReader;
  machine: number;
  segments: readonly RawSegment[];
  sections: readonly RawSection[];
  diagnostics: string[];
  importPrefixes?: readonly string[] | undefined;
}

export interface DynamicInfo {
  dynamic: ElfDynamic | null;
  imports: ImportedSymbol[];
  importCount: number;
  exportCount: number;
  /** PT_DYNAMIC points at SHT_NOBITS bytes (separate debug file). */
  nobits: boolean;
}

export function readDynamicInfo(ctx: DynamicContext, segment: RawSegment): DynamicInfo {
  const { source, diagnostics } = ctx;
  const none: DynamicInfo = { dynamic: null, imports: [], importCount: 0, exportCount: 0, nobits: false };
  const backing = nobitsBacking(segment, ctx.sections);
  if (backing) {
    diagnostics.push(`PT_DYNAMIC is backed by SHT_NOBITS section ${backing.name || `[${backing.index}]`} (separate debug file): no dynamic entries`);
    return { ...none, nobits: true };
  }
  const entries = readDynamicEntries(source, segment, ctx.r, diagnostics);
  if (!entries) return none;
  const last = lastValues(entries);
  const strings = chooseStrings(ctx, entries, last);
  const text = (entry: DynamicEntry, what: string): string | null => {
    const value = strings?.get(toSafe(entry.value) ?? -1) ?? null;
    if (value === null) diagnostics.push(`${what} string offset 0x${entry.value.toString(16)} is outside the dynamic string table`);
    return value;
  };
  const needed: string[] = [];
  for (const entry of entries) {
    if (entry.tag !== DT.NEEDED) continue;
    const name = text(entry, 'DT_NEEDED');
    if (name) needed.push(name);
    else if (name === '') diagnostics.push('DT_NEEDED names an empty string');
  }
  const single = (tag: number, what: string): string | null => {
    const all = entries.filter((e) => e.tag === tag);
    if (all.length > 1) diagnostics.push(`${all.length} ${what} entries: ld.so uses the last one`);
    const entry = all[all.length - 1];
    return entry ? text(entry, what) : null;
  };
  const rpath = single(DT.RPATH, 'DT_RPATH');
  const runpath = single(DT.RUNPATH, 'DT_RUNPATH');
  const flags = Number((last.get(DT.FLAGS) ?? 0n) & 0xffffffffn);
  const flags1 = Number((last.get(DT.FLAGS_1) ?? 0n) & 0xffffffffn);
  const walk = { source, r: ctx.r, strings, diagnostics };
  const verneed = readVersionNeeds(walk, last, ctx.segments);
  const dynamic: ElfDynamic = {
    needed,
    soname: single(DT.SONAME, 'DT_SONAME'),
    rpath: rpath === null ? [] : rpath.split(':'),
    runpath: runpath === null ? [] : runpath.split(':'),
    flags,
    flags1,
    bindNow: last.has(DT.BIND_NOW) || (flags & DF_BIND_NOW) !== 0 || (flags1 & DF_1_NOW) !== 0,
    textrel: last.has(DT.TEXTREL) || (flags & DF_TEXTREL) !== 0,
    hasDebug: last.has(DT.DEBUG),
    verneed,
    verdef: readVersionDefs(walk, last, ctx.segments),
  };
  const symbols = readDynamicSymbols({ ...ctx, last, strings, verneed });
  return { dynamic, imports: symbols.imports, importCount: symbols.importCount, exportCount: symbols.exportCount, nobits: false };
}

function chooseStrings(ctx: DynamicContext, entries: readonly DynamicEntry[], last: Map<number, bigint>): StringTable | null {
  const loader = loaderStringTable(ctx.source, last, ctx.segments);
  if (namesReadable(entries, loader)) return loader;
  const linked = linkedStringTable(ctx.source, ctx.sections);
  if (linked && (!loader || linked.offset !== loader.offset) && namesReadable(entries, linked)) {
    ctx.diagnostics.push(
      'DT_STRTAB gives empty or unreadable DT_NEEDED/DT_SONAME names; names were read from the string table linked from .dynamic',
    );
    return linked;
  }
  if (!loader && entries.some((e) => e.tag === DT.NEEDED || e.tag === DT.SONAME)) ctx.diagnostics.push('DT_STRTAB is missing or not in the file');
  return loader;
}

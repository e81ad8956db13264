/** GNU symbol versioning from the dynamic segment: DT_VERNEED and DT_VERDEF chains. */
import { DT } from './dynamic.js';
import { FieldReader, toSafe } from './reader.js';
import { addressToOffset, type RawSegment } from './segments.js';
import type { StringTable } from './strings.js';
import type { ByteSource, VersionNeed } from './types.js';

const MAX_ENTRIES = 4096;
const VER_FLG_BASE = 1;

interface Walk {
  source: ByteSource;
  r: FieldReader;
  strings: StringTable | null;
  diagnostics: string[];
}

function tableStart(last: Map<number, bigint>, tag: number, segments: readonly RawSegment[], what: string, diagnostics: string[]): number | null {
  const addr = last.get(tag);
  if (addr === undefined) return null;
  const offset = addressToOffset(segments, addr);
  if (offset === null) diagnostics.push(`${what} address 0x${addr.toString(16)} is not in the file`);
  return offset;
}

function limit(last: Map<number, bigint>, tag: number): number {
  const declared = last.get(tag);
  return declared === undefined ? MAX_ENTRIES : Math.min(toSafe(declared) ?? MAX_ENTRIES, MAX_ENTRIES);
}

function name(walk: Walk, index: number, what: string): string {
  const value = walk.strings?.get(index) ?? null;
  if (value === null) walk.diagnostics.push(`${what} name offset ${index} is outside the dynamic string table`);
  return value ?? '';
}

/** DT_VERNEED: each needed file with the versions it must provide. */
export function readVersionNeeds(
  walk: Walk,
  last: Map<number, bigint>,
  segments: readonly RawSegment[],
): VersionNeed[] {
  const needs: VersionNeed[] = [];
  let at = tableStart(last, DT.VERNEED, segments, 'DT_VERNEED', walk.diagnostics);
  const count = limit(last, DT.VERNEEDNUM);
  const { source, r } = walk;
  for (let i = 0; at !== null && i < count; i++) {
    const entry = source.read(at, 16);
    if (!entry) {
      walk.diagnostics.push('DT_VERNEED entry is outside the file');
      break;
    }
    const need: VersionNeed = { file: name(walk, r.u32(entry, 4), 'vn_file'), versions: [] };
    let aux = at + r.u32(entry, 8);
    for (let j = 0, cnt = Math.min(r.u16(entry, 2), MAX_ENTRIES); j < cnt; j++) {
      const v = source.read(aux, 16);
      if (!v) {
        walk.diagnostics.push('DT_VERNEED auxiliary entry is outside the file');
        break;
      }
      need.versions.push({ name: name(walk, r.u32(v, 8), 'vna_name'), hash: r.u32(v, 0), flags: r.u16(v, 4), other: r.u16(v, 6) });
      const next = r.u32(v, 12);
      if (next === 0) break;
      aux += next;
    }
    needs.push(need);
    const next = r.u32(entry, 12);
    if (next === 0) break;
    at += next;
  }
  return needs;
}

/** DT_VERDEF: the version names this object defines, the base entry (its SONAME) first. */
export function readVersionDefs(walk: Walk, last: Map<number, bigint>, segments: readonly RawSegment[]): string[] {
  let base: string | null = null;
  const others: string[] = [];
  let at = tableStart(last, DT.VERDEF, segments, 'DT_VERDEF', walk.diagnostics);
  const count = limit(last, DT.VERDEFNUM);
  const { source, r } = walk;
  for (let i = 0; at !== null && i < count; i++) {
    const entry = source.read(at, 20);
    if (!entry) {
      walk.diagnostics.push('DT_VERDEF entry is outside the file');
      break;
    }
    const aux = r.u16(entry, 6) > 0 ? source.read(at + r.u32(entry, 12), 8) : undefined;
    if (aux) {
      const defined = name(walk, r.u32(aux, 0), 'vda_name');
      if (r.u16(entry, 2) & VER_FLG_BASE && base === null) base = defined;
      else others.push(defined);
    }
    const next = r.u32(entry, 16);
    if (next === 0) break;
    at += next;
  }
  return base === null ? others : [base, ...others];
}

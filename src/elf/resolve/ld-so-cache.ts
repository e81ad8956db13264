/**
 * /etc/ld.so.cache as glibc's elf/dl-cache.c reads it: the old libc5 table (`ld.so-1.7.0`),
 * the new table (`glibc-ld.so.cache1.1`, glibc ≥ 2.2) on its own or appended to an old
 * table ("compat"), with the endianness flag and the glibc-hwcaps extension (glibc ≥ 2.33).
 */
import { InputError } from '../../shared/errors.js';
import type { LdSoCacheEntry } from './types.js';

const OLD_MAGIC = 'ld.so-1.7.0';
const NEW_MAGIC = 'glibc-ld.so.cache1.1';
const OLD_HEADER = 16; // magic[11], pad, uint32 nlibs
const OLD_ENTRY = 12; // int32 flags, uint32 key, uint32 value
const NEW_HEADER = 48;
const NEW_ENTRY = 24; // flags, key, value, osversion, uint64 hwcap
const EXTENSION_MAGIC = 0xeaa42174; // (uint32_t) -358342284
const EXTENSION_TAG_GLIBC_HWCAPS = 1;
/** DL_CACHE_HWCAP_EXTENSION: the upper half of `hwcap` is exactly this (ISA-level bits aside). */
const HWCAP_EXTENSION_HIGH = 0x40000000;
const ISA_LEVEL_MASK = 0x3ff;

/** Every entry of the table glibc would search: the new one when present, else the old one. */
export function parseLdSoCache(bytes: Uint8Array): LdSoCacheEntry[] {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (startsWith(bytes, 0, NEW_MAGIC)) return parseNew(bytes, view, 0);
  if (!startsWith(bytes, 0, OLD_MAGIC)) throw new InputError('ld.so.cache: unknown format (neither ld.so-1.7.0 nor glibc-ld.so.cache1.1)');
  if (bytes.length < OLD_HEADER) throw new InputError('ld.so.cache: truncated header');
  const little = plausibleCount(view, 11 + 1, OLD_HEADER, OLD_ENTRY);
  const nlibs = view.getUint32(12, little);
  const tableEnd = OLD_HEADER + nlibs * OLD_ENTRY;
  // The compat layout puts the new table after the old one, aligned like struct cache_file_new.
  for (const align of [8, 4]) {
    const offset = Math.ceil(tableEnd / align) * align;
    if (offset + NEW_HEADER <= bytes.length && startsWith(bytes, offset, NEW_MAGIC)) return parseNew(bytes, view, offset);
  }
  const entries: LdSoCacheEntry[] = [];
  for (let i = 0; i < nlibs; i++) {
    const at = OLD_HEADER + i * OLD_ENTRY;
    entries.push({
      flags: view.getInt32(at, little),
      name: cString(bytes, tableEnd, view.getUint32(at + 4, little)),
      path: cString(bytes, tableEnd, view.getUint32(at + 8, little)),
      hwcap: 0n,
      hwcapsSubdir: null,
      format: 'old',
    });
  }
  return entries;
}

function parseNew(bytes: Uint8Array, view: DataView, base: number): LdSoCacheEntry[] {
  if (base + NEW_HEADER > bytes.length) throw new InputError('ld.so.cache: truncated header');
  const endianFlag = (bytes[base + 28] ?? 0) & 3;
  if (endianFlag === 1) throw new InputError('ld.so.cache: marked invalid by ldconfig');
  const little = endianFlag === 2 ? true : endianFlag === 3 ? false : plausibleCount(view, base + 20, NEW_HEADER, NEW_ENTRY);
  const nlibs = view.getUint32(base + 20, little);
  if ((bytes.length - base - NEW_HEADER) / NEW_ENTRY < nlibs) throw new InputError(`ld.so.cache: ${nlibs} entries do not fit in ${bytes.length} bytes`);
  const hwcapsNames = readHwcapsNames(bytes, view, view.getUint32(base + 32, little), little, base);
  const entries: LdSoCacheEntry[] = [];
  for (let i = 0; i < nlibs; i++) {
    const at = base + NEW_HEADER + i * NEW_ENTRY;
    const hwcap = view.getBigUint64(at + 16, little);
    const high = Number(hwcap >> 32n);
    const isExtension = (high & ~ISA_LEVEL_MASK) === HWCAP_EXTENSION_HIGH;
    entries.push({
      flags: view.getInt32(at, little),
      name: cString(bytes, base, view.getUint32(at + 4, little)),
      path: cString(bytes, base, view.getUint32(at + 8, little)),
      hwcap,
      hwcapsSubdir: isExtension ? (hwcapsNames[Number(hwcap & 0xffffffffn)] ?? '?') : null,
      format: 'new',
    });
  }
  return entries;
}

/**
 * The glibc-hwcaps subdirectory names of the extension directory. The directory and section
 * offsets count from the file start; ldconfig writes the name offsets from the new table's
 * header (the same thing in a new-only cache; in a compat cache ld.so reads them from the file
 * start and never matches a subdirectory).
 */
function readHwcapsNames(bytes: Uint8Array, view: DataView, offset: number, little: boolean, stringBase: number): string[] {
  if (offset === 0 || offset % 4 !== 0 || offset + 8 > bytes.length) return [];
  if (view.getUint32(offset, little) !== EXTENSION_MAGIC) return [];
  const count = view.getUint32(offset + 4, little);
  for (let i = 0; i < count && offset + 8 + (i + 1) * 16 <= bytes.length; i++) {
    const section = offset + 8 + i * 16;
    if (view.getUint32(section, little) !== EXTENSION_TAG_GLIBC_HWCAPS) continue;
    const start = view.getUint32(section + 8, little);
    const size = view.getUint32(section + 12, little);
    if (start % 4 !== 0 || size % 4 !== 0 || start + size > bytes.length) return [];
    const names: string[] = [];
    for (let at = start; at < start + size; at += 4) names.push(cString(bytes, stringBase, view.getUint32(at, little)));
    return names;
  }
  return [];
}

/** Byte order for caches that do not record it: the one whose entry count fits the file. */
function plausibleCount(view: DataView, at: number, header: number, entry: number): boolean {
  if (at + 4 > view.byteLength) throw new InputError('ld.so.cache: truncated header');
  const fits = (n: number) => header + n * entry <= view.byteLength;
  return fits(view.getUint32(at, true)) || !fits(view.getUint32(at, false));
}

function startsWith(bytes: Uint8Array, at: number, magic: string): boolean {
  if (at + magic.length > bytes.length) return false;
  for (let i = 0; i < magic.length; i++) if (bytes[at + i] !== magic.charCodeAt(i)) return false;
  return true;
}

function cString(bytes: Uint8Array, base: number, offset: number): string {
  const start = base + offset;
  if (start >= bytes.length) throw new InputError(`ld.so.cache: string offset ${offset} is past the end of the file`);
  let end = bytes.indexOf(0, start);
  if (end < 0) end = bytes.length;
  return Buffer.from(bytes.subarray(start, end)).toString('utf8');
}

/**
 * The path ld.so takes from the cache for `name` (dl-cache.c `search_cache`) on a baseline CPU:
 * the first entry with that key whose flags the architecture accepts, skipping glibc-hwcaps and
 * legacy-hwcap variants (those are chosen only on CPUs that support them).
 */
export function lookupLdSoCache(entries: readonly LdSoCacheEntry[], name: string, acceptedFlags: readonly number[]): string | null {
  for (const entry of entries) {
    if (entry.name !== name || !acceptedFlags.includes(entry.flags)) continue;
    if (entry.hwcapsSubdir !== null || entry.hwcap !== 0n) continue;
    return entry.path;
  }
  return null;
}

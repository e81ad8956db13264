/**
 * An rpm header as rpmdb stores it (the blob of a `Packages` row; rpm's `headerImport` without
 * the 8-byte magic): `il` and `dl` (big-endian uint32), `il` index entries of 16 bytes
 * (tag, type, offset, count), then `dl` bytes of data. Only the tags a package record needs are
 * decoded; every offset and count is bounds-checked, so a hostile blob yields an error string.
 */
import type { PackageRecord } from './types.js';

const TYPE = { INT8: 2, INT16: 3, INT32: 4, STRING: 6, STRING_ARRAY: 8, I18NSTRING: 9 } as const;
export const RPMTAG = {
  NAME: 1000,
  VERSION: 1001,
  RELEASE: 1002,
  EPOCH: 1003,
  LICENSE: 1014,
  ARCH: 1022,
  OLDFILENAMES: 1027,
  FILEFLAGS: 1037,
  SOURCERPM: 1044,
  DIRINDEXES: 1116,
  BASENAMES: 1117,
  DIRNAMES: 1118,
} as const;
const RPMFILE_CONFIG = 1;
/** rpm's own limits (header_internal.h: HEADER_I_MAX, HEADER_D_MAX). */
const MAX_INDEX = 0xffff;
const MAX_DATA = 0x0fffffff;

type Value = string[] | number[];

/** The tags of one header, decoded; throws Error with a one-line reason on a malformed blob. */
export function parseRpmHeader(blob: Uint8Array): Map<number, Value> {
  if (blob.length < 8) throw new Error(`header is ${blob.length} bytes, shorter than its 8-byte preamble`);
  const view = new DataView(blob.buffer, blob.byteOffset, blob.byteLength);
  const il = view.getUint32(0);
  const dl = view.getUint32(4);
  if (il > MAX_INDEX || dl > MAX_DATA) throw new Error(`header claims ${il} entries and ${dl} data bytes, beyond rpm's limits`);
  const dataStart = 8 + il * 16;
  if (dataStart + dl > blob.length) throw new Error(`header needs ${dataStart + dl} bytes, the blob has ${blob.length}`);
  const data = blob.subarray(dataStart, dataStart + dl);
  const wanted = new Set<number>(Object.values(RPMTAG));
  const tags = new Map<number, Value>();
  for (let i = 0; i < il; i++) {
    const at = 8 + i * 16;
    const tag = view.getInt32(at);
    if (!wanted.has(tag)) continue;
    tags.set(tag, readValue(data, view.getUint32(at + 4), view.getInt32(at + 8), view.getUint32(at + 12), tag));
  }
  return tags;
}

function readValue(data: Uint8Array, type: number, offset: number, count: number, tag: number): Value {
  if (offset < 0 || offset > data.length) throw new Error(`tag ${tag}: offset ${offset} outside the ${data.length}-byte data store`);
  const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
  const width = type === TYPE.INT32 ? 4 : type === TYPE.INT16 ? 2 : type === TYPE.INT8 ? 1 : 0;
  if (width > 0) {
    if (offset + count * width > data.length) throw new Error(`tag ${tag}: ${count} values overrun the data store`);
    const values: number[] = new Array(count);
    for (let i = 0; i < count; i++) {
      const at = offset + i * width;
      values[i] = width === 4 ? view.getUint32(at) : width === 2 ? view.getUint16(at) : view.getUint8(at);
    }
    return values;
  }
  if (type === TYPE.STRING || type === TYPE.STRING_ARRAY || type === TYPE.I18NSTRING) {
    const strings: string[] = [];
    let at = offset;
    const n = type === TYPE.STRING ? 1 : count;
    for (let i = 0; i < n; i++) {
      const end = data.indexOf(0, at);
      if (end < 0) throw new Error(`tag ${tag}: string ${i + 1} of ${n} is not terminated inside the data store`);
      strings.push(Buffer.from(data.subarray(at, end)).toString('utf8'));
      at = end + 1;
    }
    return strings;
  }
  throw new Error(`tag ${tag}: unexpected type ${type}`);
}

/** The package record of a header; null for rpm's `gpg-pubkey` pseudo-packages (keys, not software). */
export function rpmRecord(tags: Map<number, Value>, database: string): PackageRecord | null {
  const text = (tag: number) => (tags.get(tag)?.[0] as string | undefined) ?? null;
  const name = text(RPMTAG.NAME);
  const version = text(RPMTAG.VERSION);
  if (!name || version === null) throw new Error('header has no NAME or VERSION');
  if (name === 'gpg-pubkey') return null;
  const release = text(RPMTAG.RELEASE);
  const sourceRpm = text(RPMTAG.SOURCERPM);
  const epoch = tags.get(RPMTAG.EPOCH)?.[0];
  const files = fileNames(tags);
  const flags = (tags.get(RPMTAG.FILEFLAGS) ?? []) as number[];
  return {
    manager: 'rpm',
    name,
    version: release ? `${version}-${release}` : version,
    architecture: text(RPMTAG.ARCH),
    epoch: typeof epoch === 'number' ? epoch : null,
    source: sourceRpm ? parseSourceRpm(sourceRpm) : null,
    sourceRpm,
    license: text(RPMTAG.LICENSE),
    files,
    conffiles: files.filter((_, i) => ((flags[i] ?? 0) & RPMFILE_CONFIG) !== 0),
    database,
  };
}

function fileNames(tags: Map<number, Value>): string[] {
  const old = tags.get(RPMTAG.OLDFILENAMES) as string[] | undefined;
  if (old) return old;
  const basenames = (tags.get(RPMTAG.BASENAMES) ?? []) as string[];
  const dirnames = (tags.get(RPMTAG.DIRNAMES) ?? []) as string[];
  const indexes = (tags.get(RPMTAG.DIRINDEXES) ?? []) as number[];
  return basenames.map((base, i) => {
    const dir = dirnames[indexes[i] ?? -1];
    if (dir === undefined) throw new Error(`file ${base}: directory index ${indexes[i]} out of range`);
    return dir + base;
  });
}

/** `openssl-3.0.7-24.el9.src.rpm` → { name: 'openssl', version: '3.0.7-24.el9' }. */
export function parseSourceRpm(file: string): { name: string; version: string | null } {
  const stem = file.replace(/\.(?:no)?src\.rpm$/, '');
  const release = stem.lastIndexOf('-');
  const version = release > 0 ? stem.lastIndexOf('-', release - 1) : -1;
  if (version <= 0) return { name: stem, version: null };
  return { name: stem.slice(0, version), version: stem.slice(version + 1) };
}

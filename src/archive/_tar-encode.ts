/**
 * Header encoding as Go's archive/tar writer does it: USTAR blocks, with a PAX extended header
 * first only when a field does not fit (long or non-ASCII names, links and user names, numbers
 * too big for octal, xattrs as SCHILY.xattr.*). Never GNU extensions. Output is deterministic.
 */
import { Buffer } from 'node:buffer';
import { posix } from 'node:path';
import { InputError } from '../shared/errors.js';
import { BLOCK, blockPadding, headerChecksums, isAscii } from './_fields.js';
import type { TarWriteEntry } from './types.js';

const TYPEFLAGS: Record<TarWriteEntry['type'], number> = {
  file: 0x30,
  hardlink: 0x31,
  symlink: 0x32,
  char: 0x33,
  block: 0x34,
  directory: 0x35,
  fifo: 0x36,
};

const MAX_OCTAL_7 = 0o7777777;

function bytesOf(text: string): Uint8Array {
  return Buffer.from(text, 'utf8');
}

/** Go's toASCII: drops bytes that are not printable-range ASCII (≥ 0x80 or NUL). */
function toAscii(bytes: Uint8Array): Uint8Array {
  return isAscii(bytes) && bytes.indexOf(0) < 0 ? bytes : bytes.filter((c) => c > 0 && c < 0x80);
}

/**
 * Go's formatString: the bytes, NUL-terminated when there is room, truncated when too long (a
 * truncated name never ends in '/', which buggy readers would take for a directory).
 */
function putString(block: Uint8Array, offset: number, size: number, bytes: Uint8Array): void {
  block.set(bytes.subarray(0, size), offset);
  if (bytes.length > size && block[offset + size - 1] === 0x2f) {
    let end = size - 1;
    while (end > 0 && bytes[end - 1] === 0x2f) end--;
    block[offset + end] = 0;
  }
}

/** Whether `value` fits in a field of `size` bytes as octal digits plus a NUL (Go's fitsInOctal). */
function fitsInOctal(size: number, value: number): boolean {
  return value >= 0 && value < 8 ** (size - 1);
}

/** Go's formatOctal: zero-padded digits leaving room for a NUL; 0 when the value does not fit. */
function putOctal(block: Uint8Array, offset: number, size: number, value: number): void {
  const digits = (fitsInOctal(size, value) ? value : 0).toString(8).padStart(size - 1, '0');
  putString(block, offset, size, Buffer.from(digits, 'latin1'));
}

/** Go's splitUSTARPath: a prefix (≤ 155) and a name (≤ 100) split at a slash, for ASCII names. */
function splitUstarPath(name: Uint8Array): { prefix: Uint8Array; name: Uint8Array } | undefined {
  let length = name.length;
  if (length <= 100 || !isAscii(name)) return undefined;
  if (length > 156) length = 156;
  else if (name[length - 1] === 0x2f) length--;
  const slash = name.subarray(0, length).lastIndexOf(0x2f);
  const nameLength = name.length - slash - 1;
  if (slash <= 0 || nameLength > 100 || nameLength === 0 || slash > 155) return undefined;
  return { prefix: name.subarray(0, slash), name: name.subarray(slash + 1) };
}

function paxRecord(key: string, value: Uint8Array): Uint8Array {
  const keyBytes = bytesOf(key);
  let size = keyBytes.length + value.length + 3;
  size += String(size).length;
  if (String(size).length + keyBytes.length + value.length + 3 !== size) size++;
  return Buffer.concat([Buffer.from(`${size} `, 'latin1'), keyBytes, Buffer.from('='), value, Buffer.from('\n')]);
}

function finishBlock(block: Uint8Array, typeflag: number): Uint8Array {
  block[156] = typeflag;
  block.set(Buffer.from('ustar\u000000', 'latin1'), 257);
  const { unsigned } = headerChecksums(block);
  putOctal(block, 148, 7, unsigned);
  block[155] = 0x20;
  return block;
}

/** Go's writeRawFile name for the PAX header: dir/PaxHeaders.0/file, ASCII, ≤ 100 bytes, no trailing slash. */
function paxHeaderName(name: Uint8Array): Uint8Array {
  const text = Buffer.from(toAscii(name)).toString('latin1');
  const slash = text.lastIndexOf('/');
  const joined = posix.join(text.slice(0, slash + 1), 'PaxHeaders.0', text.slice(slash + 1));
  return Buffer.from(joined.slice(0, 100).replace(/\/+$/, ''), 'latin1');
}

/** GNU tar's `%d/GNUSparseFile.%p/%f`, with 0 for the process id so output stays deterministic. */
function sparseFileName(name: string): string {
  const slash = name.lastIndexOf('/');
  return `${name.slice(0, slash + 1)}GNUSparseFile.0/${name.slice(slash + 1)}`;
}

/** The PAX 1.0 sparse map that starts a sparse file's body: count, then offset and length per entry, padded to a block. */
export function encodeSparseMap(sparse: ReadonlyArray<{ offset: number; length: number }>): Uint8Array {
  const lines = [String(sparse.length), ...sparse.flatMap(({ offset, length }) => [String(offset), String(length)])];
  const text = Buffer.from(`${lines.join('\n')}\n`, 'latin1');
  return Buffer.concat([text, new Uint8Array(blockPadding(text.length))]);
}

function sparseDataBytes(sparse: ReadonlyArray<{ length: number }>): number {
  let total = 0;
  for (const { length } of sparse) total += length;
  return total;
}

interface Fields {
  name: Uint8Array;
  linkname: Uint8Array;
  uname: Uint8Array;
  gname: Uint8Array;
  mode: number;
  uid: number;
  gid: number;
  size: number;
  mtime: number;
  devmajor: number;
  devminor: number;
}

function entryFields(entry: TarWriteEntry): Fields {
  const invalid = (what: string) => new InputError(`tar entry ${JSON.stringify(entry.name)}: ${what}`, { code: 'E_TAR_WRITE' });
  const number = (label: string, value: number): number => {
    if (!Number.isSafeInteger(value) || value < 0) throw invalid(`invalid ${label} ${value}`);
    return value;
  };
  const fields: Fields = {
    name: entry.rawName ?? bytesOf(entry.name),
    linkname: bytesOf(entry.linkname ?? ''),
    uname: bytesOf(entry.uname ?? ''),
    gname: bytesOf(entry.gname ?? ''),
    mode: number('mode', entry.mode) & MAX_OCTAL_7,
    uid: number('uid', entry.uid),
    gid: number('gid', entry.gid),
    size: entry.type === 'file' ? number('size', entry.size ?? 0) : 0,
    mtime: Math.round(entry.mtime),
    devmajor: number('devmajor', entry.devmajor ?? 0),
    devminor: number('devminor', entry.devminor ?? 0),
  };
  if (fields.name.indexOf(0) >= 0 || fields.linkname.indexOf(0) >= 0) throw invalid('NUL in a name');
  if (!Number.isSafeInteger(fields.mtime)) throw invalid(`invalid mtime ${entry.mtime}`);
  if (fields.devmajor > MAX_OCTAL_7 || fields.devminor > MAX_OCTAL_7) throw invalid('device number does not fit USTAR');
  return fields;
}

/** Go's allowedFormats: the PAX records a header needs, and whether plain USTAR (with a split name) can hold it. */
function paxRecordsFor(entry: TarWriteEntry, fields: Fields): { records: Map<string, Uint8Array>; ustar: boolean } {
  const records = new Map<string, Uint8Array>();
  let ustar = true;
  const text = (key: string, value: Uint8Array, size: number) => {
    if (isAscii(value) && value.length <= size) return;
    records.set(key, value);
    if (key !== 'path' || !splitUstarPath(value)) ustar = false;
  };
  text('path', fields.name, 100);
  text('linkpath', fields.linkname, 100);
  text('uname', fields.uname, 32);
  text('gname', fields.gname, 32);
  const numeric = (key: string, value: number, size: number) => {
    if (fitsInOctal(size, value)) return;
    records.set(key, bytesOf(String(value)));
    ustar = false;
  };
  numeric('uid', fields.uid, 8);
  numeric('gid', fields.gid, 8);
  numeric('size', fields.size, 12);
  numeric('mtime', fields.mtime, 12);
  for (const [key, value] of Object.entries(entry.xattrs ?? {})) {
    if (key === '' || key.includes('\u0000') || key.includes('=')) {
      throw new InputError(`tar entry ${JSON.stringify(entry.name)}: invalid xattr name ${JSON.stringify(key)}`, { code: 'E_TAR_WRITE' });
    }
    records.set(`SCHILY.xattr.${key}`, value);
    ustar = false;
  }
  return { records, ustar };
}

function mainHeader(entry: TarWriteEntry, fields: Fields, ustar: boolean): Uint8Array {
  const block = new Uint8Array(BLOCK);
  const split = ustar ? splitUstarPath(fields.name) : undefined;
  putString(block, 0, 100, toAscii(split ? split.name : fields.name));
  if (split) putString(block, 345, 155, split.prefix);
  putString(block, 157, 100, toAscii(fields.linkname));
  putString(block, 265, 32, toAscii(fields.uname));
  putString(block, 297, 32, toAscii(fields.gname));
  putOctal(block, 100, 8, fields.mode);
  putOctal(block, 108, 8, fields.uid);
  putOctal(block, 116, 8, fields.gid);
  putOctal(block, 124, 12, fields.size);
  putOctal(block, 136, 12, fields.mtime);
  putOctal(block, 329, 8, fields.devmajor);
  putOctal(block, 337, 8, fields.devminor);
  return finishBlock(block, TYPEFLAGS[entry.type]);
}

/**
 * Every header block for one entry: a PAX extended header (when needed), then the USTAR header.
 * A sparse file is written as GNU tar's PAX format 1.0: its header names `dir/GNUSparseFile.0/name`
 * (what readers without sparse support extract), the records carry the real name and size, and the
 * stored size covers the map (`encodeSparseMap`) and the mapped bytes that follow it.
 */
export function encodeTarHeaders(entry: TarWriteEntry): Uint8Array {
  const sparse = entry.type === 'file' ? entry.sparse : undefined;
  const stored: TarWriteEntry = sparse
    ? { ...entry, name: sparseFileName(entry.name), rawName: undefined, size: encodeSparseMap(sparse).length + sparseDataBytes(sparse) }
    : entry;
  const fields = entryFields(stored);
  const { records, ustar: fitsUstar } = paxRecordsFor(stored, fields);
  const ustar = fitsUstar && !sparse;
  if (sparse) {
    const realSize = entryFields(entry).size;
    const realName = entry.rawName ?? bytesOf(entry.name);
    records.set('GNU.sparse.major', bytesOf('1'));
    records.set('GNU.sparse.minor', bytesOf('0'));
    records.set('GNU.sparse.name', realName);
    records.set('GNU.sparse.realsize', bytesOf(String(realSize)));
  }
  const main = mainHeader(stored, fields, ustar);
  if (ustar) return main;

  const keys = [...records.keys()].sort((a, b) => Buffer.compare(bytesOf(a), bytesOf(b)));
  const data = Buffer.concat(keys.map((key) => paxRecord(key, records.get(key)!)));
  const paxHeader = new Uint8Array(BLOCK);
  putString(paxHeader, 0, 100, paxHeaderName(fields.name));
  for (const offset of [100, 108, 116]) putOctal(paxHeader, offset, 8, 0);
  putOctal(paxHeader, 124, 12, data.length);
  putOctal(paxHeader, 136, 12, 0);
  finishBlock(paxHeader, 0x78);
  return Buffer.concat([paxHeader, data, new Uint8Array(blockPadding(data.length)), main]);
}

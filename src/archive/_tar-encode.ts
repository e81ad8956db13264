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
const MAX_OCTAL_11 = 0o77777777777;

function bytesOf(text: string): Uint8Array {
  return Buffer.from(text, 'utf8');
}

/** Go's toASCII: drops bytes that are not printable-range ASCII (≥ 0x80 or NUL). */
function toAscii(bytes: Uint8Array): Uint8Array {
  return isAscii(bytes) && bytes.indexOf(0) < 0 ? bytes : bytes.filter((c) => c > 0 && c < 0x80);
}

/** Go's formatString: the bytes and a NUL when there is room; left empty when too long. */
function putString(block: Uint8Array, offset: number, size: number, bytes: Uint8Array): void {
  if (bytes.length <= size) block.set(bytes, offset);
}

/** Go's formatOctal: zero-padded to leave room for a NUL; left empty when it does not fit. */
function putOctal(block: Uint8Array, offset: number, size: number, value: number): void {
  const digits = value.toString(8).padStart(size - 1, '0');
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

function checkNumber(label: string, value: number, entry: TarWriteEntry): number {
  if (!Number.isSafeInteger(value) || value < 0) {
    throw new InputError(`tar entry ${JSON.stringify(entry.name)}: invalid ${label} ${value}`, { code: 'E_TAR_WRITE' });
  }
  return value;
}

/** Every header block for one entry: a PAX extended header (when needed), then the USTAR header. */
export function encodeTarHeaders(entry: TarWriteEntry): Uint8Array {
  const records = new Map<string, Uint8Array>();
  const main = new Uint8Array(BLOCK);
  const name = entry.rawName ?? bytesOf(entry.name);
  const link = bytesOf(entry.linkname ?? '');
  if (name.indexOf(0) >= 0 || link.indexOf(0) >= 0) {
    throw new InputError(`tar entry ${JSON.stringify(entry.name)}: NUL in a name`, { code: 'E_TAR_WRITE' });
  }

  const split = splitUstarPath(name);
  if (isAscii(name) && name.length <= 100) putString(main, 0, 100, name);
  else if (split) {
    putString(main, 0, 100, split.name);
    putString(main, 345, 155, split.prefix);
  } else {
    records.set('path', name);
    const ascii = toAscii(name);
    const fallback = splitUstarPath(ascii);
    putString(main, 0, 100, fallback ? fallback.name : ascii.subarray(0, 100));
    if (fallback) putString(main, 345, 155, fallback.prefix);
  }
  if (link.length > 100 || !isAscii(link)) records.set('linkpath', link);
  putString(main, 157, 100, toAscii(link));

  for (const [key, offset, value] of [['uname', 265, entry.uname], ['gname', 297, entry.gname]] as const) {
    const bytes = bytesOf(value ?? '');
    if (bytes.length > 32 || !isAscii(bytes)) records.set(key, bytes);
    putString(main, offset, 32, toAscii(bytes));
  }

  const size = entry.type === 'file' ? checkNumber('size', entry.size ?? 0, entry) : 0;
  const mtime = Math.round(entry.mtime);
  const numbers: Array<[string, number, number, number]> = [
    ['uid', 108, checkNumber('uid', entry.uid, entry), MAX_OCTAL_7],
    ['gid', 116, checkNumber('gid', entry.gid, entry), MAX_OCTAL_7],
    ['size', 124, size, MAX_OCTAL_11],
  ];
  for (const [key, offset, value, max] of numbers) {
    if (value > max) records.set(key, bytesOf(String(value)));
    putOctal(main, offset, key === 'size' ? 12 : 8, value);
  }
  if (!Number.isSafeInteger(mtime)) throw new InputError(`tar entry ${JSON.stringify(entry.name)}: invalid mtime`, { code: 'E_TAR_WRITE' });
  if (mtime < 0 || mtime > MAX_OCTAL_11) records.set('mtime', bytesOf(String(mtime)));
  else putOctal(main, 136, 12, mtime);

  putOctal(main, 100, 8, checkNumber('mode', entry.mode, entry) & MAX_OCTAL_7);
  for (const [label, offset, value] of [['devmajor', 329, entry.devmajor], ['devminor', 337, entry.devminor]] as const) {
    const number = checkNumber(label, value ?? 0, entry);
    if (number > MAX_OCTAL_7) throw new InputError(`tar entry ${JSON.stringify(entry.name)}: ${label} ${number} does not fit USTAR`, { code: 'E_TAR_WRITE' });
    putOctal(main, offset, 8, number);
  }

  for (const [key, value] of Object.entries(entry.xattrs ?? {})) {
    if (key === '' || key.includes('\u0000') || key.includes('=')) {
      throw new InputError(`tar entry ${JSON.stringify(entry.name)}: invalid xattr name ${JSON.stringify(key)}`, { code: 'E_TAR_WRITE' });
    }
    records.set(`SCHILY.xattr.${key}`, value);
  }
  finishBlock(main, TYPEFLAGS[entry.type]);
  if (records.size === 0) return main;

  const keys = [...records.keys()].sort((a, b) => Buffer.compare(bytesOf(a), bytesOf(b)));
  const data = Buffer.concat(keys.map((key) => paxRecord(key, records.get(key)!)));
  const paxHeader = new Uint8Array(BLOCK);
  putString(paxHeader, 0, 100, paxHeaderName(name));
  for (const offset of [100, 108, 116]) putOctal(paxHeader, offset, 8, 0);
  putOctal(paxHeader, 124, 12, data.length);
  putOctal(paxHeader, 136, 12, 0);
  finishBlock(paxHeader, 0x78);
  return Buffer.concat([paxHeader, data, new Uint8Array(blockPadding(data.length)), main]);
}

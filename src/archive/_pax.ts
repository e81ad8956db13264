/**
 * PAX extended headers, read like Go's archive/tar: "%d key=value\n" records (values are raw
 * bytes), GNU sparse 0.0 offset/numbytes pairs folded into GNU.sparse.map, and the merge of
 * well-known keys into an entry. Malformed records and unparsable values are header errors.
 */
import { Buffer } from 'node:buffer';
import { decodeText, headerProblem, parseDecimal } from './_fields.js';

export type PaxRecords = Map<string, Uint8Array>;

const SPARSE_OFFSET = 'GNU.sparse.offset';
const SPARSE_NUMBYTES = 'GNU.sparse.numbytes';
export const SPARSE_MAP = 'GNU.sparse.map';
const SCHILY_XATTR = 'SCHILY.xattr.';
const LIBARCHIVE_XATTR = 'LIBARCHIVE.xattr.';

/** Fields of an entry that PAX records can override. */
export interface PaxTarget {
  name: Uint8Array;
  linkname: Uint8Array;
  uname: string;
  gname: string;
  uid: number;
  gid: number;
  mtime: number;
  size: number;
  xattrs: Record<string, Uint8Array>;
  pax: Record<string, string>;
}

function decimalAt(data: Uint8Array, start: number, end: number): number | undefined {
  return parseDecimal(Buffer.from(data.buffer, data.byteOffset + start, end - start).toString('latin1'));
}

/** Go's validPAXRecord: no empty key; no NUL in path/linkpath/uname/gname values, nor in other keys. */
function validRecord(key: string, keyBytes: Uint8Array, value: Uint8Array): boolean {
  if (key === '') return false;
  if (key === 'path' || key === 'linkpath' || key === 'uname' || key === 'gname') return value.indexOf(0) < 0;
  return keyBytes.indexOf(0) < 0;
}

export function parsePaxRecords(data: Uint8Array): PaxRecords {
  const records: PaxRecords = new Map();
  const sparseMap: string[] = [];
  let pos = 0;
  while (pos < data.length) {
    const space = data.indexOf(0x20, pos);
    if (space < 0) throw headerProblem('PAX record without a length');
    const length = decimalAt(data, pos, space);
    if (length === undefined || length < 5 || length > data.length - pos || pos + length <= space + 1) {
      throw headerProblem('PAX record with an invalid length');
    }
    const end = pos + length;
    if (data[end - 1] !== 0x0a) throw headerProblem('PAX record not ended by a newline');
    const equals = data.indexOf(0x3d, space + 1);
    if (equals < 0 || equals >= end - 1) throw headerProblem('PAX record without "="');
    const keyBytes = data.subarray(space + 1, equals);
    const key = decodeText(keyBytes);
    const value = data.subarray(equals + 1, end - 1);
    if (!validRecord(key, keyBytes, value)) throw headerProblem(`invalid PAX record ${JSON.stringify(key)}`);
    pos = end;

    if (key === SPARSE_OFFSET || key === SPARSE_NUMBYTES) {
      const expected = sparseMap.length % 2 === 0 ? SPARSE_OFFSET : SPARSE_NUMBYTES;
      if (key !== expected || value.indexOf(0x2c) >= 0) throw headerProblem('invalid GNU sparse 0.0 record');
      sparseMap.push(decodeText(value));
    } else {
      records.set(key, value.slice());
    }
  }
  if (sparseMap.length > 0) records.set(SPARSE_MAP, Buffer.from(sparseMap.join(','), 'latin1'));
  return records;
}

/** Seconds since the epoch from a PAX time "%d[.%d]", sub-seconds kept to the nanosecond like Go. */
export function parsePaxTime(text: string): number {
  const dot = text.indexOf('.');
  const secondsText = dot < 0 ? text : text.slice(0, dot);
  const fraction = dot < 0 ? '' : text.slice(dot + 1);
  const seconds = parseDecimal(secondsText);
  if (seconds === undefined || !/^[0-9]*$/.test(fraction)) throw headerProblem(`invalid PAX time ${JSON.stringify(text)}`);
  if (fraction === '') return seconds;
  const nanos = Number(fraction.slice(0, 9).padEnd(9, '0'));
  return secondsText.startsWith('-') ? seconds - nanos / 1e9 : seconds + nanos / 1e9;
}

function decimalRecord(key: string, text: string): number {
  const value = parseDecimal(text);
  if (value === undefined) throw headerProblem(`invalid PAX ${key} ${JSON.stringify(text)}`);
  return value;
}

/** libarchive's xattr form: the name is %-encoded and the value base64. Undefined when malformed. */
function libarchiveXattr(encodedName: string, value: string): [string, Uint8Array] | undefined {
  try {
    if (!/^[A-Za-z0-9+/]*={0,2}$/.test(value)) return undefined;
    return [decodeURIComponent(encodedName), new Uint8Array(Buffer.from(value, 'base64'))];
  } catch {
    return undefined;
  }
}

/** Go's mergePAX: empty values keep the header's own value; SCHILY xattrs win over libarchive's. */
export function mergePax(target: PaxTarget, records: PaxRecords): void {
  const libarchive: Array<[string, Uint8Array]> = [];
  for (const [key, value] of records) {
    const text = decodeText(value);
    target.pax[key] = text;
    if (value.length === 0) continue;
    switch (key) {
      case 'path':
        target.name = value;
        break;
      case 'linkpath':
        target.linkname = value;
        break;
      case 'uname':
        target.uname = text;
        break;
      case 'gname':
        target.gname = text;
        break;
      case 'uid':
        target.uid = decimalRecord(key, text);
        break;
      case 'gid':
        target.gid = decimalRecord(key, text);
        break;
      case 'size':
        target.size = decimalRecord(key, text);
        break;
      case 'mtime':
        target.mtime = parsePaxTime(text);
        break;
      case 'atime':
      case 'ctime':
        parsePaxTime(text); // Go rejects unparsable atime/ctime as well
        break;
      default:
        if (key.startsWith(SCHILY_XATTR)) target.xattrs[key.slice(SCHILY_XATTR.length)] = value;
        else if (key.startsWith(LIBARCHIVE_XATTR)) {
          const xattr = libarchiveXattr(key.slice(LIBARCHIVE_XATTR.length), text);
          if (xattr) libarchive.push(xattr);
        }
    }
  }
  for (const [name, value] of libarchive) if (!(name in target.xattrs)) target.xattrs[name] = value;
}

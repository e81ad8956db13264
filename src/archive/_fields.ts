/**
 * Low-level tar field codecs shared by the reader and the writer: NUL-terminated strings,
 * octal and GNU base-256 numbers, decimal numbers as Go's strconv.ParseInt reads them,
 * header checksums, and name decoding (UTF-8, or latin1 with the raw bytes kept).
 */
import { Buffer, isUtf8 } from 'node:buffer';
import { InputError } from '../shared/errors.js';

export const BLOCK = 512;
/** Largest PAX extended header or GNU long name/link body accepted (Go's maxSpecialFileSize). */
export const MAX_SPECIAL_SIZE = 1 << 20;

/** Why a tar stream was rejected; the parser turns it into an InputError naming the label and offset. */
export type TarProblemKind = 'header' | 'too-long' | 'truncated';

export class TarProblem extends Error {
  constructor(
    readonly kind: TarProblemKind,
    message: string,
  ) {
    super(message);
  }
}

export const headerProblem = (message: string): TarProblem => new TarProblem('header', message);

const PROBLEM_CODES = { header: 'E_TAR_HEADER', 'too-long': 'E_TAR_FIELD_TOO_LONG', truncated: 'E_TAR_TRUNCATED' } as const;
const PROBLEM_TEXT = { header: 'invalid tar header', 'too-long': 'tar header field too long', truncated: 'unexpected end of tar data' } as const;

/** The public error for a problem: "<label>: invalid tar header at byte <offset>: <detail>". */
export function problemError(problem: TarProblem, label: string, offset: number): InputError {
  return new InputError(`${label}: ${PROBLEM_TEXT[problem.kind]} at byte ${offset}: ${problem.message}`, { code: PROBLEM_CODES[problem.kind] });
}

/** Zero-copy Buffer view of a Uint8Array (for Buffer's native string decoders). */
export function asBuffer(bytes: Uint8Array): Buffer {
  return Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

/** The bytes of a C string field: everything before the first NUL (the whole field if none). */
export function cString(field: Uint8Array, start = 0, end = field.length): Uint8Array {
  let nul = field.indexOf(0, start);
  if (nul < 0 || nul > end) nul = end;
  return field.subarray(start, nul);
}

export function isAscii(bytes: Uint8Array): boolean {
  for (let i = 0; i < bytes.length; i++) if (bytes[i]! >= 0x80) return false;
  return true;
}

/** Decodes a name: UTF-8 when valid, otherwise latin1 plus a copy of the raw bytes. */
export function decodeName(bytes: Uint8Array): { text: string; raw?: Uint8Array } {
  if (bytes.length <= 512 && isAscii(bytes)) return { text: String.fromCharCode.apply(null, bytes as unknown as number[]) };
  const buffer = asBuffer(bytes);
  if (isAscii(bytes)) return { text: buffer.toString('latin1') };
  if (isUtf8(bytes)) return { text: buffer.toString('utf8') };
  return { text: buffer.toString('latin1'), raw: Uint8Array.from(bytes) };
}

/** Decodes free text (uname, gname, PAX values): UTF-8, latin1 when not valid UTF-8. */
export function decodeText(bytes: Uint8Array): string {
  return decodeName(bytes).text;
}

function isPadding(byte: number): boolean {
  return byte === 0x20 || byte === 0;
}

function fieldText(bytes: Uint8Array, start: number, end: number): string {
  return JSON.stringify(asBuffer(bytes.subarray(start, end)).toString('latin1'));
}

/**
 * Octal as Go reads it: trim spaces and NULs at both ends, cut at the first NUL, all digits
 * octal. Reads bytes[start, end) in place (no views on the hot path).
 */
export function parseOctal(bytes: Uint8Array, start = 0, end = bytes.length): number {
  let from = start;
  let to = end;
  while (from < to && isPadding(bytes[from]!)) from++;
  while (to > from && isPadding(bytes[to - 1]!)) to--;
  let value = 0;
  for (let i = from; i < to; i++) {
    const c = bytes[i]!;
    if (c === 0) break;
    if (c < 0x30 || c > 0x37) throw headerProblem(`invalid octal number ${fieldText(bytes, start, end)}`);
    value = value * 8 + (c - 0x30);
  }
  return value;
}

/**
 * A numeric header field in bytes[start, end): GNU base-256 (two's complement, big-endian, when
 * the top bit is set) or octal. Values that would overflow an int64 are rejected like Go does.
 */
export function parseNumeric(bytes: Uint8Array, start = 0, end = bytes.length): number {
  const first = bytes[start];
  if (first === undefined || start >= end || (first & 0x80) === 0) return parseOctal(bytes, start, end);
  const invert = (first & 0x40) !== 0 ? 0xff : 0;
  let significant = -1;
  let value = 0;
  for (let i = start; i < end; i++) {
    let c = bytes[i]! ^ invert;
    if (i === start) c &= 0x7f;
    if (significant < 0 && c !== 0) significant = i;
    value = value * 256 + c;
  }
  if (significant >= 0) {
    const width = end - significant;
    const top = (bytes[significant]! ^ invert) & (significant === start ? 0x7f : 0xff);
    if (width > 8 || (width === 8 && top >= 0x80)) throw headerProblem('base-256 number overflows 64 bits');
  }
  return invert ? -value - 1 : value;
}

/** Go's strconv.ParseInt(s, 10, 64) on ASCII digits with an optional sign; undefined when invalid. */
export function parseDecimal(text: string): number | undefined {
  if (!/^[+-]?[0-9]+$/.test(text)) return undefined;
  if (text.length > 18) {
    const big = BigInt(text);
    if (big > 9223372036854775807n || big < -9223372036854775808n) return undefined;
  }
  return Number(text);
}

/** Both checksums tar writers have used: unsigned (POSIX) and signed (old Sun tar) byte sums. */
export function headerChecksums(block: Uint8Array): { unsigned: number; signed: number } {
  let unsigned = 0;
  let high = 0; // bytes ≥ 0x80, which count 256 less when signed
  if ((block.byteOffset & 3) === 0) {
    // Four bytes at a time: two 16-bit lanes of sums and four 8-bit lanes of high-bit counts.
    const words = new Uint32Array(block.buffer, block.byteOffset, BLOCK / 4);
    let lanes = 2 * 0x00400040; // words 37 and 38 (bytes 148-155), the checksum field, count as spaces
    let highLanes = 0;
    for (let i = 0; i < BLOCK / 4; i++) {
      if (i === 37) i = 39;
      const w = words[i]!;
      lanes += (w & 0x00ff00ff) + ((w >>> 8) & 0x00ff00ff);
      highLanes += (w >>> 7) & 0x01010101;
    }
    unsigned = (lanes & 0xffff) + (lanes >>> 16);
    high = (highLanes & 0xff) + ((highLanes >>> 8) & 0xff) + ((highLanes >>> 16) & 0xff) + (highLanes >>> 24);
  } else {
    for (let i = 0; i < BLOCK; i++) {
      const c = i >= 148 && i < 156 ? 0x20 : block[i]!;
      unsigned += c;
      high += c >> 7;
    }
  }
  return { unsigned, signed: unsigned - 256 * high };
}

export function isZeroBlock(block: Uint8Array): boolean {
  for (let i = 0; i < BLOCK; i++) if (block[i] !== 0) return false;
  return true;
}

/** Zero bytes after a body of `size` bytes to reach the next 512-byte boundary. */
export function blockPadding(size: number): number {
  const rest = size % BLOCK;
  return rest === 0 ? 0 : BLOCK - rest;
}

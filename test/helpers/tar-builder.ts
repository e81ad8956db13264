/**
 * Builds tar bytes in code, including malformed ones: every header field can be given as a
 * number (octal), a string, or raw bytes, the magic and checksum can be anything, and raw byte
 * patches go in before the checksum. Also parses tar bytes into entries for assertions.
 */
import { Buffer } from 'node:buffer';
import { TarParser, type TarHeader } from '../../src/archive/index.js';

export type FieldValue = number | bigint | string | Uint8Array;

export interface HeaderFields {
  name?: FieldValue;
  mode?: FieldValue;
  uid?: FieldValue;
  gid?: FieldValue;
  size?: FieldValue;
  mtime?: FieldValue;
  /** A character like '0' or 'x', or a byte value. Default '0'. */
  typeflag?: string | number;
  linkname?: FieldValue;
  /** 'ustar' (ustar\0 00), 'gnu' (ustar  \0), 'star' (ustar\0 00 + tar\0 trailer), 'v7' (none), or 8 raw bytes. */
  magic?: 'ustar' | 'gnu' | 'star' | 'v7' | Uint8Array;
  uname?: FieldValue;
  gname?: FieldValue;
  devmajor?: FieldValue;
  devminor?: FieldValue;
  prefix?: FieldValue;
  /** 'unsigned' (default), 'signed', or a number written in octal as is. */
  checksum?: 'unsigned' | 'signed' | number;
  /** Raw bytes written at an offset after the fields, before the checksum. */
  patches?: Array<[offset: number, bytes: Uint8Array | number[]]>;
}

const FIELDS: Record<string, [offset: number, width: number]> = {
  name: [0, 100],
  mode: [100, 8],
  uid: [108, 8],
  gid: [116, 8],
  size: [124, 12],
  mtime: [136, 12],
  linkname: [157, 100],
  uname: [265, 32],
  gname: [297, 32],
  devmajor: [329, 8],
  devminor: [337, 8],
  prefix: [345, 155],
};

export const bytes = (text: string): Uint8Array => new Uint8Array(Buffer.from(text, 'latin1'));
export const utf8 = (text: string): Uint8Array => new Uint8Array(Buffer.from(text, 'utf8'));

/** Octal digits zero-padded to width-1, then NUL (the usual encoding). */
export function octal(value: number, width: number): Uint8Array {
  return bytes(value.toString(8).padStart(width - 1, '0') + '\0');
}

/** GNU base-256: two's complement big-endian with the top bit set. */
export function base256(value: bigint | number, width: number): Uint8Array {
  let v = BigInt(value);
  const out = new Uint8Array(width);
  for (let i = width - 1; i >= 0; i--) {
    out[i] = Number(v & 0xffn);
    v >>= 8n;
  }
  out[0] = out[0]! | 0x80;
  return out;
}

function encodeField(key: string, value: FieldValue): Uint8Array {
  const [, width] = FIELDS[key]!;
  if (value instanceof Uint8Array) return value;
  if (typeof value === 'string') return utf8(value);
  return typeof value === 'bigint' ? base256(value, width) : octal(value, width);
}

export function tarHeader(fields: HeaderFields): Uint8Array {
  const block = new Uint8Array(512);
  const values: HeaderFields = { mode: 0o644, uid: 0, gid: 0, size: 0, mtime: 0, magic: 'ustar', ...fields };
  for (const [key, [offset, width]] of Object.entries(FIELDS)) {
    const value = values[key as keyof HeaderFields] as FieldValue | undefined;
    if (value === undefined) continue;
    block.set(encodeField(key, value).subarray(0, width), offset);
  }
  const typeflag = values.typeflag ?? '0';
  block[156] = typeof typeflag === 'number' ? typeflag : typeflag.charCodeAt(0);
  const magic = values.magic!;
  if (magic instanceof Uint8Array) block.set(magic, 257);
  else if (magic === 'ustar' || magic === 'star') block.set(bytes('ustar\u000000'), 257);
  else if (magic === 'gnu') block.set(bytes('ustar  \u0000'), 257);
  if (magic === 'star') block.set(bytes('tar\u0000'), 508);
  for (const [offset, patch] of values.patches ?? []) block.set(patch, offset);

  block.fill(0x20, 148, 156);
  let unsigned = 0;
  let signed = 0;
  for (const c of block) {
    unsigned += c;
    signed += c >= 0x80 ? c - 256 : c;
  }
  const checksum = values.checksum ?? 'unsigned';
  const sum = checksum === 'unsigned' ? unsigned : checksum === 'signed' ? signed : checksum;
  block.set(bytes(Math.abs(sum).toString(8).padStart(6, '0') + '\0 '), 148);
  return block;
}

export function concatBytes(...parts: Uint8Array[]): Uint8Array {
  return new Uint8Array(Buffer.concat(parts));
}

/** Data followed by zero padding to a 512-byte boundary. */
export function padded(data: Uint8Array): Uint8Array {
  return concatBytes(data, new Uint8Array((512 - (data.length % 512)) % 512));
}

/** PAX records "%d key=value\n" with correct lengths. */
export function paxBody(records: Array<[string, string | Uint8Array]> | Record<string, string | Uint8Array>): Uint8Array {
  const list = Array.isArray(records) ? records : Object.entries(records);
  return concatBytes(
    ...list.map(([key, value]) => {
      const rest = concatBytes(utf8(` ${key}=`), typeof value === 'string' ? utf8(value) : value, bytes('\n'));
      let size = rest.length + 1;
      while (String(size).length + rest.length !== size) size++;
      return concatBytes(bytes(String(size)), rest);
    }),
  );
}

/** A header plus its padded body. */
export function tarEntry(fields: HeaderFields, body: Uint8Array = new Uint8Array(0)): Uint8Array {
  return concatBytes(tarHeader({ size: body.length, ...fields }), padded(body));
}

/** A meta entry ('x', 'g', 'L', 'K') carrying `body`. */
export function metaEntry(typeflag: string, body: Uint8Array, fields: HeaderFields = {}): Uint8Array {
  return tarEntry({ name: typeflag === 'L' || typeflag === 'K' ? '././@LongLink' : 'PaxHeaders.0/x', typeflag, ...fields }, body);
}

export const END_BLOCKS = new Uint8Array(1024);

export interface ParsedEntry {
  header: TarHeader;
  body: Uint8Array;
  /** TarParser.position when the entry was announced (the data offset). */
  offset: number;
}

/** Feeds `data` to a TarParser in chunks of `chunkSize`; returns entries read and the error, if any. */
export function parseTar(data: Uint8Array, options: { chunkSize?: number; label?: string } = {}): { entries: ParsedEntry[]; error?: unknown } {
  const entries: ParsedEntry[] = [];
  const parser: TarParser = new TarParser(
    {
      entry(header) {
        const parts: Uint8Array[] = [];
        const entry: ParsedEntry = { header, body: new Uint8Array(0), offset: parser.position };
        entries.push(entry);
        return {
          data: (chunk) => parts.push(chunk.slice()),
          end: () => {
            entry.body = concatBytes(...parts);
          },
        };
      },
    },
    { label: options.label ?? 'test.tar' },
  );
  const step = options.chunkSize ?? (data.length || 1);
  try {
    for (let at = 0; at < data.length; at += step) parser.write(data.subarray(at, at + step));
    parser.end();
    return { entries };
  } catch (error) {
    return { entries, error };
  }
}

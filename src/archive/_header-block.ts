/**
 * Decodes one 512-byte tar header block the way Go's archive/tar readHeader does: checksum
 * (signed or unsigned), format from the magic (V7, USTAR/PAX, GNU, star), numeric fields in
 * octal or base-256, and the USTAR/star prefix joined to the name (also in pre-Go-1.8 GNU
 * headers that carry a prefix, and in moby's hybrid `ustar\0` + ` \0` headers).
 */
import { cString, decodeText, headerChecksums, headerProblem, parseNumeric, parseOctal } from './_fields.js';

export type BlockFormat = 'v7' | 'ustar' | 'gnu' | 'star';

export interface RawHeader {
  format: BlockFormat;
  /** A GNU header whose atime/ctime hold a prefix (written by Go before 1.8): not really GNU. */
  legacyPrefix: boolean;
  typeflag: number;
  /** Name bytes with any prefix joined (a copy: the block may be reused). */
  name: Uint8Array;
  linkname: Uint8Array;
  size: number;
  mode: number;
  uid: number;
  gid: number;
  mtime: number;
  uname: string;
  gname: string;
  devmajor: number;
  devminor: number;
  /** Old GNU sparse ('S') only: logical size, the map entries in this block, and whether extension blocks follow. */
  gnuSparse?: { realSize: number; entries: Array<{ offset: number; length: number }>; extended: boolean };
}

const TYPE_GNU_SPARSE = 0x53; // 'S'

function blockFormat(block: Uint8Array): BlockFormat {
  const ustarMagic = block[257] === 0x75 && block[258] === 0x73 && block[259] === 0x74 && block[260] === 0x61 && block[261] === 0x72;
  if (ustarMagic && block[262] === 0) {
    const starTrailer = block[508] === 0x74 && block[509] === 0x61 && block[510] === 0x72 && block[511] === 0;
    return starTrailer ? 'star' : 'ustar';
  }
  if (ustarMagic && block[262] === 0x20 && block[263] === 0x20 && block[264] === 0) return 'gnu';
  return 'v7';
}

/** Whether a GNU atime/ctime field fails to parse (Go parses only fields whose first byte is not NUL). */
function unparsableTime(block: Uint8Array, start: number): boolean {
  if (block[start] === 0) return false;
  try {
    parseNumeric(block, start, start + 12);
    return false;
  } catch {
    return true;
  }
}

function joinPrefix(prefix: Uint8Array, name: Uint8Array): Uint8Array {
  if (prefix.length === 0) return name.slice();
  const joined = new Uint8Array(prefix.length + 1 + name.length);
  joined.set(prefix, 0);
  joined[prefix.length] = 0x2f;
  joined.set(name, prefix.length + 1);
  return joined;
}

/** Reads the old GNU sparse map entries of a block: `count` pairs of 12-byte numbers from `start`. */
export function readGnuSparseEntries(block: Uint8Array, start: number, count: number, into: Array<{ offset: number; length: number }>): void {
  for (let i = 0; i < count; i++) {
    const at = start + i * 24;
    if (block[at] === 0) break; // same termination rule as GNU and BSD tar
    into.push({ offset: parseNumeric(block, at, at + 12), length: parseNumeric(block, at + 12, at + 24) });
  }
}

export function decodeHeaderBlock(block: Uint8Array): RawHeader {
  const stored = parseOctal(block, 148, 156);
  const { unsigned, signed } = headerChecksums(block);
  if (stored !== unsigned && stored !== signed) throw headerProblem('checksum mismatch');

  const format = blockFormat(block);
  const typeflag = block[156]!;
  let name = cString(block, 0, 100);
  const header: RawHeader = {
    format,
    legacyPrefix: false,
    typeflag,
    name,
    linkname: cString(block, 157, 257).slice(),
    size: parseNumeric(block, 124, 136),
    mode: parseNumeric(block, 100, 108),
    uid: parseNumeric(block, 108, 116),
    gid: parseNumeric(block, 116, 124),
    mtime: parseNumeric(block, 136, 148),
    uname: '',
    gname: '',
    devmajor: 0,
    devminor: 0,
  };
  if (format === 'v7') {
    header.name = name.slice();
    return header;
  }

  header.uname = decodeText(cString(block, 265, 297));
  header.gname = decodeText(cString(block, 297, 329));
  header.devmajor = parseNumeric(block, 329, 337);
  header.devminor = parseNumeric(block, 337, 345);

  let prefix: Uint8Array = new Uint8Array(0);
  if (format === 'ustar') {
    prefix = cString(block, 345, 500);
  } else if (format === 'star') {
    prefix = cString(block, 345, 476);
    parseNumeric(block, 476, 488); // atime and ctime must parse, as in Go
    parseNumeric(block, 488, 500);
  } else if (unparsableTime(block, 345) || unparsableTime(block, 357)) {
    const legacy = cString(block, 345, 500);
    if (legacy.every((c) => c < 0x80)) prefix = legacy;
    header.legacyPrefix = true;
  }
  name = joinPrefix(prefix, name);
  header.name = name;

  if (typeflag === TYPE_GNU_SPARSE && format === 'gnu') {
    const entries: Array<{ offset: number; length: number }> = [];
    readGnuSparseEntries(block, 386, 4, entries);
    header.gnuSparse = { realSize: parseNumeric(block, 483, 495), entries, extended: block[482] !== 0 };
  }
  return header;
}

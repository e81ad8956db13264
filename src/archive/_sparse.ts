/**
 * Sparse files in the GNU formats Go's archive/tar reads: old GNU ('S' headers with maps in the
 * header and extension blocks, see _header-block.ts), and PAX 0.0, 0.1 and 1.0. Only the data map
 * is kept: holes are never materialised, so a 60 GB logical file costs its stored bytes.
 */
import { Buffer } from 'node:buffer';
import { decodeText, headerProblem, MAX_SPECIAL_SIZE, parseDecimal, TarProblem } from './_fields.js';
import { readGnuSparseEntries } from './_header-block.js';
import { SPARSE_MAP, type PaxRecords } from './_pax.js';

export interface SparseEntry {
  offset: number;
  length: number;
}

/** Go's errSparseTooLong: sparse maps, held in memory, are capped at maxSpecialFileSize (1 MiB). */
const sparseTooLong = (): TarProblem => new TarProblem('too-long', 'sparse map too long');

function text(records: PaxRecords, key: string): string {
  const value = records.get(key);
  return value === undefined ? '' : decodeText(value);
}

function integer(value: string): number {
  const parsed = parseDecimal(value);
  if (parsed === undefined) throw headerProblem(`invalid sparse number ${JSON.stringify(value)}`);
  return parsed;
}

export type PaxSparse = { version: '1.0' } | { version: '0.x'; entries: SparseEntry[] };

/**
 * Go's readGNUSparsePAXHeaders: detects a PAX sparse file, applies GNU.sparse.name and the real
 * size to `target`, and returns the map for 0.0/0.1 (1.0 keeps it in the body). Undefined when not sparse.
 */
export function detectPaxSparse(records: PaxRecords | undefined, target: { name: Uint8Array; size: number }): PaxSparse | undefined {
  if (!records) return undefined;
  const major = text(records, 'GNU.sparse.major');
  const minor = text(records, 'GNU.sparse.minor');
  let is1x0: boolean;
  if (major === '0' && (minor === '0' || minor === '1')) is1x0 = false;
  else if (major === '1' && minor === '0') is1x0 = true;
  else if (major !== '' || minor !== '') return undefined; // unknown version: a regular file
  else if (text(records, SPARSE_MAP) !== '') is1x0 = false;
  else return undefined;

  const name = records.get('GNU.sparse.name');
  if (name && name.length > 0) target.name = name;
  const size = text(records, 'GNU.sparse.size') || text(records, 'GNU.sparse.realsize');
  if (size !== '') target.size = integer(size);
  if (is1x0) return { version: '1.0' };

  const count = parseDecimal(text(records, 'GNU.sparse.numblocks'));
  if (count === undefined || count < 0) throw headerProblem('invalid GNU.sparse.numblocks');
  const mapText = text(records, SPARSE_MAP);
  const fields = mapText === '' ? [] : mapText.split(',');
  if (fields.length !== 2 * count) throw headerProblem('GNU.sparse.map does not match GNU.sparse.numblocks');
  const entries: SparseEntry[] = [];
  for (let i = 0; i < fields.length; i += 2) entries.push({ offset: integer(fields[i]!), length: integer(fields[i + 1]!) });
  return { version: '0.x', entries };
}

/**
 * Collects the PAX 1.0 sparse map from the first blocks of an entry body: a count, then offset
 * and length per entry, each newline-terminated decimal, padded to a block boundary.
 */
export class SparseMap1x0 {
  private readonly blocks: Uint8Array[] = [];
  private newlines = 0;
  private needed = 1;
  private count: number | undefined;
  private bytes = 0;

  /** Adds one 512-byte block; returns the entries once the map is complete. */
  push(block: Uint8Array): SparseEntry[] | undefined {
    this.bytes += block.length;
    if (this.bytes > MAX_SPECIAL_SIZE) throw sparseTooLong();
    this.blocks.push(block.slice());
    for (let at = block.indexOf(0x0a); at >= 0; at = block.indexOf(0x0a, at + 1)) this.newlines++;
    if (this.newlines < this.needed) return undefined;
    const tokens = Buffer.concat(this.blocks).toString('latin1').split('\n');
    if (this.count === undefined) {
      const count = parseDecimal(tokens[0]!);
      if (count === undefined || count < 0) throw headerProblem('invalid PAX 1.0 sparse map count');
      this.count = count;
      this.needed = 1 + 2 * count;
      if (this.newlines < this.needed) return undefined;
    }
    const entries: SparseEntry[] = [];
    for (let i = 0; i < this.count; i++) entries.push({ offset: integer(tokens[1 + 2 * i]!), length: integer(tokens[2 + 2 * i]!) });
    return entries;
  }
}

/**
 * A sparse map that continues after the header in whole blocks: old GNU extension headers
 * (outside the entry's size), or a PAX 1.0 map at the start of the entry body (inside it).
 */
export class SparseBlocks {
  private readonly map1x0 = new SparseMap1x0();
  /** Bytes of old GNU sparse arrays read so far: 97 in the header, 512 per extension block (as Go counts). */
  private gnuBytes = 4 * 24 + 1;

  constructor(
    readonly inBody: boolean,
    private readonly gnuEntries: SparseEntry[] = [],
  ) {}

  /** Adds one 512-byte block; returns the whole map once complete. */
  push(block: Uint8Array): SparseEntry[] | undefined {
    if (this.inBody) return this.map1x0.push(block);
    this.gnuBytes += block.length;
    if (this.gnuBytes >= MAX_SPECIAL_SIZE) throw sparseTooLong();
    readGnuSparseEntries(block, 0, 21, this.gnuEntries);
    return block[504] === 0 ? this.gnuEntries : undefined;
  }
}

/** Go's validateSparseEntries: non-negative, in order, not overlapping, inside the logical size. */
export function validateSparse(entries: SparseEntry[], size: number): void {
  if (size < 0) throw headerProblem('negative sparse file size');
  let previousEnd = 0;
  for (const { offset, length } of entries) {
    if (offset < 0 || length < 0 || offset + length > size || previousEnd > offset) {
      throw headerProblem('invalid sparse map');
    }
    previousEnd = offset + length;
  }
}

export function sparseDataBytes(entries: SparseEntry[]): number {
  let total = 0;
  for (const entry of entries) total += entry.length;
  return total;
}

/**
 * Strings compiled into an object's read-only data that name files or programs: absolute paths
 * (`/etc/nginx/nginx.conf`, a command line's first word, the directory before a printf
 * conversion) and bare command names (`gzip`, `git-upload-pack`). Only NUL-terminated strings
 * that start after a NUL count (C string literals; Go's length-prefixed strings do not). The
 * same extractor runs over chunks as a layer streams past (the collector) and over ranges read
 * from a whole file (parseElf), so both give the same answer; both are bounded per file.
 */
import { SEARCH_READ_LIMIT, type FileRange } from './patterns.js';
import { PF_W, PF_X, PT_LOAD, fileRange, type RawSegment } from './segments.js';
import type { ByteSource } from './types.js';

/** Longest string looked at (PATH_MAX is 4096; compiled paths are far shorter). */
const MAX_STRING = 1024;
/** Per file: candidates kept at most, and their total length (each kind its own, so paths do not depend on whether names were wanted). */
export const MAX_PATHS = 512;
export const MAX_NAMES = 8192;
const MAX_PATH_BYTES = 32 << 10;
const MAX_NAME_BYTES = 128 << 10;

/** Kernel and scratch trees: never files an image provides. */
export const VIRTUAL_TREES = /^\/(proc|sys|dev|tmp|run)(\/|$)/;
const PATH_SHAPE = /^\/[A-Za-z0-9._+@=,~/-]+$/;
const NAME_SHAPE = /^[A-Za-z0-9._+-]{2,64}$/;

/** Imports that find a program by name in PATH (the shell does for system and popen). */
export const RUNS_BY_NAME = new Set(['execvp', 'execlp', 'execvpe', 'posix_spawnp', 'system', 'popen']);

export interface CompiledStrings {
  paths: string[];
  names: string[];
}

/** Read-only PT_LOADs (.rodata, .dynstr); old layouts without one keep .rodata with the text, so then every non-writable one. */
export function readOnlyRanges(segments: readonly RawSegment[], size: number): FileRange[] {
  const loads = segments.filter((s) => s.type === PT_LOAD && s.filesz > 0n && (s.flags & PF_W) === 0);
  const readOnly = loads.filter((s) => (s.flags & PF_X) === 0);
  return (readOnly.length > 0 ? readOnly : loads).map((s) => fileRange(s, size)).filter((r): r is FileRange => r !== null && r.length > 0);
}

/** The absolute path a string names, or null: a command line's first word, the directory before a `%` conversion. */
export function pathCandidate(text: string): string | null {
  let candidate = text.split(/[ \t]/, 1)[0]!;
  const conversion = candidate.indexOf('%');
  if (conversion >= 0) candidate = candidate.slice(0, candidate.lastIndexOf('/', conversion) + 1);
  candidate = candidate.replace(/\/+/g, '/').replace(/(.)\/$/, '$1');
  if (candidate.length < 2 || VIRTUAL_TREES.test(candidate) || !PATH_SHAPE.test(candidate)) return null;
  return candidate;
}

/** A raw string seen by a whole-file scan, with where its bytes and terminating NUL were. */
interface SeenString {
  text: string;
  start: number;
  nul: number;
}

/** Raw strings of each kind a whole-file scan holds at most (late program headers: ranges unknown while the bytes pass). */
const MAX_SEEN_PATHS = 4 * MAX_PATHS;
const MAX_SEEN_NAMES = MAX_NAMES;

interface Seen {
  paths: SeenString[];
  names: SeenString[];
}

/**
 * Gathers candidates from the NUL-separated strings of one range fed in order; `wantNames` also
 * looks for command names. With `seen`, every printable string is recorded with its offsets
 * instead (bounded), for a caller that learns the ranges only later.
 */
export class StringExtractor {
  readonly paths = new Set<string>();
  readonly names = new Set<string>();
  private pathBytes = 0;
  private nameBytes = 0;
  /** Bytes of a string cut by the chunk boundary (null: not inside a candidate string). */
  private pending: Buffer[] | null = null;
  private pendingLength = 0;
  private pendingStart = 0;
  /** The byte before the next chunk is a NUL (the range's start counts as one). */
  private afterNul = true;
  /** Absolute offset of the next byte. */
  private position: number;

  constructor(
    private readonly wantNames: boolean,
    start = 0,
    private readonly seen: Seen | null = null,
  ) {
    this.position = start;
  }

  push(chunk: Uint8Array): void {
    const data = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    const base = this.position;
    this.position += data.length;
    if (data.length === 0) return;
    let at = 0;
    if (this.pending) {
      const end = data.indexOf(0);
      if (end < 0) {
        this.hold(data);
        this.afterNul = false;
        return;
      }
      this.hold(data.subarray(0, end));
      if (this.pending) {
        const joined = Buffer.concat(this.pending);
        this.take(joined, 0, joined.length, this.pendingStart);
      }
      this.pending = null;
      at = end + 1;
    } else if (!this.afterNul) {
      at = data.indexOf(0) + 1;
      if (at === 0) return;
    }
    // `at` starts a string; every later string starts after a NUL.
    while (at < data.length) {
      // A run of NULs (padding, zeroed tables) is stepped over here, not with a search per byte.
      if (data[at] === 0) {
        at++;
        continue;
      }
      // Once no name can be added (the limits only fill), only strings that start with `/` matter.
      const names = this.namesOpen();
      if (!names && !this.pathsOpen()) break;
      const start = names ? at : this.nextSlash(data, at);
      if (start < 0) break;
      const end = data.indexOf(0, start);
      if (end < 0) {
        this.pending = [];
        this.pendingLength = 0;
        this.pendingStart = base + start;
        this.hold(data.subarray(start));
        break;
      }
      if (end - start >= 2 && end - start <= MAX_STRING) this.take(data, start, end, base + start);
      at = end + 1;
    }
    this.afterNul = data[data.length - 1] === 0;
  }

  /** The candidates; a string still open at the end of the range was not NUL-terminated and does not count. */
  finish(): CompiledStrings {
    this.pending = null;
    return { paths: [...this.paths], names: [...this.names] };
  }

  /** Considers one printable NUL-terminated string. */
  accept(text: string): void {
    if (text.startsWith('/')) {
      if (this.pathBytes >= MAX_PATH_BYTES) return;
      const candidate = pathCandidate(text);
      if (candidate && this.paths.size < MAX_PATHS && !this.paths.has(candidate)) {
        this.paths.add(candidate);
        this.pathBytes += candidate.length;
      }
    } else if (this.wantNames && this.nameBytes < MAX_NAME_BYTES && NAME_SHAPE.test(text) && this.names.size < MAX_NAMES && !this.names.has(text)) {
      this.names.add(text);
      this.nameBytes += text.length;
    }
  }

  /** Whether a name can still be added (or recorded, for a whole-file scan). */
  private namesOpen(): boolean {
    if (!this.wantNames) return false;
    if (this.seen) return this.seen.names.length < MAX_SEEN_NAMES;
    return this.nameBytes < MAX_NAME_BYTES && this.names.size < MAX_NAMES;
  }

  /** Whether a path can still be added (or recorded). */
  private pathsOpen(): boolean {
    if (this.seen) return this.seen.paths.length < MAX_SEEN_PATHS;
    return this.pathBytes < MAX_PATH_BYTES && this.paths.size < MAX_PATHS;
  }

  /** The next `/` at or after `from` that starts a string (follows a NUL), or -1. */
  private nextSlash(data: Buffer, from: number): number {
    for (let slash = data.indexOf(0x2f, from); slash >= 0; slash = data.indexOf(0x2f, slash + 1)) {
      if (slash === from || data[slash - 1] === 0) return slash;
    }
    return -1;
  }

  private hold(bytes: Buffer): void {
    if (!this.pending) return;
    this.pendingLength += bytes.length;
    if (this.pendingLength > MAX_STRING) this.pending = null;
    else this.pending.push(Buffer.from(bytes));
  }

  /** Considers bytes [from, to) of `data`, a string that starts at absolute offset `start` and ends before a NUL. */
  private take(data: Buffer, from: number, to: number, start: number): void {
    const first = data[from]!;
    const path = first === 0x2f;
    if (to - from < 2 || (!path && (!this.wantNames || !isNameByte(first)))) return;
    // Indexed, not for-of (an iterator per string), and no view object per string.
    for (let i = from; i < to; i++) {
      const byte = data[i]!;
      if (byte < 0x20 || byte > 0x7e) return;
    }
    const nul = start + (to - from);
    const text = data.toString('latin1', from, to);
    if (!this.seen) this.accept(text);
    else if (path ? this.seen.paths.length < MAX_SEEN_PATHS : this.seen.names.length < MAX_SEEN_NAMES && NAME_SHAPE.test(text)) {
      (path ? this.seen.paths : this.seen.names).push({ text, start, nul });
    }
  }
}

/** [A-Za-z0-9._+-]: a byte a command name may start with. */
function isNameByte(byte: number): boolean {
  return (
    (byte >= 0x61 && byte <= 0x7a) || (byte >= 0x41 && byte <= 0x5a) || (byte >= 0x30 && byte <= 0x39) || byte === 0x2e || byte === 0x5f || byte === 0x2b || byte === 0x2d
  );
}

/**
 * A file's read-only ranges scanned as the file streams: one extractor per range, fed by absolute
 * offsets. When the program headers come after the data (BOLT), the ranges are unknown while the
 * bytes pass: the whole file is scanned, strings recorded with their offsets (bounded), and
 * those inside the ranges are taken at the end, range by range, as a range scan would.
 */
export class RangeStrings {
  private readonly slots: Array<{ range: FileRange; extractor: StringExtractor; state: 'waiting' | 'open' | 'done' | 'missed' }>;
  private readonly seen: Seen | null;

  private constructor(
    ranges: readonly FileRange[],
    readonly wantNames: boolean,
    everything: boolean,
  ) {
    this.seen = everything ? { paths: [], names: [] } : null;
    this.slots = ranges.map((range) => ({ range, extractor: new StringExtractor(wantNames, range.offset, this.seen), state: 'waiting' }));
  }

  static ofRanges(ranges: readonly FileRange[], wantNames: boolean): RangeStrings {
    return new RangeStrings(ranges, wantNames, false);
  }

  /** Scans all of a file of `size` bytes, names included, for ranges given to finish(). */
  static ofWholeFile(size: number): RangeStrings {
    return new RangeStrings([{ offset: 0, length: size }], true, true);
  }

  push(chunk: Uint8Array, start: number): void {
    const end = start + chunk.length;
    for (const slot of this.slots) {
      const { offset, length } = slot.range;
      if (slot.state === 'done' || slot.state === 'missed' || offset >= end || offset + length <= start) continue;
      if (slot.state === 'waiting') {
        if (offset < start) {
          slot.state = 'missed';
          continue;
        }
        slot.state = 'open';
      }
      const to = Math.min(offset + length, end);
      slot.extractor.push(chunk.subarray(Math.max(offset, start) - start, to - start));
      if (to === offset + length) slot.state = 'done';
    }
  }

  /** The candidates of `ranges` when every byte streamed past, else null (the parse then reads what it can). */
  finish(ranges: readonly FileRange[]): { ranges: readonly FileRange[]; found: CompiledStrings } | null {
    if (this.slots.some((slot) => slot.state !== 'done')) return null;
    if (!this.seen) return { ranges: this.slots.map((slot) => slot.range), found: merge(this.slots.map((slot) => slot.extractor.finish())) };
    const results = ranges.map((range) => {
      const extractor = new StringExtractor(true);
      for (const string of [...this.seen!.paths, ...this.seen!.names]) {
        if (string.start >= range.offset && string.nul < range.offset + range.length) extractor.accept(string.text);
      }
      return extractor.finish();
    });
    return { ranges, found: merge(results) };
  }
}

/** A ByteSource that extracted the strings while streaming (the collector's). */
export interface StringsScannedSource extends ByteSource {
  readonly scannedStrings?: { ranges: readonly FileRange[]; wantNames: boolean; found: CompiledStrings } | null;
}

/**
 * The candidates of an object's read-only data; names only when `wantNames`. A collector's source
 * answers from what it extracted while streaming; otherwise the ranges are read
 * (SEARCH_READ_LIMIT bytes at most, unreadable bytes ending a range).
 */
export function compiledStrings(source: StringsScannedSource, segments: readonly RawSegment[], wantNames: boolean): CompiledStrings {
  const ranges = readOnlyRanges(segments, source.size);
  const scanned = source.scannedStrings;
  if (scanned && (scanned.wantNames || !wantNames) && sameRanges(scanned.ranges, ranges)) {
    return { paths: scanned.found.paths, names: wantNames ? scanned.found.names : [] };
  }
  let budget = SEARCH_READ_LIMIT;
  const results: CompiledStrings[] = [];
  for (const range of ranges) {
    const extractor = new StringExtractor(wantNames);
    const length = Math.min(range.length, budget);
    budget -= length;
    for (let at = 0; at < length; at += 4 << 20) {
      const bytes = source.read(range.offset + at, Math.min(4 << 20, length - at));
      if (!bytes) break;
      extractor.push(bytes);
    }
    results.push(extractor.finish());
  }
  return merge(results);
}

function merge(results: readonly CompiledStrings[]): CompiledStrings {
  const paths = new Set<string>();
  const names = new Set<string>();
  for (const result of results) {
    for (const text of result.paths) if (paths.size < MAX_PATHS) paths.add(text);
    for (const text of result.names) if (names.size < MAX_NAMES) names.add(text);
  }
  return { paths: [...paths], names: [...names] };
}

function sameRanges(a: readonly FileRange[], b: readonly FileRange[]): boolean {
  return a.length === b.length && a.every((range, i) => range.offset === b[i]!.offset && range.length === b[i]!.length);
}

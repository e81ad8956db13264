/**
 * Streaming retention for layer scans: receives one file's body chunks in order and keeps only
 * what parseElf will read, in bounded memory. Files up to `fullRetainLimit` are kept whole;
 * bigger ones keep the ELF header, program/section header tables, PT_INTERP, PT_DYNAMIC and the
 * tables it points at, the first read-only PT_LOAD (dynstr/dynsym/versions; capped), PT_NOTEs,
 * windows for .comment and .shstrtab, and windows after Go build-info headers. Needles parseElf
 * searches for (Go, vDSO, stack protector) are scanned in the same regions as the chunks pass,
 * so finish() equals a full parse. Missing bytes become diagnostics, never exceptions.
 */
import { bufferByteSource } from './byte-source.js';
import { readElfHeader, readerFor, type ElfHeader } from './header.js';
import { parseElf, type ParseOptions } from './parse.js';
import type { Hit, ScannedSource } from './patterns.js';
import { DEFAULT_LOOKBACK, RangeStore } from './range-store.js';
import { RegionScanner } from './region-scan.js';
import type { RetentionArena } from './retention-arena.js';
import { RangeStrings, readOnlyRanges, type StringsScannedSource } from './rodata-strings.js';
import { BUDGET, HEAD, dynamicWants, headerWants, scanGroups, segmentWants, type Want } from './retention.js';
import { PT_INTERP, readProgramHeaders, readSectionZero, type RawSegment } from './segments.js';
import type { ByteSource, ElfInfo } from './types.js';

/**
 * Files up to this size are kept whole in the thread's scratch buffer; bigger ones stream. Each
 * scan thread holds one scratch buffer of up to this size for its whole life (it was 16 MiB:
 * 4 MiB lowers peak RSS with results byte-identical on the bench image, docs/benchmarks.md).
 */
export const DEFAULT_FULL_RETAIN_LIMIT = 4 << 20;

/**
 * Look-back kept, when the program headers come after what they describe (BOLT-rewritten
 * files), until PT_DYNAMIC has been read.
 */
const LATE_HEADERS_LOOKBACK = 16 << 20;

export interface ElfCollector {
  push(chunk: Uint8Array): void;
  finish(): ElfInfo;
  /** Bytes held right now: the whole file, or the kept ranges plus the look-back. */
  retainedBytes(): number;
}

export interface CollectorOptions {
  fullRetainLimit?: number;
  /**
   * Reusable memory for files kept whole: the collector takes `scratch.get(size)` instead of
   * allocating. parseElf keeps no views into the bytes, so one scratch can serve a whole layer's
   * files, one after the other (this keeps the allocator from churning over thousands of files).
   */
  scratch?: ScratchBuffer;
  /**
   * Reusable memory for what bigger files keep; as with `scratch`, one file at a time: a
   * collector's pieces are reused once the next collector on the arena starts.
   */
  arena?: RetentionArena;
  /** Extract the strings compiled into read-only data (ParseOptions.compiledStrings; default true). */
  compiledStrings?: boolean;
  /** ParseOptions.importPrefixes. */
  importPrefixes?: readonly string[];
}

export function createElfCollector(size: number, options: CollectorOptions = {}): ElfCollector {
  const limit = options.fullRetainLimit ?? DEFAULT_FULL_RETAIN_LIMIT;
  const parseOptions: ParseOptions = {};
  if (options.compiledStrings === false) parseOptions.compiledStrings = false;
  if (options.importPrefixes) parseOptions.importPrefixes = options.importPrefixes;
  return size <= limit ? wholeCollector(size, parseOptions, options.scratch) : new StreamingCollector(size, parseOptions, options.arena);
}

/** One growing buffer handed out to files kept whole, one file at a time. */
export class ScratchBuffer {
  private buffer = new Uint8Array(0);

  get(size: number): Uint8Array {
    if (this.buffer.length < size) this.buffer = new Uint8Array(Math.max(size, Math.min(this.buffer.length * 2, DEFAULT_FULL_RETAIN_LIMIT)));
    return this.buffer.subarray(0, size);
  }
}

function wholeCollector(size: number, parseOptions: ParseOptions, scratch?: ScratchBuffer): ElfCollector {
  const bytes = scratch ? scratch.get(size) : new Uint8Array(size);
  let received = 0;
  return {
    push(chunk) {
      const n = Math.min(chunk.length, size - received);
      if (n > 0) bytes.set(n === chunk.length ? chunk : chunk.subarray(0, n), received);
      received += n;
    },
    finish() {
      const info = parseElf(bufferByteSource(received === size ? bytes : bytes.subarray(0, received)), parseOptions);
      if (received < size) info.diagnostics.unshift(`file body ended after ${received} of ${size} bytes`);
      return info;
    },
    retainedBytes: () => size,
  };
}

class StreamingCollector implements ElfCollector {
  private readonly store: RangeStore;
  private readonly arena: RetentionArena | undefined;
  private readonly view: ByteSource;
  private header: ElfHeader | null = null;
  private headerFailed = false;
  private phEnd = 0;
  private segments: RawSegment[] | null = null;
  private dynamicDone = false;
  private scanner: RegionScanner | null = null;
  /** Compiled strings of the read-only data, extracted as it passes (once the program headers are known). */
  private strings: RangeStrings | null = null;
  private readonly windows = new Map<string, number>();

  constructor(
    private readonly size: number,
    private readonly parseOptions: ParseOptions,
    arena?: RetentionArena,
  ) {
    arena?.begin();
    this.arena = arena;
    this.store = new RangeStore(size, BUDGET, arena && ((bytes) => arena.take(bytes)));
    this.store.want(0, HEAD);
    this.view = { size, read: (offset, length) => this.store.read(offset, length) };
  }

  push(chunk: Uint8Array): void {
    let data = chunk.subarray(0, Math.max(0, Math.min(chunk.length, this.size - this.store.position)));
    while (data.length > 0) {
      if (this.scanner) {
        // Scan first: windows that start in this chunk must be wanted before it is stored.
        this.onHits(this.scanner.push(data, this.store.position));
        this.strings?.push(data, this.store.position);
        this.store.write(data);
        this.advance();
        return;
      }
      // Until the scan regions are known, feed only up to the next header boundary.
      const need = this.header ? this.phEnd : 64;
      const take = need > this.store.position ? Math.min(data.length, need - this.store.position) : data.length;
      this.store.write(data.subarray(0, take));
      data = data.subarray(take);
      this.advance();
    }
  }

  finish(): ElfInfo {
    if (!this.scanner) this.startScanning(true);
    if (this.scanner) this.onHits(this.scanner.finish(this.store.position));
    const found = this.strings?.finish(this.segments ? readOnlyRanges(this.segments, this.size) : []) ?? null;
    const source: ScannedSource & StringsScannedSource = {
      ...this.view,
      scannedHits: this.scanner?.hits ?? [],
      scannedRanges: this.scanner?.scanned ?? [],
      scannedStrings: this.strings && found ? { ...found, wantNames: this.strings.wantNames } : null,
    };
    const info = parseElf(source, this.parseOptions);
    // parseElf keeps no views into the bytes: the arena's pages can go now.
    this.arena?.end();
    if (this.store.position < this.size) info.diagnostics.unshift(`file body ended after ${this.store.position} of ${this.size} bytes`);
    if (this.store.overBudget) info.diagnostics.push(`streamed ELF retention reached its ${BUDGET >> 20} MiB budget: some tables were not kept`);
    return info;
  }

  retainedBytes(): number {
    return this.store.retained + this.store.lookbackBytes;
  }

  private want(wants: readonly Want[]): void {
    for (const [start, end] of wants) this.store.want(start, end);
  }

  /** Keeps the windows some hits call for (Go build info, .shstrtab, .comment), each kind capped. */
  private onHits(hits: readonly Hit[]): void {
    for (const hit of hits) {
      const window = hitWindow(hit);
      if (!window) continue;
      const used = this.windows.get(window.kind) ?? 0;
      if (used >= window.max) continue;
      this.windows.set(window.kind, used + 1);
      this.store.want(hit.offset - window.before, hit.offset + window.after);
    }
  }

  /** Registers wanted ranges and starts scanning as the headers they derive from arrive. */
  private advance(): void {
    const position = this.store.position;
    if (!this.header && !this.headerFailed) {
      if (position < Math.min(64, this.size)) return;
      const head = this.store.read(0, Math.min(64, this.size));
      this.header = head ? readElfHeader(head) : null;
      if (!this.header) {
        this.headerFailed = true;
        this.startScanning(true);
        return;
      }
      const tables = headerWants(this.header, this.size);
      this.phEnd = tables.phEnd;
      this.want(tables.wants);
      // Program headers that are not in the first bytes (BOLT) or counted in section 0 (PN_XNUM):
      // regions are unknown until late, so scan everything.
      if (tables.late) {
        this.store.setLookback(LATE_HEADERS_LOOKBACK);
        if (this.wantsStrings()) this.startStrings(RangeStrings.ofWholeFile(this.size));
        this.startScanning(true);
      }
    }
    if (!this.header) return;
    if (!this.segments && position >= this.phEnd) this.readSegments(this.header);
    if (this.segments && !this.dynamicDone) this.readDynamic(this.header, this.segments);
  }

  private readSegments(header: ElfHeader): void {
    const r = readerFor(header);
    let zero = null;
    if (header.phnum === 0xffff) {
      zero = readSectionZero(this.view, header, r);
      if (!zero && this.store.position < this.size) return; // PN_XNUM: the count arrives with section 0
    }
    this.segments = readProgramHeaders(this.view, header, r, [], zero).segments;
    this.want(segmentWants(this.segments, this.size));
    if (!this.strings && this.wantsStrings()) {
      this.startStrings(RangeStrings.ofRanges(readOnlyRanges(this.segments, this.size), this.segments.some((s) => s.type === PT_INTERP)));
    }
    if (!this.scanner) this.startScanning(false);
  }

  /** Once PT_DYNAMIC has arrived, keeps the tables it points at (ahead, or still in the look-back). */
  private readDynamic(header: ElfHeader, segments: RawSegment[]): void {
    const wants = dynamicWants(this.view, header, segments, this.store.position);
    if (wants === 'pending') return;
    this.dynamicDone = true;
    this.want(wants);
    this.store.setLookback(DEFAULT_LOOKBACK);
  }

  /** Whether compiled strings are extracted: from executables and shared objects, unless turned off. */
  private wantsStrings(): boolean {
    return this.parseOptions.compiledStrings !== false && (this.header?.type === 2 || this.header?.type === 3);
  }

  /** Starts extracting compiled strings; bytes already received (all retained: the head) are fed first. */
  private startStrings(strings: RangeStrings): void {
    this.strings = strings;
    const received = this.store.position;
    const head = received > 0 ? this.store.read(0, received) : undefined;
    if (head) strings.push(head, 0);
  }

  /** Starts region scanning; bytes already received (all retained: the head) are scanned first. */
  private startScanning(everything: boolean): void {
    const groups = scanGroups(everything ? null : this.segments, this.size, this.header);
    this.scanner = new RegionScanner(groups);
    const received = this.store.position;
    const head = received > 0 ? this.store.read(0, received) : new Uint8Array(0);
    if (head) this.onHits(this.scanner.push(head, 0));
  }
}

function hitWindow(hit: Hit): { kind: string; max: number; before: number; after: number } | null {
  if (hit.id === 'go-magic') return hit.offset % 16 === 0 ? { kind: 'go', max: 4, before: 0, after: 1 << 20 } : null;
  if (hit.id === 'shstrtab') return { kind: 'shstrtab', max: 4, before: 8 << 10, after: 64 << 10 };
  if (hit.id.startsWith('comment:')) return { kind: 'comment', max: 8, before: 2 << 10, after: 6 << 10 };
  return null;
}

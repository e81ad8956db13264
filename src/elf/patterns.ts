/**
 * Literal needles found in a byte stream that arrives in arbitrary chunks (a match may straddle
 * chunks). The collector runs it over a whole file once; parseElf runs it over chosen ranges.
 * Both yield the same hits, so a streamed parse equals a full one.
 */
import type { ByteSource } from './types.js';

export interface Needle {
  id: string;
  bytes: Buffer;
  /** The part searched with indexOf; needles sharing a prefix are checked together. */
  prefix: Buffer;
}

export interface Hit {
  offset: number;
  id: string;
}

export const GO_MAGIC = Buffer.from('\xff Go buildinf:', 'latin1');

/** vDSO symbols programs look up (x86 `__vdso_*`, arm64/ppc/s390/riscv `__kernel_*`). */
export const VDSO_NAMES = [
  '__vdso_clock_gettime',
  '__kernel_clock_gettime',
  '__vdso_gettimeofday',
  '__kernel_gettimeofday',
  '__vdso_time',
  '__kernel_time',
  '__vdso_clock_gettime64',
  '__vdso_clock_getres',
  '__kernel_clock_getres',
  '__vdso_getcpu',
  '__kernel_getcpu',
  '__vdso_getrandom',
  '__kernel_getrandom',
  '__vdso_sgx_enter_enclave',
  '__kernel_get_tbfreq',
  '__kernel_get_syscall_map',
  '__kernel_sync_dicache',
  '__kernel_rt_sigreturn',
  '__kernel_sigtramp_rt64',
  '__kernel_vsyscall',
] as const;

/** `.symtab` string-table entries that show stack-protector instrumentation. */
export const CANARY_SYMBOLS = ['__stack_chk_fail', '__stack_chk_guard'] as const;

function needle(id: string, text: string, prefix: string): Needle {
  return { id, bytes: Buffer.from(text, 'latin1'), prefix: Buffer.from(prefix, 'latin1') };
}

export const GO_NEEDLES: Needle[] = [{ id: 'go-magic', bytes: GO_MAGIC, prefix: GO_MAGIC }];
export const VDSO_NEEDLES: Needle[] = VDSO_NAMES.map((name) => needle(name, name, name.startsWith('__vdso_') ? '__vdso_' : '__kernel_'));
export const CANARY_NEEDLES: Needle[] = CANARY_SYMBOLS.map((name) => needle(name, `\0${name}\0`, '\0__stack_chk_'));
export const ALL_NEEDLES: Needle[] = [...GO_NEEDLES, ...VDSO_NEEDLES, ...CANARY_NEEDLES];

const MAX_HITS_PER_NEEDLE = 1024;

const asBuffer = (bytes: Uint8Array) => (Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));

export class PatternScanner {
  readonly hits: Hit[] = [];
  private readonly groups: Array<{ prefix: Buffer; needles: Needle[] }> = [];
  private readonly span: number;
  private readonly counts = new Map<string, number>();
  /** Bytes [watermark, seen): starts not decided yet. */
  private tail: Buffer = Buffer.alloc(0);
  private watermark: number;
  private seen: number;

  constructor(needles: readonly Needle[], startOffset = 0) {
    for (const n of needles) {
      const group = this.groups.find((g) => g.prefix.equals(n.prefix));
      if (group) group.needles.push(n);
      else this.groups.push({ prefix: n.prefix, needles: [n] });
    }
    this.span = Math.max(1, ...needles.map((n) => n.bytes.length));
    this.watermark = this.seen = startOffset;
  }

  push(chunk: Uint8Array): void {
    const data = asBuffer(chunk);
    const start = this.seen;
    const end = start + data.length;
    const keep = this.span - 1;
    if (data.length >= this.span) {
      if (this.tail.length > 0) this.decide(Buffer.concat([this.tail, data.subarray(0, keep)]), this.watermark, start);
      this.decide(data, start, end - keep);
      this.tail = Buffer.from(data.subarray(data.length - keep));
      this.watermark = end - keep;
    } else {
      const joined = this.tail.length > 0 ? Buffer.concat([this.tail, data]) : Buffer.from(data);
      const limit = end - keep;
      if (limit > this.watermark) {
        this.decide(joined, this.watermark, limit);
        this.tail = joined.subarray(limit - this.watermark);
        this.watermark = limit;
      } else this.tail = joined;
    }
    this.seen = end;
  }

  /** Decides the last bytes (needles that do not fit before the end cannot match). */
  finish(): Hit[] {
    this.decide(this.tail, this.watermark, this.seen);
    this.tail = Buffer.alloc(0);
    this.watermark = this.seen;
    return this.hits;
  }

  /** Records matches in `buf` (which starts at absolute `base`) whose start is below `startsBelow`. */
  private decide(buf: Buffer, base: number, startsBelow: number): void {
    for (const { prefix, needles } of this.groups) {
      for (let i = buf.indexOf(prefix); i >= 0 && base + i < startsBelow; i = buf.indexOf(prefix, i + 1)) {
        for (const n of needles) {
          if (i + n.bytes.length > buf.length || buf.compare(n.bytes, 0, n.bytes.length, i, i + n.bytes.length) !== 0) continue;
          const count = this.counts.get(n.id) ?? 0;
          if (count >= MAX_HITS_PER_NEEDLE) continue;
          this.counts.set(n.id, count + 1);
          this.hits.push({ offset: base + i, id: n.id });
        }
      }
    }
  }
}

/** A ByteSource whose bytes were all scanned for ALL_NEEDLES while it streamed past. */
export interface ScannedSource extends ByteSource {
  readonly scannedHits: readonly Hit[];
}

export function isScannedSource(source: ByteSource): source is ScannedSource {
  return Array.isArray((source as Partial<ScannedSource>).scannedHits);
}

export interface FileRange {
  offset: number;
  length: number;
}

const READ_CHUNK = 4 << 20;

/** Hits of `needles` inside `ranges`, in offset order. Unreadable bytes are skipped. */
export function findInRanges(source: ByteSource, ranges: readonly FileRange[], needles: readonly Needle[]): Hit[] {
  const ids = new Set(needles.map((n) => n.id));
  const inside = (hit: Hit, length: number) => ranges.some((r) => hit.offset >= r.offset && hit.offset + length <= r.offset + r.length);
  const lengthOf = new Map(needles.map((n) => [n.id, n.bytes.length]));
  let hits: Hit[];
  if (isScannedSource(source)) hits = source.scannedHits.filter((h) => ids.has(h.id));
  else {
    hits = [];
    for (const range of ranges) {
      const scanner = new PatternScanner(needles, range.offset);
      for (let at = 0; at < range.length; at += READ_CHUNK) {
        const bytes = source.read(range.offset + at, Math.min(READ_CHUNK, range.length - at));
        if (!bytes) break;
        scanner.push(bytes);
      }
      hits.push(...scanner.finish());
    }
  }
  const unique = new Map<string, Hit>();
  for (const hit of hits) if (inside(hit, lengthOf.get(hit.id) ?? 1)) unique.set(`${hit.offset}:${hit.id}`, hit);
  return [...unique.values()].sort((a, b) => a.offset - b.offset);
}

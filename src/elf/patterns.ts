/**
 * Literal needles found in a byte stream that arrives in arbitrary chunks (a match may straddle
 * chunks). The collector runs it over a whole file once; parseElf runs it over chosen ranges.
 * Both yield the same hits, so a streamed parse equals a full one.
 */
import type { ByteSource } from './types.js';

export interface Needle {
  id: string;
  bytes: Buffer;
  /** The part searched with indexOf (chosen to start with a rare byte: indexOf is memchr-led). */
  key: Buffer;
  /** Where `key` sits in `bytes`. */
  keyOffset: number;
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

/**
 * Go standard packages whose presence changes what a program reads at run time: `crypto/tls`
 * (the CA bundle), `net` (the pure-Go resolver reads /etc/nsswitch.conf and /etc/hosts) and
 * `time/tzdata` (the zone database compiled in). Found as function-name prefixes in
 * `.gopclntab`'s NUL-separated name table, which the linker keeps for every reachable function
 * (stripped binaries too), in non-executable loaded data.
 */
export const GO_PACKAGES = ['crypto/tls', 'net', 'time/tzdata'] as const;
/** Go functions found the same way, by their whole name: `time.LoadLocation` reads named zones from the zoneinfo tree. */
export const GO_FUNCTIONS = ['time.LoadLocation'] as const;
/** Search keys (see `needle`) of the Go names: the tails that start with a rarer byte. */
const GO_KEYS: Record<string, string> = { 'crypto/tls': '/tls.', net: 'net.', 'time/tzdata': 'zdata.', 'time.LoadLocation': 'dLocat' };
export const GO_PACKAGE_NEEDLES: Needle[] = [
  ...GO_PACKAGES.map((name) => needle(`go-package:${name}`, `\0${name}.`, GO_KEYS[name]!)),
  ...GO_FUNCTIONS.map((name) => needle(`go-function:${name}`, `\0${name}\0`, GO_KEYS[name]!)),
];

/** `.symtab` string-table entries that show stack-protector instrumentation. */
export const CANARY_SYMBOLS = ['__stack_chk_fail', '__stack_chk_guard'] as const;

/**
 * A needle found by searching for `key`, a part of `text`, then comparing the rest. Keys are at
 * most 6 bytes and start with a byte that is rare in binaries: Node's indexOf finds a short
 * pattern by memchr of its first byte, while a pattern of 7 bytes or more goes through a
 * Boyer-Moore-Horspool search that was 3-9× slower over this machine's big libraries
 * (docs/benchmarks.md, profile of analyze).
 */
export function needle(id: string, text: string, key: string): Needle {
  const keyOffset = text.indexOf(key);
  if (keyOffset < 0) throw new Error(`needle key ${key} is not in ${text}`);
  return { id, bytes: Buffer.from(text, 'latin1'), key: Buffer.from(key, 'latin1'), keyOffset };
}

export const GO_NEEDLES: Needle[] = [needle('go-magic', GO_MAGIC.toString('latin1'), 'buildi')];
export const VDSO_NEEDLES: Needle[] = VDSO_NAMES.map((name) => needle(name, name, name.startsWith('__vdso_') ? 'vdso_' : 'kernel'));

/**
 * The vDSO names a machine's kernel exports: `__kernel_*` on AArch64, PowerPC and s390,
 * `__vdso_*` elsewhere (i386 also has `__kernel_vsyscall`). One search key per machine keeps
 * the scan to a single pass; unknown machines get both.
 */
export function vdsoNeedles(machine: number): Needle[] {
  const kernelStyle = machine === 183 || machine === 20 || machine === 21 || machine === 22;
  const vdsoStyle = [3, 62, 40, 8, 10, 243, 258, 6].includes(machine);
  if (kernelStyle) return VDSO_NEEDLES.filter((n) => n.id.startsWith('__kernel_'));
  if (vdsoStyle) return VDSO_NEEDLES.filter((n) => n.id.startsWith('__vdso_') || (machine === 3 && n.id === '__kernel_vsyscall'));
  return VDSO_NEEDLES;
}
export const CANARY_NEEDLES: Needle[] = CANARY_SYMBOLS.map((name) => needle(name, `\0${name}\0`, 'k_chk_'));
/**
 * Strings compilers put in `.comment` (the collector keeps windows around them). Every C
 * runtime object carries one of these, so one is present wherever a `.comment` is.
 */
export const COMMENT_NEEDLES: Needle[] = [
  needle('comment:gcc', 'GCC: (', 'GCC: ('),
  needle('comment:clang', 'clang version ', 'clang '),
];
/** Section names live in .shstrtab, which the collector can only locate by content. */
export const SHSTRTAB_NEEDLES: Needle[] = [needle('shstrtab', '\0.shstrtab\0', 'hstrta')];

const MAX_HITS_PER_NEEDLE = 4096;

const asBuffer = (bytes: Uint8Array) => (Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));

export class PatternScanner {
  readonly hits: Hit[] = [];
  private readonly groups: Array<{ key: Buffer; needles: Needle[] }> = [];
  private readonly span: number;
  private readonly counts = new Map<string, number>();
  /** Bytes [watermark, seen): starts not decided yet. */
  private tail: Buffer = Buffer.alloc(0);
  private watermark: number;
  private seen: number;

  constructor(needles: readonly Needle[], startOffset = 0) {
    for (const n of needles) {
      const group = this.groups.find((g) => g.key.equals(n.key));
      if (group) group.needles.push(n);
      else this.groups.push({ key: n.key, needles: [n] });
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

  /**
   * Records matches in `buf` (which starts at absolute `base`) whose start is below `startsBelow`.
   * A match starting before `buf` belongs to the junction scan that covers its start.
   */
  private decide(buf: Buffer, base: number, startsBelow: number): void {
    for (const { key, needles } of this.groups) {
      for (let k = buf.indexOf(key); k >= 0; k = buf.indexOf(key, k + 1)) {
        for (const n of needles) {
          const i = k - n.keyOffset;
          if (i < 0 || base + i >= startsBelow || i + n.bytes.length > buf.length) continue;
          if (buf.compare(n.bytes, 0, n.bytes.length, i, i + n.bytes.length) !== 0) continue;
          const count = this.counts.get(n.id) ?? 0;
          if (count >= MAX_HITS_PER_NEEDLE) continue;
          this.counts.set(n.id, count + 1);
          this.hits.push({ offset: base + i, id: n.id });
        }
      }
    }
  }
}

export interface FileRange {
  offset: number;
  length: number;
}

/** A stretch of a file that was scanned, whole, for the needles named in `ids`. */
export interface ScannedRange extends FileRange {
  ids: ReadonlySet<string>;
}

/** A ByteSource whose bytes were scanned while they streamed past (the collector's). */
export interface ScannedSource extends ByteSource {
  readonly scannedHits: readonly Hit[];
  readonly scannedRanges: readonly ScannedRange[];
}

export function isScannedSource(source: ByteSource): source is ScannedSource {
  return Array.isArray((source as Partial<ScannedSource>).scannedHits);
}

/** True when one scanned range holds all of `range` for every needle. */
function covered(source: ScannedSource, range: FileRange, needles: readonly Needle[]): boolean {
  return source.scannedRanges.some(
    (s) => s.offset <= range.offset && range.offset + range.length <= s.offset + s.length && needles.every((n) => s.ids.has(n.id)),
  );
}

const READ_CHUNK = 4 << 20;

/**
 * Bytes one search reads from a file at most. Ranges come from program headers, which can claim
 * anything: a sparse file of 1 TiB whose PT_LOAD covers it all would otherwise be read through.
 * 256 MiB is more non-executable loaded data than any object in Debian's archive holds; the
 * streaming collector scans everything it is given regardless of this bound.
 */
export const SEARCH_READ_LIMIT = 256 << 20;

/**
 * Hits of `needles` inside `ranges`, in offset order. A collector's source answers from what it
 * scanned while streaming; otherwise the ranges are read and scanned (unreadable bytes skipped),
 * SEARCH_READ_LIMIT bytes at most.
 */
export function findInRanges(source: ByteSource, ranges: readonly FileRange[], needles: readonly Needle[]): Hit[] {
  const ids = new Set(needles.map((n) => n.id));
  const lengthOf = new Map(needles.map((n) => [n.id, n.bytes.length]));
  const unique = new Map<string, Hit>();
  let budget = SEARCH_READ_LIMIT;
  for (const range of ranges) {
    let hits: readonly Hit[];
    if (isScannedSource(source) && covered(source, range, needles)) hits = source.scannedHits;
    else {
      const scanner = new PatternScanner(needles, range.offset);
      const length = Math.min(range.length, budget);
      budget -= length;
      for (let at = 0; at < length; at += READ_CHUNK) {
        const bytes = source.read(range.offset + at, Math.min(READ_CHUNK, length - at));
        if (!bytes) break;
        scanner.push(bytes);
      }
      hits = scanner.finish();
    }
    for (const hit of hits) {
      const length = lengthOf.get(hit.id);
      if (length === undefined || !ids.has(hit.id)) continue;
      if (hit.offset >= range.offset && hit.offset + length <= range.offset + range.length) unique.set(`${hit.offset}:${hit.id}`, hit);
    }
  }
  return [...unique.values()].sort((a, b) => a.offset - b.offset);
}

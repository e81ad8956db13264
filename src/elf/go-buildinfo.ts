/**
 * Go build info, read the way Go's debug/buildinfo does: the 16-byte-aligned
 * `\xff Go buildinf:` header in .go.buildinfo (or the first writable, non-executable PT_LOAD),
 * then either inline varint-prefixed strings (Go ≥ 1.18) or pointers to Go string headers
 * (older), all addresses mapped through PT_LOAD.
 */
import { parseModinfo } from './go-modinfo.js';
import { GO_NEEDLES, findInRanges } from './patterns.js';
import type { RawSection } from './sections.js';
import { PF_W, PF_X, PT_LOAD, loadRangeAt, type RawSegment } from './segments.js';
import { toSafe } from './reader.js';
import { decodeText } from './strings.js';
import type { ByteSource, GoBuildInfo } from './types.js';

const HEADER_SIZE = 32;
const ALIGN = 16n;
const MAX_STRING = 16 << 20;
/**
 * How far from the start of .go.buildinfo (or of the data segment) the header is searched. Go's
 * linker puts the blob first (cmd/link Link.buildinfo); Go 1.19's `go version` reads 64 KiB,
 * later ones scan in 1 MiB chunks. One chunk: a segment claiming a terabyte is never read.
 */
const SEARCH_LIMIT = 1 << 20;

export interface GoContext {
  source: ByteSource;
  segments: readonly RawSegment[];
  sections: readonly RawSection[];
  diagnostics: string[];
}

/**
 * The file range Go searches for the header: .go.buildinfo, else the first W-not-X PT_LOAD; at
 * most SEARCH_LIMIT bytes, and only bytes the file holds.
 */
export function goSearchRange(ctx: GoContext): { addr: bigint; offset: number; length: number } | null {
  const section = ctx.sections.find((s) => s.name === '.go.buildinfo');
  const segment = ctx.segments.find((p) => p.type === PT_LOAD && (p.flags & (PF_X | PF_W)) === PF_W);
  const [addr, size] = section ? [section.addr, section.size] : segment ? [segment.vaddr, segment.memsz] : [0n, 0n];
  if (size === 0n) return null;
  const range = loadRangeAt(ctx.segments, addr);
  if (!range) return null;
  const length = Math.min(range.length, toSafe(size) ?? range.length, SEARCH_LIMIT, ctx.source.size - range.offset);
  return length > 0 ? { addr, offset: range.offset, length } : null;
}

/** Reads up to `size` bytes at virtual address `addr` within one PT_LOAD (Go's ReadData). */
function readData(ctx: GoContext, addr: bigint, size: number): Uint8Array | undefined {
  const range = loadRangeAt(ctx.segments, addr);
  if (!range) return undefined;
  return ctx.source.read(range.offset, Math.min(size, range.length));
}

function uvarint(bytes: Uint8Array): { value: number; length: number } | null {
  let value = 0;
  for (let i = 0; i < bytes.length && i < 10; i++) {
    const b = bytes[i] as number;
    value += (b & 0x7f) * 2 ** (7 * i);
    if (b < 0x80) return { value, length: i + 1 };
  }
  return null;
}

function decodeInline(ctx: GoContext, addr: bigint): { bytes: Uint8Array; next: bigint } | null {
  const head = readData(ctx, addr, 10);
  const length = head ? uvarint(head) : null;
  if (!length || length.value > MAX_STRING) return null;
  const start = addr + BigInt(length.length);
  const bytes = length.value === 0 ? new Uint8Array(0) : readData(ctx, start, length.value);
  if (!bytes || bytes.length < length.value) return null;
  return { bytes, next: start + BigInt(length.value) };
}

function readPointer(bytes: Uint8Array, at: number, size: 4 | 8, big: boolean): bigint {
  const view = new DataView(bytes.buffer, bytes.byteOffset + at, size);
  return size === 4 ? BigInt(view.getUint32(0, !big)) : view.getBigUint64(0, !big);
}

function readGoString(ctx: GoContext, addr: bigint, size: 4 | 8, big: boolean): Uint8Array {
  const none = new Uint8Array(0);
  const header = readData(ctx, addr, 2 * size);
  if (!header || header.length < 2 * size) return none;
  const data = readPointer(header, 0, size, big);
  const length = readPointer(header, size, size, big);
  if (length > BigInt(MAX_STRING)) return none;
  const bytes = length === 0n ? none : readData(ctx, data, Number(length));
  return bytes && bytes.length === Number(length) ? bytes : none;
}

/** Go build info, or null when this is not a Go executable (as `go version -m` would say). */
export function readGoBuildInfo(ctx: GoContext): GoBuildInfo | null {
  const range = goSearchRange(ctx);
  if (!range) return null;
  let headerAddr: bigint | null = null;
  for (const hit of findInRanges(ctx.source, [range], GO_NEEDLES)) {
    if (range.offset + range.length - hit.offset < HEADER_SIZE) return null;
    const addr = range.addr + BigInt(hit.offset - range.offset);
    if (addr % ALIGN === 0n) {
      headerAddr = addr;
      break;
    }
  }
  if (headerAddr === null) return null;
  const header = readData(ctx, headerAddr, HEADER_SIZE);
  if (!header || header.length < HEADER_SIZE) return damaged(ctx, 'header is not available');
  const flags = header[15] as number;
  let version: Uint8Array;
  let modinfo: Uint8Array;
  if (flags & 2) {
    const v = decodeInline(ctx, headerAddr + BigInt(HEADER_SIZE));
    const m = v ? decodeInline(ctx, v.next) : null;
    if (!v || !m) return damaged(ctx, 'inline strings are truncated or not available');
    [version, modinfo] = [v.bytes, m.bytes];
  } else {
    const size = header[14];
    if (size !== 4 && size !== 8) return null;
    const big = (flags & 1) === 1;
    version = readGoString(ctx, readPointer(header, 16, size, big), size, big);
    modinfo = readGoString(ctx, readPointer(header, 16 + size, size, big), size, big);
  }
  if (version.length === 0) return damaged(ctx, 'no Go version string');
  // Strip the 16-byte sentinels (cmd/go modload infoStart/infoEnd) framing the module info.
  const framed = modinfo.length >= 33 && modinfo[modinfo.length - 17] === 0x0a;
  const parsed = parseModinfo(framed ? decodeText(modinfo, 16, modinfo.length - 16) : '');
  if (parsed.error) ctx.diagnostics.push(parsed.error);
  return {
    version: decodeText(version),
    path: parsed.path || null,
    mainModule: parsed.main ? `${parsed.main.path}@${parsed.main.version}` : null,
    settings: Object.fromEntries(parsed.settings),
    deps: parsed.deps,
  };
}

function damaged(ctx: GoContext, why: string): null {
  ctx.diagnostics.push(`Go build info header found but unreadable: ${why}`);
  return null;
}

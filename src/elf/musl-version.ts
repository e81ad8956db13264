/**
 * The version musl's libc.so (also its loader, ld-musl-ARCH.so.1) carries: `__libc_version`, a
 * lone NUL-terminated string in .rodata (`1.2.3`), which the loader prints as `Version 1.2.3`
 * when run as `ldd` or with no arguments. It is not a symbol, so it is found by shape, next to
 * the loader's usage banner `musl libc (ARCH)` that proves the file is musl's.
 */
import { PF_X, PT_LOAD, fileRange, type RawSegment } from './segments.js';
import type { ByteSource } from './types.js';

const BANNER = Buffer.from('musl libc (', 'latin1');
/** musl's read-only data is ~200 KiB; a bigger segment is not musl's libc (and is not read). */
const MAX_SEGMENT = 4 << 20;
/** `1.2.3`, or `1.2.4-27-g1b2c3d4` (musl's tools/version.sh: `git describe` of a checkout). */
const VERSION = /\0([0-9]\.[0-9]{1,3}\.[0-9]{1,3}(?:-[0-9A-Za-z.-]{1,40})?)(?=\0)/g;

/**
 * The musl version an object embeds, or null: when it is not musl's libc (no banner in its
 * non-executable loaded data), or when the segment holds no single version-shaped string.
 * Reads only bytes the caller already holds (the collector keeps such small segments whole).
 */
export function readMuslVersion(source: ByteSource, segments: readonly RawSegment[]): string | null {
  for (const segment of segments) {
    if (segment.type !== PT_LOAD || (segment.flags & PF_X) !== 0) continue;
    const range = fileRange(segment, source.size);
    if (!range || range.length === 0 || range.length > MAX_SEGMENT) continue;
    const bytes = source.read(range.offset, range.length);
    if (!bytes) continue;
    const data = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    if (data.indexOf(BANNER) < 0) continue;
    const found = new Set([...data.toString('latin1').matchAll(VERSION)].map((m) => m[1]!));
    return found.size === 1 ? [...found][0]! : null;
  }
  return null;
}

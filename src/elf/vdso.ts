/**
 * vDSO evidence: names of vDSO symbols in the object's loaded, non-executable data (where
 * runtimes keep the strings they pass to their vDSO lookup: glibc's ld.so and libc, Go's
 * runtime, musl). Old layouts keep .rodata in the executable segment; then it is searched too.
 */
import { GO_PACKAGE_NEEDLES, VDSO_NAMES, findInRanges, vdsoNeedles, type FileRange } from './patterns.js';
import { PF_W, PF_X, PT_LOAD, fileRange, type RawSegment } from './segments.js';
import type { ByteSource } from './types.js';

export function vdsoSearchRanges(segments: readonly RawSegment[], size: number): FileRange[] {
  const loads = segments.filter((s) => s.type === PT_LOAD && s.filesz > 0n);
  const hasReadOnlyData = loads.some((s) => (s.flags & (PF_X | PF_W)) === 0);
  const chosen = hasReadOnlyData ? loads.filter((s) => (s.flags & PF_X) === 0) : loads;
  return chosen.map((s) => fileRange(s, size)).filter((r): r is FileRange => r !== null && r.length > 0);
}

/** e.g. `looks up __vdso_clock_gettime`, naming the most telling symbol found; null when none. */
export function vdsoEvidence(source: ByteSource, segments: readonly RawSegment[], machine: number): string | null {
  const ranges = vdsoSearchRanges(segments, source.size);
  if (ranges.length === 0) return null;
  const found = new Set(findInRanges(source, ranges, vdsoNeedles(machine)).map((hit) => hit.id));
  const name = VDSO_NAMES.find((n) => found.has(n));
  return name ? `looks up ${name}` : null;
}

/**
 * Which of GO_PACKAGES and GO_FUNCTIONS a Go binary links: their function names in `.gopclntab`,
 * which lives in the same non-executable loaded data the vDSO search reads (so the collector
 * scans it in one pass).
 */
export function goSymbolsLinked(source: ByteSource, segments: readonly RawSegment[]): { packages: string[]; functions: string[] } {
  const ranges = vdsoSearchRanges(segments, source.size);
  const found = new Set(findInRanges(source, ranges, GO_PACKAGE_NEEDLES).map((hit) => hit.id));
  const named = (prefix: string) => GO_PACKAGE_NEEDLES.filter((n) => n.id.startsWith(prefix) && found.has(n.id)).map((n) => n.id.slice(prefix.length));
  return { packages: named('go-package:'), functions: named('go-function:') };
}

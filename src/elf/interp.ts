/** PT_INTERP: the program interpreter path the kernel loads, validated like the kernel does. */
import { SHT_NOBITS, sectionAt, type RawSection } from './sections.js';
import { fileRange, type RawSegment } from './segments.js';
import { decodeText } from './strings.js';
import type { ByteSource } from './types.js';

const MAX_INTERP = 4096;

export interface InterpResult {
  path: string | null;
  /** The segment's bytes are not in the file: a separate debug file. */
  nobits: boolean;
}

export function readInterpreter(
  source: ByteSource,
  segment: RawSegment,
  sections: readonly RawSection[],
  diagnostics: string[],
): InterpResult {
  const backing = sectionAt(sections, segment.vaddr, () => true);
  if (backing?.type === SHT_NOBITS) {
    diagnostics.push(`PT_INTERP is backed by SHT_NOBITS section ${backing.name || `[${backing.index}]`} (separate debug file): no interpreter`);
    return { path: null, nobits: true };
  }
  const range = fileRange(segment, source.size);
  if (!range || range.length === 0 || segment.filesz === 0n) {
    diagnostics.push(segment.filesz === 0n ? 'PT_INTERP is empty: no interpreter' : 'PT_INTERP lies outside the file');
    return { path: null, nobits: false };
  }
  if (range.length < Number(segment.filesz)) diagnostics.push('PT_INTERP runs past the end of the file');
  const bytes = source.read(range.offset, Math.min(range.length, MAX_INTERP));
  if (!bytes) {
    diagnostics.push('PT_INTERP bytes are not available');
    return { path: null, nobits: false };
  }
  const nul = bytes.indexOf(0);
  const path = decodeText(bytes, 0, nul < 0 ? bytes.length : nul);
  if (path === '') {
    diagnostics.push('PT_INTERP is zero-filled: the interpreter path is empty');
    return { path: null, nobits: false };
  }
  if (/[\u0000-\u001f\u007f\ufffd]/.test(path)) {
    diagnostics.push('PT_INTERP does not hold a path (binary bytes)');
    return { path: null, nobits: false };
  }
  if (bytes[bytes.length - 1] !== 0) diagnostics.push('PT_INTERP is not NUL-terminated: the kernel refuses to run it');
  return { path, nobits: false };
}

/**
 * ELF notes: the GNU build-id and FDO `.note.dlopen` metadata (systemd's JSON list of the
 * sonames a program may dlopen). Read from PT_NOTE segments, and from SHT_NOTE sections
 * that no PT_NOTE covers.
 */
import { FieldReader, toSafe } from './reader.js';
import { SHT_NOTE, type RawSection } from './sections.js';
import { PT_NOTE, fileRange, type RawSegment } from './segments.js';
import { decodeText } from './strings.js';
import type { ByteSource } from './types.js';

export const MAX_NOTE_BYTES = 1 << 20;
const NT_GNU_BUILD_ID = 3;
const NT_FDO_DLOPEN_METADATA = 0x407c0c0a;

export interface Note {
  owner: string;
  type: number;
  desc: Uint8Array;
}

const alignUp = (value: number, align: number) => Math.ceil(value / align) * align;

export function parseNotes(bytes: Uint8Array, r: FieldReader, align: number): Note[] {
  const notes: Note[] = [];
  const a = align === 8 ? 8 : 4;
  for (let at = 0; at + 12 <= bytes.length; ) {
    const namesz = r.u32(bytes, at);
    const descsz = r.u32(bytes, at + 4);
    const type = r.u32(bytes, at + 8);
    const descAt = alignUp(at + 12 + namesz, a);
    if (descAt + descsz > bytes.length) break;
    const nameEnd = namesz > 0 && bytes[at + 12 + namesz - 1] === 0 ? at + 12 + namesz - 1 : at + 12 + namesz;
    notes.push({ owner: decodeText(bytes, at + 12, nameEnd), type, desc: bytes.subarray(descAt, descAt + descsz) });
    const next = alignUp(descAt + descsz, a);
    if (next <= at) break;
    at = next;
  }
  return notes;
}

/** Every note the file holds in PT_NOTE segments or uncovered SHT_NOTE sections. */
export function readNotes(
  source: ByteSource,
  r: FieldReader,
  segments: readonly RawSegment[],
  sections: readonly RawSection[],
): Note[] {
  const notes: Note[] = [];
  const covered: Array<{ offset: number; length: number }> = [];
  for (const s of segments) {
    if (s.type !== PT_NOTE) continue;
    const range = fileRange(s, source.size);
    if (!range || range.length === 0) continue;
    covered.push(range);
    const bytes = source.read(range.offset, Math.min(range.length, MAX_NOTE_BYTES));
    if (bytes) notes.push(...parseNotes(bytes, r, Number(s.align)));
  }
  for (const section of sections) {
    if (section.type !== SHT_NOTE) continue;
    const offset = toSafe(section.offset);
    const size = toSafe(section.size);
    if (offset === null || size === null || size === 0 || offset + size > source.size) continue;
    if (covered.some((c) => offset >= c.offset && offset < c.offset + c.length)) continue;
    const bytes = source.read(offset, Math.min(size, MAX_NOTE_BYTES));
    if (bytes) notes.push(...parseNotes(bytes, r, section.addralign === 8n ? 8 : 4));
  }
  return notes;
}

export function buildIdOf(notes: readonly Note[]): string | null {
  const note = notes.find((n) => n.owner === 'GNU' && n.type === NT_GNU_BUILD_ID && n.desc.length > 0);
  return note ? Buffer.from(note.desc.buffer, note.desc.byteOffset, note.desc.byteLength).toString('hex') : null;
}

/** Sonames listed by FDO dlopen notes, flattened in order, without duplicates. */
export function dlopenSonames(notes: readonly Note[], diagnostics: string[]): string[] {
  const names: string[] = [];
  for (const note of notes) {
    if (note.owner !== 'FDO' || note.type !== NT_FDO_DLOPEN_METADATA) continue;
    let end = note.desc.indexOf(0);
    if (end < 0) end = note.desc.length;
    let parsed: unknown;
    try {
      parsed = JSON.parse(decodeText(note.desc, 0, end));
    } catch {
      diagnostics.push('.note.dlopen payload is not valid JSON');
      continue;
    }
    const entries = Array.isArray(parsed) ? parsed : [parsed];
    for (const entry of entries) {
      const sonames = (entry as { soname?: unknown } | null)?.soname;
      if (!Array.isArray(sonames)) continue;
      for (const soname of sonames) if (typeof soname === 'string' && !names.includes(soname)) names.push(soname);
    }
  }
  return names;
}

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

/** Every note in PT_NOTE segments and SHT_NOTE sections (each distinct note once). */
export function readNotes(
  source: ByteSource,
  r: FieldReader,
  segments: readonly RawSegment[],
  sections: readonly RawSection[],
): Note[] {
  const found: Note[] = [];
  const read = (offset: number | null, size: number | null, align: number) => {
    if (offset === null || size === null || size === 0 || offset + size > source.size) return;
    const bytes = source.read(offset, Math.min(size, MAX_NOTE_BYTES));
    if (bytes) found.push(...parseNotes(bytes, r, align));
  };
  for (const s of segments) {
    const range = s.type === PT_NOTE ? fileRange(s, source.size) : null;
    if (range) read(range.offset, range.length, Number(s.align));
  }
  // Sections add notes no PT_NOTE holds (relocatable objects, separate debug files).
  for (const s of sections) if (s.type === SHT_NOTE) read(toSafe(s.offset), toSafe(s.size), s.addralign === 8n ? 8 : 4);
  const unique = new Map<string, Note>();
  for (const note of found) unique.set(`${note.owner}\0${note.type}\0${Buffer.from(note.desc).toString('hex')}`, note);
  return [...unique.values()];
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

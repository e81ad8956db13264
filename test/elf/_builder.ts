/**
 * A minimal ELF writer for synthetic fixtures: an ELF header, program headers, and each
 * segment's bytes placed in order (16-byte aligned). No sections unless given.
 */

export interface SegmentSpec {
  type: number;
  flags: number;
  vaddr: bigint;
  data: Uint8Array;
  memsz?: bigint;
  align?: bigint;
}

export interface ElfSpec {
  class: 32 | 64;
  endian: 'little' | 'big';
  type: number;
  machine: number;
  segments: SegmentSpec[];
}

export interface BuiltElf {
  bytes: Uint8Array;
  /** File offset of each segment's data. */
  offsets: number[];
}

export function buildElf(spec: ElfSpec): BuiltElf {
  const is64 = spec.class === 64;
  const little = spec.endian === 'little';
  const ehsize = is64 ? 64 : 52;
  const phentsize = is64 ? 56 : 32;
  let at = align16(ehsize + phentsize * spec.segments.length);
  const offsets = spec.segments.map((s) => {
    const offset = at;
    at = align16(at + s.data.length);
    return offset;
  });
  const bytes = new Uint8Array(at);
  const view = new DataView(bytes.buffer);
  const u16 = (o: number, v: number) => view.setUint16(o, v, little);
  const u32 = (o: number, v: number) => view.setUint32(o, v, little);
  const word = (o: number, v: bigint) => (is64 ? view.setBigUint64(o, v, little) : view.setUint32(o, Number(v), little));
  bytes.set([0x7f, 0x45, 0x4c, 0x46, is64 ? 2 : 1, little ? 1 : 2, 1], 0);
  u16(16, spec.type);
  u16(18, spec.machine);
  u32(20, 1);
  const w = is64 ? 8 : 4;
  word(24, 0n);
  word(24 + w, BigInt(ehsize));
  word(24 + 2 * w, 0n);
  const after = 24 + 3 * w;
  u16(after + 4, ehsize);
  u16(after + 6, phentsize);
  u16(after + 8, spec.segments.length);
  u16(after + 10, is64 ? 64 : 40);
  spec.segments.forEach((s, i) => {
    const p = ehsize + i * phentsize;
    const offset = BigInt(offsets[i] ?? 0);
    const filesz = BigInt(s.data.length);
    const memsz = s.memsz ?? filesz;
    const alignment = s.align ?? 16n;
    if (is64) {
      u32(p, s.type);
      u32(p + 4, s.flags);
      word(p + 8, offset);
      word(p + 16, s.vaddr);
      word(p + 24, s.vaddr);
      word(p + 32, filesz);
      word(p + 40, memsz);
      word(p + 48, alignment);
    } else {
      u32(p, s.type);
      word(p + 4, offset);
      word(p + 8, s.vaddr);
      word(p + 12, s.vaddr);
      word(p + 16, filesz);
      word(p + 20, memsz);
      u32(p + 24, s.flags);
      word(p + 28, alignment);
    }
    bytes.set(s.data, offsets[i] ?? 0);
  });
  return { bytes, offsets };
}

function align16(n: number): number {
  return Math.ceil(n / 16) * 16;
}

export function concat(...parts: Array<Uint8Array | string>): Uint8Array {
  return Buffer.concat(parts.map((p) => (typeof p === 'string' ? Buffer.from(p, 'latin1') : p)));
}

export function uvarint(n: number): Uint8Array {
  const out: number[] = [];
  while (n >= 0x80) {
    out.push((n & 0x7f) | 0x80);
    n = Math.floor(n / 128);
  }
  out.push(n);
  return Uint8Array.from(out);
}

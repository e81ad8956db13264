/**
 * Endian- and class-aware field reads. 64-bit fields come back as BigInt so that nothing is
 * silently rounded; `toOffset` turns one into a file offset/length or null when it cannot be.
 */

export class FieldReader {
  readonly is64: boolean;
  readonly little: boolean;
  /** Size of an address/offset field (4 or 8). */
  readonly wordSize: 4 | 8;

  constructor(is64: boolean, little: boolean) {
    this.is64 = is64;
    this.little = little;
    this.wordSize = is64 ? 8 : 4;
  }

  u8(bytes: Uint8Array, at: number): number {
    return bytes[at] ?? 0;
  }

  u16(bytes: Uint8Array, at: number): number {
    const a = bytes[at] ?? 0;
    const b = bytes[at + 1] ?? 0;
    return this.little ? a | (b << 8) : (a << 8) | b;
  }

  u32(bytes: Uint8Array, at: number): number {
    const a = bytes[at] ?? 0;
    const b = bytes[at + 1] ?? 0;
    const c = bytes[at + 2] ?? 0;
    const d = bytes[at + 3] ?? 0;
    return this.little ? (a | (b << 8) | (c << 16) | (d << 24)) >>> 0 : ((a << 24) | (b << 16) | (c << 8) | d) >>> 0;
  }

  u64(bytes: Uint8Array, at: number): bigint {
    const first = BigInt(this.u32(bytes, at));
    const second = BigInt(this.u32(bytes, at + 4));
    return this.little ? (second << 32n) | first : (first << 32n) | second;
  }

  /** An address, offset or size field: 4 bytes in ELF32, 8 in ELF64. */
  word(bytes: Uint8Array, at: number): bigint {
    return this.is64 ? this.u64(bytes, at) : BigInt(this.u32(bytes, at));
  }

  /** A signed word (d_tag): 64-bit tags are signed in ELF64, 32-bit in ELF32. */
  signedWord(bytes: Uint8Array, at: number): bigint {
    return this.is64 ? BigInt.asIntN(64, this.u64(bytes, at)) : BigInt(this.u32(bytes, at) | 0);
  }
}

const MAX_SAFE = BigInt(Number.MAX_SAFE_INTEGER);

/** A BigInt as a safe non-negative integer, or null when it is negative or beyond 2^53-1. */
export function toSafe(value: bigint): number | null {
  return value < 0n || value > MAX_SAFE ? null : Number(value);
}

/** True when [offset, offset+length) lies inside a file of `size` bytes (64-bit safe). */
export function inFile(offset: bigint, length: bigint, size: number): boolean {
  return offset >= 0n && length >= 0n && offset + length <= BigInt(size);
}

/** Hex of a BigInt, `0x…`. */
export function hex(value: bigint | number): string {
  return `0x${value.toString(16)}`;
}

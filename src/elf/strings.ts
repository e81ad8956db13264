/** NUL-terminated strings out of file bytes and string tables. */
import type { ByteSource } from './types.js';

/** UTF-8 text of bytes[start, end) (lossy for invalid sequences); a Buffer is read without a new view. */
export function decodeText(bytes: Uint8Array, start = 0, end = bytes.length): string {
  const buffer = Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  return buffer.toString('utf8', start, end);
}

/** The string at `start` up to the first NUL, or null when there is no NUL before the end. */
export function cStringAt(bytes: Uint8Array, start: number): string | null {
  if (start < 0 || start >= bytes.length) return null;
  const end = bytes.indexOf(0, start);
  return end < 0 ? null : decodeText(bytes, start, end);
}

const WHOLE_TABLE_LIMIT = 16 << 20;
const MAX_STRING = 1 << 20;

/**
 * A string table at [offset, offset+size) of the file. Small tables are read once; huge ones
 * are read string by string. `get` returns null for an index outside the table, unreadable
 * bytes, or a string that runs off the end of the table.
 */
export class StringTable {
  /** The whole table as one Buffer view (read once, so that no lookup makes a view of its own). */
  private whole: Buffer | undefined | null = null;

  constructor(
    private readonly source: ByteSource,
    readonly offset: number,
    readonly size: number,
  ) {}

  get(index: number): string | null {
    if (!Number.isSafeInteger(index) || index < 0 || index >= this.size) return null;
    const table = this.table();
    return table ? cStringAt(table, index) : this.readOne(index);
  }

  /** Whether the string at `index` starts with `prefix` (latin1 bytes), compared without decoding it. */
  startsWith(index: number, prefix: string): boolean {
    if (!Number.isSafeInteger(index) || index < 0 || index + prefix.length > this.size) return false;
    let bytes: Uint8Array | undefined = this.table();
    let at = index;
    if (!bytes) {
      bytes = this.source.read(this.offset + index, prefix.length);
      at = 0;
      if (!bytes || bytes.length < prefix.length) return false;
    }
    for (let i = 0; i < prefix.length; i++) if (bytes[at + i] !== prefix.charCodeAt(i)) return false;
    return true;
  }

  private table(): Buffer | undefined {
    if (this.whole === null) {
      const length = Math.min(this.size, Math.max(0, this.source.size - this.offset));
      const bytes = this.size <= WHOLE_TABLE_LIMIT && length === this.size ? this.source.read(this.offset, length) : undefined;
      this.whole = bytes && Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    }
    return this.whole;
  }

  private readOne(index: number): string | null {
    const available = Math.min(this.size, this.source.size - this.offset) - index;
    for (let window = 256; available > 0; window *= 4) {
      const length = Math.min(window, available, MAX_STRING);
      const bytes = this.source.read(this.offset + index, length);
      if (!bytes) return null;
      const end = bytes.indexOf(0);
      if (end >= 0) return decodeText(bytes, 0, end);
      if (length === available || length === MAX_STRING) return null;
    }
    return null;
  }
}

/**
 * Tar reading and writing. Reading follows Go's archive/tar where implementations
 * disagree (Docker and containerd use it). The parser is push-based and synchronous:
 * callers feed decompressed chunks and receive headers and body chunks through a
 * visitor. Only header blocks and meta records (PAX and GNU long-name bodies, sparse maps;
 * at most 1 MiB each) are buffered, never entry data.
 */

export type TarEntryType =
  | 'file' // '0', '\0', '7' (contiguous)
  | 'hardlink' // '1'
  | 'symlink' // '2'
  | 'char' // '3'
  | 'block' // '4'
  | 'directory' // '5' (or a '0' whose name ends in '/')
  | 'fifo' // '6'
  | 'pax-global' // 'g': returned as an entry, never a file in a filesystem
  | 'gnu-dumpdir' // 'D'
  | 'other'; // any other typeflag (returned so callers can report it)

export type TarFormat = 'v7' | 'ustar' | 'pax' | 'gnu' | 'star' | 'unknown';

export interface TarHeader {
  /** Entry name, decoded as UTF-8; when the bytes are not valid UTF-8 it is decoded as latin1 and `rawName` keeps the bytes. */
  name: string;
  rawName?: Uint8Array;
  /** The raw typeflag character code. */
  typeflag: number;
  type: TarEntryType;
  /** Logical size of the content (for sparse files, the real size). 0 for header-only types. */
  size: number;
  /** Bytes of body stored in the archive after the header (sparse: the stored data only). */
  dataSize: number;
  /** Full mode field (permission bits and setuid/setgid/sticky; type bits, if any, kept as stored). */
  mode: number;
  uid: number;
  gid: number;
  uname: string;
  gname: string;
  /** Modification time in seconds since the epoch (fractional when PAX gives sub-seconds). */
  mtime: number;
  linkname: string;
  rawLinkname?: Uint8Array;
  devmajor: number;
  devminor: number;
  /** Records of the PAX extended header(s) that applied to this entry (global ones excluded). */
  pax: Record<string, string>;
  /** Extended attributes from PAX `SCHILY.xattr.*` (and `LIBARCHIVE.xattr.*`), values as raw bytes. */
  xattrs: Record<string, Uint8Array>;
  format: TarFormat;
  /** Present for sparse files: the data map (offset/length pairs in the logical file). */
  sparse?: Array<{ offset: number; length: number }>;
}

/** Receives the content of one entry. Chunks may be views into larger buffers: copy to keep. */
export interface TarBodySink {
  data(chunk: Uint8Array): void;
  end(): void;
}

export interface TarVisitor {
  /** Called once per entry; return a sink to receive its body, or undefined to skip it. */
  entry(header: TarHeader): TarBodySink | undefined;
}

/** A member of a tar file with the offset of its body, for random access to archives on disk. */
export interface TarMember {
  header: TarHeader;
  /** Byte offset of the member's data in the tar stream. */
  dataOffset: number;
}

export interface TarWriteEntry {
  name: string;
  rawName?: Uint8Array;
  type: 'file' | 'hardlink' | 'symlink' | 'char' | 'block' | 'directory' | 'fifo';
  size?: number;
  mode: number;
  uid: number;
  gid: number;
  uname?: string;
  gname?: string;
  mtime: number;
  linkname?: string;
  devmajor?: number;
  devminor?: number;
  xattrs?: Record<string, Uint8Array>;
  /**
   * A regular file's data map (offset and length in the logical file, in order): written as PAX
   * sparse format 1.0 with `size` the logical size. The body that follows the headers is then
   * `encodeSparseMap(sparse)` and the mapped bytes, in map order; holes are never written.
   */
  sparse?: Array<{ offset: number; length: number }>;
}

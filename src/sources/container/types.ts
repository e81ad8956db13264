/**
 * A container of named files: an OCI layout directory, or a tar file (docker save, OCI archive)
 * indexed once and read by byte range. Names are `/`-separated and relative to the root
 * (`blobs/sha256/<hex>`, `manifest.json`); links inside a tar are followed.
 */

export interface ContainerFile {
  /** The name the caller asked for, normalised. */
  name: string;
  /** The name of the member that holds the bytes (differs when links were followed). */
  resolvedName: string;
  size: number;
}

export interface Container {
  readonly kind: 'directory' | 'tar';
  /** The directory or tar file on disk. */
  readonly path: string;
  /** The path shown in messages (`-` for stdin). */
  readonly displayPath: string;
  /** Whether any entry (file, directory or link) has this name. */
  has(name: string): Promise<boolean>;
  /** The regular file under `name`, following links; null when absent. */
  stat(name: string): Promise<ContainerFile | null>;
  /** Names of regular files directly or indirectly under `dir` (tar containers only list members). */
  list(dir: string): Promise<string[]>;
  /** The file on disk holding the file's bytes, and where they start in it. */
  locate(file: ContainerFile): { path: string; offset: number };
  /** Up to `length` bytes from `start` of the file. */
  read(file: ContainerFile, start: number, length: number): AsyncIterable<Uint8Array>;
  close(): Promise<void>;
}

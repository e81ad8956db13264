/**
 * Writes a kept file's tar body at its offset in the slimmed layer's tar file. A sparse source
 * written out in full has its stored bytes placed at their data-map positions (holes stay zero:
 * the file was sized up front); one written sparse (no map given) takes them in order.
 */
import { writeSync } from 'node:fs';
import type { TarBodySink, TarHeader } from '../archive/index.js';
import { BugError } from '../shared/errors.js';

/** Where one kept file's content goes in the output tar. */
export interface CopyTarget {
  offset: number;
  /** Logical size, as the source header gives it. */
  size: number;
  /** Written as a sparse file: the stored bytes go to `offset` in order. */
  sparse: boolean;
  /** Bytes written at `offset`: the content, or a sparse file's mapped bytes. */
  bytes: number;
  path: string;
}

/** The entry found where a kept file was expected must have the size the scan saw. */
export function checkTargetSize(label: string, header: TarHeader, target: CopyTarget): void {
  if (header.size !== target.size) throw new BugError(`slim: ${label}: entry ${header.name} is ${header.size} bytes, the scan saw ${target.size}`);
}

export class PositionedSink implements TarBodySink {
  private position: number;
  private segment = 0;
  private left: number;

  constructor(
    private readonly fd: number,
    private readonly target: CopyTarget,
    private readonly sparse: TarHeader['sparse'],
    private readonly onEnd: () => void,
  ) {
    this.position = target.offset + (sparse?.[0]?.offset ?? 0);
    this.left = sparse ? (sparse[0]?.length ?? 0) : target.bytes;
  }

  data(chunk: Uint8Array): void {
    let rest = chunk;
    while (rest.length > 0) {
      while (this.left === 0 && this.sparse && this.segment + 1 < this.sparse.length) {
        const next = this.sparse[++this.segment]!;
        this.position = this.target.offset + next.offset;
        this.left = next.length;
      }
      if (this.left === 0) throw new BugError(`slim: ${this.target.path}: more content than its header says`);
      const take = Math.min(this.left, rest.length);
      writeAt(this.fd, rest.subarray(0, take), this.position);
      this.position += take;
      this.left -= take;
      rest = rest.subarray(take);
    }
  }

  end(): void {
    this.onEnd();
  }
}

/** pwrite until every byte is written. */
export function writeAt(fd: number, bytes: Uint8Array, offset: number): void {
  for (let done = 0; done < bytes.length; ) done += writeSync(fd, bytes, done, bytes.length - done, offset + done);
}

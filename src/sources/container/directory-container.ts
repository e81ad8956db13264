/** A directory (OCI image layout) as a container. Names with `..` or absolute paths never reach the disk. */
import { lstat, readdir, stat } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { readFileRange } from '../../archive/index.js';
import { InputError } from '../../shared/errors.js';
import { cleanName, isSafeRelativeName } from './names.js';
import type { Container, ContainerFile } from './types.js';

export class DirectoryContainer implements Container {
  readonly kind = 'directory' as const;

  constructor(
    readonly path: string,
    readonly displayPath: string,
  ) {}

  async has(name: string): Promise<boolean> {
    const cleaned = cleanName(name);
    if (!isSafeRelativeName(cleaned)) return false;
    return lstat(join(this.path, cleaned)).then(
      () => true,
      () => false,
    );
  }

  async stat(name: string): Promise<ContainerFile | null> {
    const cleaned = cleanName(name);
    if (!isSafeRelativeName(cleaned)) return null;
    try {
      const info = await stat(join(this.path, cleaned));
      if (!info.isFile()) {
        throw new InputError(`${this.displayPath}: ${cleaned} is not a regular file`, { code: 'E_MEMBER' });
      }
      return { name: cleaned, resolvedName: cleaned, size: info.size };
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'ENOENT' || code === 'ENOTDIR') return null;
      if (code === 'ELOOP') throw new InputError(`${this.displayPath}: link cycle at ${cleaned}`, { code: 'E_LINK_CYCLE', cause: error });
      if (error instanceof InputError) throw error;
      throw new InputError(`${this.displayPath}: cannot read ${cleaned}: ${(error as Error).message}`, { code: 'E_READ', cause: error });
    }
  }

  async list(dir: string): Promise<string[]> {
    const cleaned = cleanName(dir);
    if (cleaned !== '' && !isSafeRelativeName(cleaned)) return [];
    try {
      const entries = await readdir(join(this.path, cleaned), { recursive: true, withFileTypes: true });
      return entries
        .filter((entry) => entry.isFile())
        .map((entry) => cleanName(relative(this.path, join(entry.parentPath ?? entry.path, entry.name))))
        .sort();
    } catch {
      return [];
    }
  }

  locate(file: ContainerFile): { path: string; offset: number } {
    return { path: join(this.path, file.resolvedName), offset: 0 };
  }

  read(file: ContainerFile, start: number, length: number): AsyncIterable<Uint8Array> {
    return readFileRange(join(this.path, file.resolvedName), start, Math.max(0, Math.min(length, file.size - start)));
  }

  async close(): Promise<void> {}
}

/**
 * A tar file as a container: indexed once (headers only), members read by byte range.
 * Symlinks and hard links between members are followed (Docker writes `layer.tar` symlinks
 * when images share a layer); a cycle is an InputError "link cycle".
 */
import { indexTarFile, readFileRange, type TarMember } from '../../archive/index.js';
import { InputError } from '../../shared/errors.js';
import { cleanName, symlinkTarget } from './names.js';
import type { Container, ContainerFile } from './types.js';

/** More links than this in one chain is treated as a cycle (Linux's MAXSYMLINKS is 40). */
const MAX_LINKS = 40;

export class TarContainer implements Container {
  readonly kind = 'tar' as const;
  private readonly members = new Map<string, TarMember>();

  private constructor(
    readonly path: string,
    readonly displayPath: string,
    members: TarMember[],
  ) {
    // Later members replace earlier ones with the same name, as when extracting.
    for (const member of members) {
      const name = cleanName(member.header.name);
      if (name !== '') this.members.set(name, member);
    }
  }

  static async open(path: string, displayPath: string): Promise<TarContainer> {
    return new TarContainer(path, displayPath, await indexTarFile(path));
  }

  /** Every member name (cleaned), in archive order of last occurrence. */
  names(): string[] {
    return [...this.members.keys()];
  }

  async has(name: string): Promise<boolean> {
    return this.members.has(cleanName(name));
  }

  async stat(name: string): Promise<ContainerFile | null> {
    const wanted = cleanName(name);
    const seen: string[] = [];
    let current = wanted;
    for (;;) {
      const member = this.members.get(current);
      if (!member) {
        if (seen.length === 0) return null;
        throw new InputError(`${this.displayPath}: ${wanted} links to ${current}, which is not in the archive`, { code: 'E_LINK' });
      }
      const { header } = member;
      if (header.type === 'file') {
        if (header.sparse) throw new InputError(`${this.displayPath}: ${current} is a sparse file, not a blob`, { code: 'E_MEMBER' });
        return { name: wanted, resolvedName: current, size: header.size };
      }
      if (header.type !== 'symlink' && header.type !== 'hardlink') {
        throw new InputError(`${this.displayPath}: ${current} is a ${header.type}, not a regular file`, { code: 'E_MEMBER' });
      }
      if (seen.includes(current) || seen.length >= MAX_LINKS) {
        throw new InputError(`${this.displayPath}: link cycle at ${current} (${[...seen, current].join(' → ')})`, { code: 'E_LINK_CYCLE' });
      }
      seen.push(current);
      current = this.linkTarget(current, member);
    }
  }

  private linkTarget(name: string, member: TarMember): string {
    const { linkname } = member.header;
    if (member.header.type === 'symlink') return symlinkTarget(name, linkname);
    // Hard link names are relative to the archive root; fall back to the member's directory
    // (go-containerregistry resolves both kinds that way).
    const fromRoot = cleanName(linkname);
    return this.members.has(fromRoot) ? fromRoot : symlinkTarget(name, linkname);
  }

  async list(dir: string): Promise<string[]> {
    const prefix = cleanName(dir);
    const start = prefix === '' ? '' : `${prefix}/`;
    return this.names().filter((name) => name.startsWith(start));
  }

  locate(file: ContainerFile): { path: string; offset: number } {
    return { path: this.path, offset: this.member(file).dataOffset };
  }

  read(file: ContainerFile, start: number, length: number): AsyncIterable<Uint8Array> {
    const member = this.member(file);
    const available = Math.max(0, Math.min(length, member.header.size - start));
    return readFileRange(this.path, member.dataOffset + start, available);
  }

  private member(file: ContainerFile): TarMember {
    const member = this.members.get(file.resolvedName);
    if (!member) throw new InputError(`${this.displayPath}: ${file.resolvedName} is not in the archive`, { code: 'E_MEMBER' });
    return member;
  }

  async close(): Promise<void> {}
}

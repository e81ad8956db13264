/** Entry-list builders for the fs tests: layers written the way layerEntryFromTar produces them. */
import type { TarHeader } from '../../src/archive/types.js';
import { layerEntryFromTar, type LayerEntries, type LayerEntry } from '../../src/fs/index.js';

type Extra = Partial<Omit<LayerEntry, 'path' | 'type'>>;

const base = { mode: 0o644, uid: 0, gid: 0, mtime: 1_700_000_000, linkTarget: null, size: 0 };

export const file = (path: string, size = 0, extra: Extra = {}): LayerEntry => ({ ...base, ...extra, path, type: 'file', size });
export const dir = (path: string, extra: Extra = {}): LayerEntry => ({ ...base, mode: 0o755, ...extra, path, type: 'directory' });
export const symlink = (path: string, target: string): LayerEntry => ({ ...base, mode: 0o777, path, type: 'symlink', linkTarget: target });
export const hardlink = (path: string, target: string): LayerEntry => ({ ...base, path, type: 'hardlink', linkTarget: target });
export const whiteout = (path: string): LayerEntry => ({ ...base, path, type: 'whiteout' });
export const opaque = (path: string): LayerEntry => ({ ...base, mode: 0o755, path, type: 'opaque' });
export const fifo = (path: string): LayerEntry => ({ ...base, path, type: 'fifo' });
export const char = (path: string, devmajor: number, devminor: number): LayerEntry => ({ ...base, path, type: 'char', devmajor, devminor });

/** Layers numbered in order. */
export function layers(...lists: LayerEntry[][]): LayerEntries[] {
  return lists.map((entries, index) => ({ index, entries }));
}

/** A tar header as the archive reader produces it (header-only types carry size 0). */
export function header(name: string, fields: Partial<TarHeader> = {}): TarHeader {
  const type = fields.type ?? (name.endsWith('/') ? 'directory' : 'file');
  const flags: Record<string, string> = {
    file: '0', hardlink: '1', symlink: '2', char: '3', block: '4', directory: '5', fifo: '6', 'pax-global': 'g', 'gnu-dumpdir': 'D', other: 'V',
  };
  return {
    name,
    typeflag: flags[type]!.charCodeAt(0),
    type,
    size: 0,
    dataSize: fields.size ?? 0,
    mode: type === 'directory' ? 0o40755 : 0o100644,
    uid: 0,
    gid: 0,
    uname: '',
    gname: '',
    mtime: 1_700_000_000,
    linkname: '',
    devmajor: 0,
    devminor: 0,
    pax: {},
    xattrs: {},
    format: 'pax',
    ...fields,
  };
}

/** Entries of a layer given as tar headers, converted exactly as the analysis does. */
export function fromTar(index: number, headers: TarHeader[]): LayerEntries {
  return { index, entries: headers.map((h) => layerEntryFromTar(h, index)).filter((e): e is LayerEntry => e !== null) };
}

/** The final paths, sorted, with a short type tag: `/a/b f:4`, `/c l:/etc`, `/d d`. */
export function listing(entries: Map<string, { type: string; size: number; linkTarget: string | null }>): string[] {
  return [...entries]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([path, e]) => {
      if (e.type === 'directory') return `${path} d`;
      if (e.type === 'symlink') return `${path} l:${e.linkTarget}`;
      if (e.type === 'hardlink') return `${path} h:${e.linkTarget}:${e.size}`;
      if (e.type === 'file') return `${path} f:${e.size}`;
      return `${path} ${e.type}`;
    });
}

/**
 * Reads real tar bytes into the TarHeader shape the archive module produces, using tar-stream,
 * so fs tests can run on peer fixtures and on archives written by real tools. Test-only.
 */
import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { extract, type Header } from 'tar-stream';
import type { TarEntryType, TarHeader } from '../../src/archive/types.js';
import type { LayerEntries } from '../../src/fs/index.js';
import { fromTar } from './_entries.js';

const TYPES: Record<string, TarEntryType> = {
  file: 'file',
  'contiguous-file': 'file',
  link: 'hardlink',
  symlink: 'symlink',
  'character-device': 'char',
  'block-device': 'block',
  directory: 'directory',
  fifo: 'fifo',
  'pax-global-header': 'pax-global',
};

export interface TarMemberBytes {
  header: TarHeader;
  body: Buffer;
}

export async function readTar(bytes: Uint8Array): Promise<TarMemberBytes[]> {
  const members: TarMemberBytes[] = [];
  const stream = extract();
  stream.end(Buffer.from(bytes));
  for await (const entry of stream) {
    const chunks: Buffer[] = [];
    for await (const chunk of entry) chunks.push(chunk as Buffer);
    members.push({ header: toTarHeader(entry.header), body: Buffer.concat(chunks) });
  }
  return members;
}

function toTarHeader(h: Header): TarHeader {
  const type = TYPES[h.type] ?? 'other';
  const headerOnly = type !== 'file';
  return {
    name: h.name,
    typeflag: 0,
    type,
    size: headerOnly ? 0 : (h.size ?? 0),
    dataSize: headerOnly ? 0 : (h.size ?? 0),
    mode: h.mode ?? 0,
    uid: h.uid ?? 0,
    gid: h.gid ?? 0,
    uname: h.uname ?? '',
    gname: h.gname ?? '',
    mtime: h.mtime ? h.mtime.getTime() / 1000 : 0,
    linkname: h.linkname ?? '',
    devmajor: h.devmajor ?? 0,
    devminor: h.devminor ?? 0,
    pax: (h.pax as Record<string, string> | undefined) ?? {},
    xattrs: {},
    format: 'pax',
  };
}

/** The layers of a docker-save archive in manifest order, as entry lists (gzip layers inflated). */
export async function dockerSaveLayers(path: string): Promise<LayerEntries[]> {
  const members = new Map((await readTar(readFileSync(path))).map((m) => [m.header.name, m.body]));
  const manifest = JSON.parse(members.get('manifest.json')!.toString('utf8')) as Array<{ Layers: string[] }>;
  const layers: LayerEntries[] = [];
  for (const [index, name] of manifest[0]!.Layers.entries()) {
    let bytes = members.get(name)!;
    if (bytes[0] === 0x1f && bytes[1] === 0x8b) bytes = gunzipSync(bytes);
    layers.push(fromTar(index, (await readTar(bytes)).map((m) => m.header)));
  }
  return layers;
}

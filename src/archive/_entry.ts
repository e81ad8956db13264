/**
 * Turns a decoded header block plus the meta records before it (PAX 'x', GNU 'L'/'K') into the
 * public TarHeader, with Go's precedence: PAX records, then GNU long names, then the sparse name.
 */
import { BLOCK, decodeName, headerProblem, TarProblem } from './_fields.js';
import type { RawHeader } from './_header-block.js';
import { mergePax, type PaxRecords, type PaxTarget } from './_pax.js';
import { detectPaxSparse, sparseDataBytes, validateSparse, type SparseEntry } from './_sparse.js';
import type { TarEntryType, TarFormat, TarHeader } from './types.js';

export const TYPE = {
  regularA: 0x00,
  regular: 0x30,
  paxLocal: 0x78,
  paxGlobal: 0x67,
  gnuLongName: 0x4c,
  gnuLongLink: 0x4b,
  gnuSparse: 0x53,
  gnuDumpdir: 0x44,
} as const;

/** Types whose body is always empty whatever the size field says ('1'…'6'), as in Go. */
export function isHeaderOnlyType(typeflag: number): boolean {
  return typeflag >= 0x31 && typeflag <= 0x36;
}

const TYPES: Record<number, TarEntryType> = {
  0x00: 'file',
  0x30: 'file',
  0x37: 'file',
  0x53: 'file',
  0x31: 'hardlink',
  0x32: 'symlink',
  0x33: 'char',
  0x34: 'block',
  0x35: 'directory',
  0x36: 'fifo',
  0x44: 'gnu-dumpdir',
};

/** Meta records collected before an entry header. */
export interface PendingMeta {
  pax?: PaxRecords;
  longName?: Uint8Array;
  longLink?: Uint8Array;
}

/** An entry between its header and its body: fields merged, body accounting decided. */
export interface EntryDraft {
  raw: RawHeader;
  fields: PaxTarget;
  type: TarEntryType;
  format: TarFormat;
  /** Bytes the entry occupies after its header blocks (sparse: map and data), padded separately. */
  physical: number;
  sparse?: SparseEntry[];
}

function formatOf(raw: RawHeader, meta: PendingMeta): TarFormat {
  if (meta.pax) return 'pax';
  if (raw.legacyPrefix) return 'unknown';
  if (meta.longName || meta.longLink) return 'gnu';
  return raw.format;
}

export function draftEntry(raw: RawHeader, meta: PendingMeta): EntryDraft {
  // Go checks the header's own size before any PAX record can replace it.
  if (raw.size < 0 && !isHeaderOnlyType(raw.typeflag)) throw headerProblem(`negative size ${raw.size}`);
  const fields: PaxTarget = {
    name: raw.name,
    linkname: raw.linkname,
    uname: raw.uname,
    gname: raw.gname,
    uid: raw.uid,
    gid: raw.gid,
    mtime: raw.mtime,
    size: raw.size,
    xattrs: Object.create(null) as Record<string, Uint8Array>,
    pax: Object.create(null) as Record<string, string>,
  };
  if (meta.pax) mergePax(fields, meta.pax);
  if (meta.longName && meta.longName.length > 0) fields.name = meta.longName;
  if (meta.longLink && meta.longLink.length > 0) fields.linkname = meta.longLink;

  const typeflag = raw.typeflag;
  const trailingSlash = fields.name[fields.name.length - 1] === 0x2f;
  const promoted = (typeflag === TYPE.regularA || typeflag === TYPE.regular) && trailingSlash;
  // Go gives a promoted '\0' directory no body; a '0' named "x/" keeps its body so the stream stays in sync.
  const physical = isHeaderOnlyType(typeflag) || (typeflag === TYPE.regularA && trailingSlash) ? 0 : fields.size;
  if (physical < 0) throw headerProblem(`negative size ${physical}`);
  if (physical > Number.MAX_SAFE_INTEGER) throw headerProblem(`size ${physical} is too large`);
  return {
    raw,
    fields,
    type: promoted ? 'directory' : (TYPES[typeflag] ?? 'other'),
    format: formatOf(raw, meta),
    physical,
  };
}

/** What follows an entry header: its body, old GNU sparse extension blocks, or a PAX 1.0 sparse map. */
export type EntryPlan = { draft: EntryDraft; next: 'body' | 'gnu-sparse-blocks' | 'pax-sparse-map' };

/** Merges meta records into an entry and decides, like Go's handleSparseFile, what comes next. */
export function planEntry(raw: RawHeader, meta: PendingMeta): EntryPlan {
  const draft = draftEntry(raw, meta);
  if (raw.typeflag === TYPE.gnuSparse) {
    if (!raw.gnuSparse) throw headerProblem('GNU sparse entry in a non-GNU header');
    draft.fields.size = raw.gnuSparse.realSize;
    draft.sparse = raw.gnuSparse.entries;
    return { draft, next: raw.gnuSparse.extended ? 'gnu-sparse-blocks' : 'body' };
  }
  const paxSparse = detectPaxSparse(meta.pax, draft.fields);
  if (paxSparse?.version === '0.x') draft.sparse = paxSparse.entries;
  if (paxSparse?.version !== '1.0') return { draft, next: 'body' };
  if (draft.physical < BLOCK) throw new TarProblem('truncated', 'the PAX sparse map runs past the entry data');
  return { draft, next: 'pax-sparse-map' };
}

/** Validates a sparse map (Go's validateSparseEntries) and returns the data bytes it references. */
export function sparseStoredBytes(draft: EntryDraft): number | undefined {
  if (!draft.sparse) return undefined;
  if (carriesNoBody(draft.type)) throw headerProblem('sparse map on a header-only entry');
  validateSparse(draft.sparse, draft.fields.size);
  return sparseDataBytes(draft.sparse);
}

function carriesNoBody(type: TarEntryType): boolean {
  return type !== 'file' && type !== 'gnu-dumpdir' && type !== 'other';
}

export function finishHeader(draft: EntryDraft, dataSize: number): TarHeader {
  const { raw, fields } = draft;
  const name = decodeName(fields.name);
  const link = decodeName(fields.linkname);
  const header: TarHeader = {
    name: name.text,
    typeflag: raw.typeflag,
    type: draft.type,
    size: carriesNoBody(draft.type) ? 0 : fields.size,
    dataSize,
    mode: raw.mode,
    uid: fields.uid,
    gid: fields.gid,
    uname: fields.uname,
    gname: fields.gname,
    mtime: fields.mtime,
    linkname: link.text,
    devmajor: raw.devmajor,
    devminor: raw.devminor,
    pax: fields.pax,
    xattrs: fields.xattrs,
    format: draft.format,
  };
  if (name.raw) header.rawName = name.raw;
  if (link.raw) header.rawLinkname = link.raw;
  if (draft.sparse) header.sparse = draft.sparse;
  return header;
}

/** A PAX global header as Go returns it: its own name (or the path record), records and xattrs only. */
export function globalHeader(raw: RawHeader, records: PaxRecords): TarHeader {
  const fields: PaxTarget = {
    name: raw.name,
    linkname: new Uint8Array(0),
    uname: '',
    gname: '',
    uid: 0,
    gid: 0,
    mtime: 0,
    size: 0,
    xattrs: Object.create(null) as Record<string, Uint8Array>,
    pax: Object.create(null) as Record<string, string>,
  };
  try {
    mergePax(fields, records);
  } catch {
    // Go ignores merge errors for global headers.
  }
  const draft: EntryDraft = { raw, fields, type: 'pax-global', format: 'pax', physical: 0 };
  const header = finishHeader(draft, 0);
  return { ...header, size: 0, mode: 0, uid: 0, gid: 0, uname: '', gname: '', mtime: 0, linkname: '', devmajor: 0, devminor: 0 };
}

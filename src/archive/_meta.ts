/**
 * Meta entries that describe the next header rather than a file: PAX extended headers ('x'),
 * PAX global headers ('g', returned as entries and never applied, as in Go) and GNU long names
 * and links ('L', 'K'). Their bodies are held in memory, so they are capped at 1 MiB.
 */
import { globalHeader, TYPE, type PendingMeta } from './_entry.js';
import { cString, headerProblem, MAX_SPECIAL_SIZE, TarProblem } from './_fields.js';
import type { RawHeader } from './_header-block.js';
import { parsePaxRecords } from './_pax.js';
import type { TarHeader } from './types.js';

export function isMetaType(typeflag: number): boolean {
  return typeflag === TYPE.paxLocal || typeflag === TYPE.paxGlobal || typeflag === TYPE.gnuLongName || typeflag === TYPE.gnuLongLink;
}

/** The body size of a meta entry, rejected before anything is read when negative or over 1 MiB. */
export function metaBodySize(raw: RawHeader): number {
  if (raw.size < 0) throw headerProblem(`negative size ${raw.size}`);
  if (raw.size > MAX_SPECIAL_SIZE) {
    throw new TarProblem('too-long', `${raw.size}-byte ${String.fromCharCode(raw.typeflag)} record exceeds 1 MiB`);
  }
  return raw.size;
}

/**
 * Records a meta entry's body in `meta` (a PAX header replaces the previous one, as in Go; the
 * last GNU long name wins). A global header is returned instead, to be announced as an entry.
 */
export function applyMeta(raw: RawHeader, body: Uint8Array, meta: PendingMeta): TarHeader | undefined {
  switch (raw.typeflag) {
    case TYPE.paxLocal:
      meta.pax = parsePaxRecords(body);
      return undefined;
    case TYPE.gnuLongName:
      meta.longName = cString(body);
      return undefined;
    case TYPE.gnuLongLink:
      meta.longLink = cString(body);
      return undefined;
    default:
      return globalHeader(raw, parsePaxRecords(body));
  }
}

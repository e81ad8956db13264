/**
 * Needle scanning restricted to file regions, fed by a stream of chunks: each (needles, range)
 * pair gets its own PatternScanner, exactly as parseElf scans a range it reads, so both find
 * the same hits. Records which ranges were scanned whole.
 */
import { PatternScanner, type FileRange, type Hit, type Needle, type ScannedRange } from './patterns.js';

export interface ScanGroup {
  needles: readonly Needle[];
  ranges: readonly FileRange[];
}

interface Slot {
  range: FileRange;
  ids: ReadonlySet<string>;
  needles: readonly Needle[];
  scanner: PatternScanner | null;
  reported: number;
  done: boolean;
}

export class RegionScanner {
  readonly hits: Hit[] = [];
  readonly scanned: ScannedRange[] = [];
  private readonly slots: Slot[] = [];

  constructor(groups: readonly ScanGroup[]) {
    for (const group of groups) {
      const ids = new Set(group.needles.map((n) => n.id));
      for (const range of group.ranges) {
        if (range.length > 0) this.slots.push({ range, ids, needles: group.needles, scanner: null, reported: 0, done: false });
      }
    }
  }

  /** Feeds bytes [start, start+chunk.length) of the file. Returns the hits found by this call. */
  push(chunk: Uint8Array, start: number): Hit[] {
    const end = start + chunk.length;
    const found: Hit[] = [];
    for (const slot of this.slots) {
      const { offset, length } = slot.range;
      if (slot.done || offset >= end || offset + length <= start) continue;
      if (!slot.scanner) {
        if (offset < start) {
          slot.done = true; // its start streamed past unscanned: never claims coverage
          continue;
        }
        slot.scanner = new PatternScanner(slot.needles, offset);
      }
      const from = Math.max(offset, start);
      const to = Math.min(offset + length, end);
      slot.scanner.push(chunk.subarray(from - start, to - start));
      if (to === offset + length) this.close(slot, offset + length);
      this.report(slot, found);
    }
    return found;
  }

  /** Ends the stream at `end`: open ranges are finished and count as scanned up to there. */
  finish(end: number): Hit[] {
    const found: Hit[] = [];
    for (const slot of this.slots) {
      if (slot.done || !slot.scanner) continue;
      this.close(slot, Math.min(end, slot.range.offset + slot.range.length));
      this.report(slot, found);
    }
    return found;
  }

  private close(slot: Slot, end: number): void {
    slot.scanner?.finish();
    slot.done = true;
    this.scanned.push({ offset: slot.range.offset, length: end - slot.range.offset, ids: slot.ids });
  }

  private report(slot: Slot, found: Hit[]): void {
    const hits = slot.scanner?.hits ?? [];
    for (; slot.reported < hits.length; slot.reported++) {
      const hit = hits[slot.reported] as Hit;
      this.hits.push(hit);
      found.push(hit);
    }
  }
}

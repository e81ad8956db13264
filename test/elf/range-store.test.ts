import { describe, expect, it } from 'vitest';
import { RangeStore } from '../../src/elf/range-store.js';
import { GATED_ABOVE, RetentionArena } from '../../src/elf/retention-arena.js';
import { SharedGate } from '../../src/shared/shared-gate.js';
import { seededRandom } from '../helpers/random.js';


describe('RangeStore', () => {
  // Fresh memory for every piece, and one small arena reused by every store in turn (most
  // stores' pieces outgrow its 64 KiB: those take memory of their own).
  const arena = new RetentionArena(64 << 10);
  it.each([
    ['fresh memory', undefined],
    ['a reused arena', (size: number) => arena.take(size)],
  ])('serves exactly the bytes of every range wanted ahead of, inside or just behind the stream (%s)', (_, allocate) => {
    for (let seed = 1; seed <= 40; seed++) {
      const next = seededRandom(seed);
      const size = 1 + Math.floor(next() * 200_000);
      const file = new Uint8Array(size).map((_, i) => (i * 131 + seed) & 0xff);
      arena.begin();
      const store = new RangeStore(size, Infinity, allocate);
      store.setLookback(4096);
      const wanted: Array<[number, number]> = [];
      while (store.position < size) {
        for (let w = Math.floor(next() * 4); w > 0; w--) {
          // Around the stream position: some behind it (look-back), most ahead.
          const start = Math.max(0, Math.floor(store.position - 3000 + next() * 60_000));
          const end = start + Math.floor(next() * 9000);
          store.want(start, end);
          if (start >= store.position - 4096 && start < size) wanted.push([start, Math.min(end, size)]);
        }
        const length = Math.min(size - store.position, 1 + Math.floor(next() * 20_000));
        store.write(file.subarray(store.position, store.position + length));
      }
      for (const [start, end] of wanted) {
        if (end <= start) continue;
        expect(store.read(start, end - start), `seed ${seed} [${start}, ${end})`).toEqual(file.subarray(start, end));
      }
      // A range never wanted is not served.
      if (wanted.length === 0) expect(store.read(0, 1)).toBeUndefined();
    }
  });

  it('keeps no more than the budget and says so', () => {
    const store = new RangeStore(1000, 100);
    store.want(0, 80);
    store.want(500, 600);
    expect(store.retained).toBe(100);
    expect(store.overBudget).toBe(true);
    store.write(new Uint8Array(1000).fill(7));
    expect(store.read(500, 20)).toEqual(new Uint8Array(20).fill(7));
    expect(store.read(500, 21)).toBeUndefined();
  });
});

describe('RetentionArena', () => {
  it('hands out zeroed pieces in order, reuses them from the next file on, and gives oversized ones their own memory', () => {
    const arena = new RetentionArena(1024);
    const a = arena.take(600);
    const b = arena.take(300);
    expect(a.buffer).toBe(b.buffer);
    expect(b.byteOffset).toBe(a.byteOffset + 600);
    a.fill(0xaa);
    b.fill(0xbb);
    const own = arena.take(200); // 1100 > 1024
    expect(own.buffer).not.toBe(a.buffer);
    arena.begin();
    const again = arena.take(900);
    expect(again.buffer).toBe(a.buffer);
    expect(again.byteOffset).toBe(a.byteOffset);
    // The last file's bytes never show through.
    expect(again.every((byte) => byte === 0)).toBe(true);
    expect(arena.take(2000).buffer).not.toBe(a.buffer);
  });

  it('gives back what a big file used beyond `keep` when the next file starts, and grows again zeroed', () => {
    const arena = new RetentionArena(3 << 20, 1 << 20);
    const big = arena.take(2.5 * (1 << 20));
    big.fill(0xcc);
    expect(big.buffer.byteLength).toBe(3 << 20);
    arena.begin();
    expect(big.buffer.byteLength).toBe(1 << 20);
    const next = arena.take(2 << 20);
    expect(next.buffer).toBe(big.buffer);
    expect(next.every((byte) => byte === 0)).toBe(true);
  });

  it('gives the pages back as soon as the file ends, not when the next big file begins', () => {
    const arena = new RetentionArena(3 << 20, 1 << 20);
    const big = arena.take(2.5 * (1 << 20));
    expect(big.buffer.byteLength).toBe(3 << 20);
    arena.end();
    expect(big.buffer.byteLength).toBe(1 << 20);
    expect(arena.take(1 << 20).byteOffset).toBe(0);
  });

  it('holds the shared gate while it is grown past GATED_ABOVE, and only then', () => {
    const gate = new SharedGate();
    const cell = new Int32Array(gate.buffer);
    const arena = new RetentionArena();
    arena.useGate(new SharedGate(gate.buffer));
    arena.take(GATED_ABOVE);
    expect(cell[0]).toBe(0);
    arena.take(1);
    expect(cell[0]).not.toBe(0);
    // Another thread's arena would now wait; this thread's other uses of the gate fail at once.
    expect(gate.enter(0)).toBe(false);
    arena.end();
    expect(cell[0]).toBe(0);
    arena.take(GATED_ABOVE + 1);
    expect(cell[0]).not.toBe(0);
    arena.useGate(null); // a new job without the gate gives it back
    expect(cell[0]).toBe(0);
  });
});

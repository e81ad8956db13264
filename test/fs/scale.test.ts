// Not timed: these prove large and absurd inputs complete (no per-component recursion, no
// quadratic blow-up) and stay consistent. Measurements are in docs/decisions/fs.md.
import { describe, expect, test } from 'vitest';
import { computeEfficiency, mergeLayers, normalizeEntryPath, resolvePath, type LayerEntry } from '../../src/fs/index.js';
import { dir, file, hardlink, layers, opaque, symlink, whiteout } from './_entries.js';

function bigImage() {
  const base: LayerEntry[] = [];
  for (let d = 0; d < 1000; d++) {
    base.push(dir(`/data/d${d}`));
    for (let f = 0; f < 100; f++) base.push(file(`/data/d${d}/f${f}`, 1000 + f));
  }
  const modified = Array.from({ length: 20_000 }, (_, i) => file(`/data/d${i % 1000}/f${Math.floor(i / 1000)}`, 7));
  const removed = Array.from({ length: 100 }, (_, d) => whiteout(`/data/d${d}`));
  const hidden = Array.from({ length: 50 }, (_, d) => opaque(`/data/d${100 + d}`));
  const links = Array.from({ length: 10_000 }, (_, i) => hardlink(`/links/l${i}`, `/data/d${200 + (i % 800)}/f${50 + (i % 50)}`));
  return layers(base, modified, removed, hidden, links);
}

describe('a 100k-entry image', () => {
  const image = bigImage();

  test('merges with consistent statistics', () => {
    expect(image[0]!.entries.length).toBe(101_000);
    const fs = mergeLayers(image);
    // 1000 dirs − 100 whited out; 50 opaque dirs emptied; 10k links in /links.
    expect(fs.totals.directories).toBe(1 + 900 + 1);
    expect(fs.totals.files).toBe((1000 - 100 - 50) * 100 + 10_000);
    expect(fs.totals.hardlinks).toBe(10_000);
    expect(fs.layers[2]).toMatchObject({ entries: 100, removed: 100 * 101 });
    expect(fs.layers[3]).toMatchObject({ entries: 50, removed: 50 * 100 });
    const baseBytes = 1000 * (100 * 1000 + (99 * 100) / 2);
    // Layer 0: the 20k overwritten, the 100 whited-out dirs, the 50 hidden dirs (overlaps counted once).
    const overwritten = new Set(image[1]!.entries.map((e) => e.path));
    let visible = 0;
    for (let d = 150; d < 1000; d++) for (let f = 0; f < 100; f++) if (!overwritten.has(`/data/d${d}/f${f}`)) visible += 1000 + f;
    expect(fs.layers[0]!.reclaimableBytes).toBe(baseBytes - visible);
    expect(fs.sortedPaths()).toHaveLength(fs.entries.size);
  });

  test('efficiency completes with every overwritten file counted', () => {
    const result = computeEfficiency(image);
    expect(result.topWasted.length).toBeGreaterThanOrEqual(20_000);
    expect(result.score).toBeGreaterThan(0);
    expect(result.score).toBeLessThan(1);
  });
});

describe('absurd paths', () => {
  const deepName = './' + 'a/'.repeat(222_370) + 'foo.txt';
  const deepPath = '/a'.repeat(222_370) + '/foo.txt';

  test('normalising a 444749-character name is one pass', () => {
    expect(normalizeEntryPath(deepName)).toBe(deepPath);
  });

  test('dive’s model builds and walks a 222371-deep tree without recursion', () => {
    const entry = file(deepPath, 3);
    const result = computeEfficiency(layers([entry], [{ ...entry, size: 4 }]));
    expect(result.topWasted).toEqual([{ path: deepPath, count: 2, cumulativeSize: 7 }]);
  });

  test('resolving a deep path, and a symlink whose target is deep, completes', () => {
    const fs = mergeLayers(layers([dir('/a'), symlink('/a/a', '.'), symlink('/deep', 'a/'.repeat(100_000) + 'x')]));
    expect(resolvePath(fs, deepPath)).toBeNull();
    expect(resolvePath(fs, '/deep')).toBeNull(); // /a/a → /a loops: 40 hops, then ELOOP
    expect(resolvePath(fs, '/a/a/a')!.path).toBe('/a');
  });

  test('a chain of 255 symlinked parents applies; one more is a loop', () => {
    const chain = (n: number) => [dir('/t'), ...Array.from({ length: n }, (_, i) => symlink(`/s${i}`, i === n - 1 ? 't' : `s${i + 1}`))];
    expect(mergeLayers(layers(chain(255), [file('/s0/x', 1)])).entries.has('/t/x')).toBe(true);
    expect(() => mergeLayers(layers(chain(256), [file('/s0/x', 1)]))).toThrow(/more than 255 symbolic links/);
  });
});

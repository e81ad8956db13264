// Expected values are computed by hand from dive's code (dive/filetree/efficiency.go,
// file_tree.go, file_node.go, dive/image/analysis.go); each case says how.
import { describe, expect, test } from 'vitest';
import { computeEfficiency } from '../../src/fs/index.js';
import { dir, file, fromTar, header, layers, opaque, whiteout } from './_entries.js';

describe('computeEfficiency (dive-exact)', () => {
  test('no layers, and a layer with no files: score 1, nothing wasted', () => {
    const empty = { score: 1, wastedBytes: 0, userWastedPercent: 0, topWasted: [] };
    expect(computeEfficiency([])).toEqual(empty);
    expect(computeEfficiency(layers([]))).toEqual(empty);
    expect(computeEfficiency(layers([dir('/etc')]))).toEqual(empty); // an empty dir is a 0-byte leaf
  });

  test('one layer: every path once → score 1; user wasted is 0 where dive divides 0 by 0', () => {
    const result = computeEfficiency(layers([dir('/app'), file('/app/a', 100), file('/app/b', 50)]));
    expect(result).toEqual({ score: 1, wastedBytes: 0, userWastedPercent: 0, topWasted: [] });
  });

  test('a path in three layers', () => {
    // /f: 100 + 200 + 50 = 350, smallest 50; /g: 10. score = (50 + 10) / (350 + 10).
    // user bytes = layers 1..2 = 200 + 50.
    const result = computeEfficiency(layers([file('/f', 100), file('/g', 10)], [file('/f', 200)], [file('/f', 50)]));
    expect(result.score).toBe(60 / 360);
    expect(result.wastedBytes).toBe(350);
    expect(result.userWastedPercent).toBe(350 / 250);
    expect(result.topWasted).toEqual([{ path: '/f', count: 3, cumulativeSize: 350 }]);
  });

  test('a directory whiteout counts the subtree as the layers below had it', () => {
    // /a (explicit dir) = 0 + /a/x 100 + /a/y 50 + /a/sub 0 + /a/sub/z 25 = 175 for the whiteout leaf /a.
    // /b/k twice (5 + 5). score = (25 + 100 + 50 + 5 + 175) / (25 + 100 + 50 + 10 + 175).
    const result = computeEfficiency(
      layers(
        [dir('/a'), file('/a/x', 100), file('/a/y', 50), dir('/a/sub'), file('/a/sub/z', 25), dir('/b'), file('/b/k', 5)],
        [whiteout('/a')],
        [file('/b/k', 5)],
      ),
    );
    expect(result.score).toBe(355 / 360);
    expect(result.wastedBytes).toBe(10);
    expect(result.userWastedPercent).toBe(10 / 5);
    expect(result.topWasted).toEqual([{ path: '/b/k', count: 2, cumulativeSize: 10 }]);
  });

  test('whiteout then re-create: the directory path is wasted as often as it was listed', () => {
    // L3 lists /a again as an empty dir (a leaf, 0 bytes): /a seen twice, 140 + 0.
    const withDirEntry = computeEfficiency(layers([dir('/a'), file('/a/x', 100)], [dir('/a'), file('/a/y', 40)], [whiteout('/a')], [dir('/a')]));
    expect(withDirEntry.topWasted).toEqual([{ path: '/a', count: 2, cumulativeSize: 140 }]);
    expect(withDirEntry.score).toBe((100 + 40 + 0) / (100 + 40 + 140));
    expect(withDirEntry.userWastedPercent).toBe(140 / 40);
    // dive quirk: a layer that adds /a/y without listing /a replaces /a's payload with an empty
    // one (not a directory), so the later whiteout of /a counts 0.
    const withoutDirEntry = computeEfficiency(layers([dir('/a'), file('/a/x', 100)], [file('/a/y', 40)], [whiteout('/a')], [dir('/a')]));
    expect(withoutDirEntry.topWasted).toEqual([{ path: '/a', count: 2, cumulativeSize: 0 }]);
    expect(withoutDirEntry.score).toBe(1);
  });

  test('a whiteout of a file counts 0 bytes, the file’s own bytes are the waste', () => {
    // /f: 100 then 0 → cumulative 100, smallest 0; /g 50. user bytes = 0 + 50.
    const result = computeEfficiency(layers([file('/f', 100)], [whiteout('/f')], [file('/g', 50)]));
    expect(result).toEqual({ score: 50 / 150, wastedBytes: 100, userWastedPercent: 2, topWasted: [{ path: '/f', count: 2, cumulativeSize: 100 }] });
  });

  test('opaque markers never enter dive’s trees; an opaque-only layer leaves its directory as a 0-byte leaf', () => {
    expect(computeEfficiency(layers([dir('/d'), file('/d/a', 10)], [dir('/d'), opaque('/d'), file('/d/c', 5)]))).toEqual({
      score: 1,
      wastedBytes: 0,
      userWastedPercent: 0,
      topWasted: [],
    });
    const twice = computeEfficiency(layers([dir('/d'), file('/d/a', 10)], [opaque('/d')], [opaque('/d')]));
    expect(twice.topWasted).toEqual([{ path: '/d', count: 2, cumulativeSize: 0 }]);
    expect(twice.score).toBe(1);
  });

  test('a whiteout in the first layer is sized against that layer itself', () => {
    // T0 holds `.wh.f` and `f`; `.wh.f` sorts first and finds /f (a file) → 0; then /f 10.
    const result = computeEfficiency(layers([file('/f', 10), whiteout('/f')]));
    expect(result).toEqual({ score: 0, wastedBytes: 10, userWastedPercent: 0, topWasted: [{ path: '/f', count: 2, cumulativeSize: 10 }] });
  });

  test('dive quirk: a whiteout of a path missing below ends that layer’s walk and adds -1 to the minimum', () => {
    // Layer 1 in dive's order: `.wh.b` (fails: /b does not exist below), then `a`, `c` are never visited.
    // /a: 10 (L0) + 5 (L2); /b: created with smallest -1, cumulative 0.
    const result = computeEfficiency(layers([file('/a', 10)], [whiteout('/b'), file('/c', 20), file('/a', 30)], [file('/a', 5)]));
    expect(result.score).toBe((5 - 1) / 15);
    expect(result.wastedBytes).toBe(15);
    expect(result.userWastedPercent).toBe(15 / 55);
    expect(result.topWasted).toEqual([{ path: '/a', count: 2, cumulativeSize: 15 }]);
  });

  test('dive quirk: a directory named .wh.etc with children whites out /etc when dive stacks the trees', () => {
    // Stacking layer 1 removes /etc (its `.wh.etc` node is a whiteout), so layer 2's whiteout of
    // /etc finds nothing below: that layer's walk ends and /etc keeps a smallest size of -1.
    const quirk = computeEfficiency(layers([dir('/etc'), file('/etc/passwd', 100)], [file('/.wh.etc/somefile', 5)], [whiteout('/etc')]));
    expect(quirk.score).toBe((100 + 5 - 1) / 105);
    const plain = computeEfficiency(layers([dir('/etc'), file('/etc/passwd', 100)], [whiteout('/etc')]));
    expect(plain.score).toBe(200 / 200);
  });

  test('./ and trailing slashes as dive cleans them; layer sizes count every entry', () => {
    const result = computeEfficiency([
      fromTar(0, [header('./'), header('./etc/'), header('./etc/os-release', { size: 40 })]),
      fromTar(1, [header('./'), header('./etc/'), header('./etc/os-release', { size: 60 })]),
    ]);
    expect(result).toEqual({ score: 40 / 100, wastedBytes: 100, userWastedPercent: 100 / 60, topWasted: [{ path: '/etc/os-release', count: 2, cumulativeSize: 100 }] });
  });

  test('topWasted is dive’s order: Go sort.Sort (unstable pdqsort) ascending, read from the end', () => {
    // 14 paths reach their second copy in name order p00..p13 with these cumulative sizes.
    const sizes = [0, 2, 1, 0, 2, 1, 0, 2, 1, 0, 2, 1, 0, 2];
    const name = (i: number) => `/p${String(i).padStart(2, '0')}`;
    const result = computeEfficiency(
      layers(
        sizes.map((size, i) => file(name(i), size)),
        sizes.map((_, i) => file(name(i), 0)),
      ),
    );
    // Go's pdqsort (Go ≥ 1.22) orders the indexes [6,9,3,0,12,2,5,8,11,4,10,1,7,13]; dive prints them reversed.
    // A stable sort would give 13,10,7,4,1 for the size-2 ties.
    const goAscending = [6, 9, 3, 0, 12, 2, 5, 8, 11, 4, 10, 1, 7, 13];
    expect(result.topWasted.map((w) => w.path)).toEqual([...goAscending].reverse().map(name));
    expect(result.wastedBytes).toBe(14);
  });

  test('limit keeps the top of the list; wasted bytes still count every path', () => {
    const result = computeEfficiency(layers([file('/a', 1), file('/b', 2), file('/c', 3)], [file('/a', 1), file('/b', 2), file('/c', 3)]), { limit: 2 });
    expect(result.topWasted.map((w) => [w.path, w.cumulativeSize])).toEqual([
      ['/c', 6],
      ['/b', 4],
    ]);
    expect(result.wastedBytes).toBe(12);
  });
});

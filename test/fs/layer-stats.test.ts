import { describe, expect, test } from 'vitest';
import { mergeLayers } from '../../src/fs/index.js';
import { dir, fifo, file, hardlink, layers, opaque, symlink, whiteout } from './_entries.js';

describe('per-layer statistics', () => {
  test('added, modified, removed and their bytes', () => {
    const fs = mergeLayers(
      layers(
        [dir('/app'), file('/app/a', 100), file('/app/b', 200), dir('/app/cache'), file('/app/cache/1', 10), file('/app/cache/2', 20)],
        [dir('/app', { mtime: 5 }), file('/app/a', 150), file('/app/c', 30), whiteout('/app/cache'), whiteout('/app/none')],
      ),
    );
    const { changed: first, ...stats0 } = fs.layers[0]!;
    expect(stats0).toEqual({ index: 0, entries: 6, added: 6, modified: 0, removed: 0, addedBytes: 330, modifiedBytes: 0, reclaimableBytes: 130 });
    expect(first.map((c) => `${c.change} ${c.path}`)).toEqual(['added /app', 'added /app/a', 'added /app/b', 'added /app/cache', 'added /app/cache/1', 'added /app/cache/2']);
    // /app (new mtime) and /app/a modified; /app/c added; /app/cache and its 2 files removed.
    const { changed, ...stats1 } = fs.layers[1]!;
    expect(stats1).toEqual({ index: 1, entries: 5, added: 1, modified: 2, removed: 3, addedBytes: 30, modifiedBytes: 150, reclaimableBytes: 0 });
    // The list is what the counts count: the entry after the layer, or before it for a removal.
    expect(changed).toEqual([
      { path: '/app', change: 'modified', type: 'directory', size: 0, linkTarget: null },
      { path: '/app/a', change: 'modified', type: 'file', size: 150, linkTarget: null },
      { path: '/app/c', change: 'added', type: 'file', size: 30, linkTarget: null },
      { path: '/app/cache', change: 'removed', type: 'directory', size: 0, linkTarget: null },
      { path: '/app/cache/1', change: 'removed', type: 'file', size: 10, linkTarget: null },
      { path: '/app/cache/2', change: 'removed', type: 'file', size: 20, linkTarget: null },
    ]);
    expect(fs.reclaimableBytes).toBe(130);
  });

  test('implicit parents count as added; a directory re-listed unchanged is not a change', () => {
    const fs = mergeLayers(layers([dir('/usr'), file('/usr/x', 1)], [dir('/usr'), file('/usr/share/doc/README', 9)]));
    expect(fs.layers[1]).toMatchObject({ entries: 2, added: 3, modified: 0, removed: 0, addedBytes: 9 });
  });

  test('a whiteout and re-creation in one layer is a modification (or no change), not a removal', () => {
    const recreated = mergeLayers(layers([dir('/a'), file('/a/foo', 4)], [whiteout('/a'), dir('/a', { mtime: 9 }), file('/a/baz', 6)]));
    expect(recreated.layers[1]).toMatchObject({ added: 1, modified: 1, removed: 1, addedBytes: 6 });
    expect(recreated.layers[0]!.reclaimableBytes).toBe(4);
    const sameMetadata = mergeLayers(layers([dir('/a'), file('/a/foo', 4)], [whiteout('/a'), dir('/a'), file('/a/baz', 6)]));
    expect(sameMetadata.layers[1]).toMatchObject({ added: 1, modified: 0, removed: 1 });
  });

  test('opaque directories remove every hidden path and make their bytes reclaimable', () => {
    const fs = mergeLayers(layers([dir('/d'), file('/d/a', 10), dir('/d/s'), file('/d/s/b', 20)], [opaque('/d'), file('/d/c', 5)]));
    expect(fs.layers[1]).toMatchObject({ entries: 2, added: 1, removed: 3, modified: 0 });
    expect(fs.layers[0]!.reclaimableBytes).toBe(30);
  });

  test('a type change replaces the subtree: the directory is modified, its contents removed', () => {
    const fs = mergeLayers(layers([dir('/x'), file('/x/1', 1), file('/x/2', 2)], [symlink('/x', '/tmp')]));
    expect(fs.layers[1]).toMatchObject({ added: 0, modified: 1, removed: 2 });
    expect(fs.layers[0]!.reclaimableBytes).toBe(3);
  });

  test('content written twice in one layer: the first copy is reclaimable', () => {
    const fs = mergeLayers(layers([file('/f', 7), file('/f', 3)]));
    expect(fs.layers[0]).toMatchObject({ entries: 2, added: 1, addedBytes: 3, reclaimableBytes: 7 });
  });

  test('the same bytes overwritten in every layer: all but the top copy are reclaimable', () => {
    const fs = mergeLayers(layers([file('/big', 1000)], [file('/big', 1000)], [file('/big', 1000)]));
    expect(fs.layers.map((l) => l.reclaimableBytes)).toEqual([1000, 1000, 0]);
    expect(fs.layers.map((l) => [l.added, l.modified, l.modifiedBytes])).toEqual([
      [1, 0, 0],
      [0, 1, 1000],
      [0, 1, 1000],
    ]);
  });

  test('layer indexes are taken from the input', () => {
    const fs = mergeLayers([
      { index: 7, entries: [file('/a', 1)] },
      { index: 9, entries: [file('/b', 1)] },
    ]);
    expect(fs.layers.map((l) => l.index)).toEqual([7, 9]);
    expect(fs.entries.get('/b')!.layer).toBe(9);
  });
});

test('totals of the final filesystem', () => {
  const fs = mergeLayers(
    layers([dir('/bin'), file('/bin/a', 10), hardlink('/bin/b', '/bin/a'), file('/bin/c', 5), symlink('/bin/d', 'c'), fifo('/run/f'), file('/gone', 50)], [whiteout('/gone')]),
  );
  expect(fs.totals).toEqual({ files: 3, directories: 2, symlinks: 1, hardlinks: 1, other: 1, totalSize: 15 });
  expect(fs.reclaimableBytes).toBe(50);
});

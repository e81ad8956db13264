import { describe, expect, test } from 'vitest';
import { mergeLayers } from '../../src/fs/index.js';
import { InputError } from '../../src/shared/errors.js';
import { dir, file, fromTar, header, layers, listing, opaque, symlink, whiteout } from './_entries.js';

// go-containerregistry pkg/v1/mutate fixtures (peer-corpus/go-containerregistry/EXPECTED.md), rebuilt as entry lists.
describe('go-containerregistry mutate scenarios', () => {
  test('whiteout_image: a file whiteout removes it, an empty layer changes nothing', () => {
    const fs = mergeLayers([
      fromTar(0, [header('./'), header('./bar.txt', { size: 4 }), header('./foo.txt', { size: 4 })]),
      fromTar(1, [header('./'), header('./.wh.foo.txt')]),
      fromTar(2, []),
    ]);
    expect(listing(fs.entries)).toEqual(['/bar.txt f:4']);
  });

  test('whiteout_dir: a directory whited out and re-created keeps only the new content', () => {
    const fs = mergeLayers([
      fromTar(0, [header('a/'), header('a/foo', { size: 3 })]),
      fromTar(1, [header('b/'), header('b/bar', { size: 3 })]),
      fromTar(2, [header('.wh.a')]),
      fromTar(3, [header('a/'), header('a/baz', { size: 3 })]),
    ]);
    expect(listing(fs.entries)).toEqual(['/a d', '/a/baz f:3', '/b d', '/b/bar f:3']);
    expect(fs.entries.get('/a')!.layer).toBe(3);
  });

  test('overwritten_file: a file replaced by a symlink is the symlink', () => {
    const fs = mergeLayers([
      fromTar(0, [header('./foo.txt', { size: 4 })]),
      fromTar(1, [header('./bar.txt', { size: 4 }), header('./foo.txt', { type: 'symlink', linkname: 'bar.txt' })]),
      fromTar(2, []),
    ]);
    expect(listing(fs.entries)).toEqual(['/bar.txt f:4', '/foo.txt l:bar.txt']);
  });

  test('opaque directory: lower children hidden, the layer’s own stay', () => {
    const fs = mergeLayers([
      fromTar(0, [header('d/'), header('d/a.txt', { size: 1 }), header('d/b.txt', { size: 1 })]),
      fromTar(1, [header('d/'), header('d/c.txt', { size: 1 }), header('d/.wh..wh..opq')]),
    ]);
    expect(listing(fs.entries)).toEqual(['/d d', '/d/c.txt f:1']);
  });
});

describe('layer application', () => {
  test('the opaque marker hides lower content wherever it sits in the tar', () => {
    const lower = [dir('/d'), file('/d/old', 5), dir('/d/sub'), file('/d/sub/deep', 7)];
    for (const upper of [
      [opaque('/d'), file('/d/new', 1), dir('/d/sub'), file('/d/sub/x', 2)],
      [file('/d/new', 1), dir('/d/sub'), file('/d/sub/x', 2), opaque('/d')],
      [dir('/d/sub'), opaque('/d'), file('/d/sub/x', 2), file('/d/new', 1)],
    ]) {
      const fs = mergeLayers(layers(lower, upper));
      expect(listing(fs.entries)).toEqual(['/d d', '/d/new f:1', '/d/sub d', '/d/sub/x f:2']);
    }
  });

  test('a whiteout in a layer never removes that layer’s own entry, before or after it in the tar', () => {
    for (const upper of [
      [whiteout('/f'), file('/f', 9)],
      [file('/f', 9), whiteout('/f')],
    ]) {
      const fs = mergeLayers(layers([file('/f', 1)], upper));
      expect(listing(fs.entries)).toEqual(['/f f:9']);
    }
  });

  test('implicit parent directories are 0755 root:root and belong to the layer that needed them', () => {
    const fs = mergeLayers(layers([file('/usr/local/bin/tool', 10, { uid: 1000, gid: 1000 })]));
    expect(listing(fs.entries)).toEqual(['/usr d', '/usr/local d', '/usr/local/bin d', '/usr/local/bin/tool f:10']);
    expect(fs.entries.get('/usr/local')).toMatchObject({ mode: 0o755, uid: 0, gid: 0, layer: 0, type: 'directory' });
  });

  test('a directory over a directory merges: children stay, metadata from the upper', () => {
    const fs = mergeLayers(layers([dir('/etc', { mode: 0o755 }), file('/etc/hosts', 3)], [dir('/etc', { mode: 0o700, uid: 5 })]));
    expect(listing(fs.entries)).toEqual(['/etc d', '/etc/hosts f:3']);
    expect(fs.entries.get('/etc')).toMatchObject({ mode: 0o700, uid: 5, layer: 1 });
    expect(fs.entries.get('/etc/hosts')!.layer).toBe(0);
  });

  test('a non-directory replacing a directory removes its subtree; a directory replacing a file starts empty', () => {
    const fs = mergeLayers(layers([dir('/a'), file('/a/x', 1), dir('/a/y'), file('/a/y/z', 1), file('/b', 4)], [file('/a', 2), dir('/b')]));
    expect(listing(fs.entries)).toEqual(['/a f:2', '/b d']);
  });

  test('a directory entry replaces a symlink, and a symlink replaces a directory', () => {
    const base = [dir('/real'), file('/real/f', 1), symlink('/link', 'real'), dir('/d'), file('/d/g', 1)];
    const fs = mergeLayers(layers(base, [dir('/link'), symlink('/d', '/real')]));
    expect(listing(fs.entries)).toEqual(['/d l:/real', '/link d', '/real d', '/real/f f:1']);
  });

  test('the root entry is not a path; its metadata is kept on root', () => {
    const fs = mergeLayers([fromTar(0, [header('./', { type: 'directory', mode: 0o40700 }), header('./x', { size: 1 })])]);
    expect([...fs.entries.keys()]).toEqual(['/x']);
    expect(fs.root).toMatchObject({ path: '/', type: 'directory', mode: 0o700, layer: 0 });
  });

  test('an entry below a regular file cannot be created (ENOTDIR), as in containerd', () => {
    expect(() => mergeLayers(layers([file('/x', 1)], [file('/x/y', 1)]))).toThrow(/layer 2: cannot apply \/x\/y: \/x is not a directory/);
    expect(() => mergeLayers(layers([file('/x', 1), file('/x/y', 1)]))).toThrow(InputError);
  });

  test('a marker below a file the same layer turns into a directory applies; below a file that stays, ENOTDIR', () => {
    const fs = mergeLayers(layers([file('/x', 1), file('/o', 1)], [whiteout('/x/y'), dir('/x'), opaque('/o'), dir('/o'), file('/o/n', 2)]));
    expect(listing(fs.entries)).toEqual(['/o d', '/o/n f:2', '/x d']);
    expect(() => mergeLayers(layers([file('/x', 1)], [whiteout('/x/y')]))).toThrow(/layer 2: cannot apply \/x\/y: \/x is not a directory/);
    expect(() => mergeLayers(layers([file('/o', 1)], [opaque('/o')]))).toThrow(/\/o is not a directory/);
  });

  test('a whiteout under a missing directory creates it, like containerd mkparent', () => {
    const fs = mergeLayers(layers([file('/keep', 1)], [whiteout('/ghost/thing')]));
    expect(listing(fs.entries)).toEqual(['/ghost d', '/keep f:1']);
  });

  test('entries not produced by layerEntryFromTar are refused', () => {
    expect(() => mergeLayers(layers([file('relative', 1)]))).toThrow(/not absolute/);
    expect(() => mergeLayers(layers([file('/a/../b', 1)]))).toThrow(/not normalised/);
  });

  test('sortedPaths is byte order and cached', () => {
    const fs = mergeLayers(layers([file('/b', 1), file('/B', 1), file('/a/é', 1), file('/a/z', 1)]));
    expect(fs.sortedPaths()).toEqual(['/B', '/a', '/a/z', '/a/é', '/b']);
    expect(fs.sortedPaths()).toBe(fs.sortedPaths());
  });

  test('payloads travel through the merge untouched', () => {
    const payload = { elf: 'parsed' };
    const fs = mergeLayers([{ index: 0, entries: [file('/bin/app', 10, { payload })] }]);
    expect(fs.entries.get('/bin/app')!.payload).toBe(payload);
  });

  test('no layers: an empty filesystem', () => {
    const fs = mergeLayers([]);
    expect(fs.entries.size).toBe(0);
    expect(fs.totals).toEqual({ files: 0, directories: 0, symlinks: 0, hardlinks: 0, other: 0, totalSize: 0 });
    expect(fs.reclaimableBytes).toBe(0);
  });
});

import { describe, expect, test } from 'vitest';
import { mergeLayers } from '../../src/fs/index.js';
import { char, dir, file, hardlink, layers, symlink, whiteout } from './_entries.js';

describe('hard links', () => {
  test('a link shares its target’s inode, size and payload, and counts as a file', () => {
    const payload = { elf: 'busybox' };
    const fs = mergeLayers([{ index: 0, entries: [file('/bin/busybox', 1000, { payload }), hardlink('/bin/sh', '/bin/busybox'), hardlink('/bin/ls', '/bin/sh')] }]);
    const target = fs.entries.get('/bin/busybox')!;
    for (const path of ['/bin/sh', '/bin/ls']) {
      expect(fs.entries.get(path)).toMatchObject({ type: 'hardlink', size: 1000, inode: target.inode, payload });
    }
    expect(fs.entries.get('/bin/ls')!.linkTarget).toBe('/bin/sh');
    expect(fs.totals).toMatchObject({ files: 3, hardlinks: 2, totalSize: 1000 });
  });

  test('a target written relative (as tar stores it) is taken from the root', () => {
    const fs = mergeLayers(layers([file('/bin/gzip', 30), hardlink('/bin/gunzip', 'bin/gzip')]));
    expect(fs.entries.get('/bin/gunzip')).toMatchObject({ type: 'hardlink', linkTarget: '/bin/gzip', size: 30 });
  });

  test('the target may come from a lower layer', () => {
    const fs = mergeLayers(layers([file('/usr/bin/python3.11', 500)], [hardlink('/usr/bin/python3', '/usr/bin/python3.11')]));
    expect(fs.entries.get('/usr/bin/python3')).toMatchObject({ size: 500, layer: 1 });
  });

  test('a later overwrite of the target does not change the link', () => {
    const fs = mergeLayers(layers([file('/a', 10), hardlink('/b', '/a')], [file('/a', 99)]));
    expect(fs.entries.get('/b')!.size).toBe(10);
    expect(fs.entries.get('/b')!.inode).not.toBe(fs.entries.get('/a')!.inode);
    expect(fs.totals.totalSize).toBe(109);
    // The old content is still visible through the link: nothing of layer 0 is reclaimable.
    expect(fs.layers[0]!.reclaimableBytes).toBe(0);
  });

  test('a later removal of the target leaves the link with the content', () => {
    const fs = mergeLayers(layers([file('/a', 10), hardlink('/b', '/a')], [whiteout('/a')]));
    expect([...fs.entries.keys()]).toEqual(['/b']);
    expect(fs.entries.get('/b')).toMatchObject({ type: 'hardlink', size: 10 });
    expect(fs.totals).toMatchObject({ files: 1, totalSize: 10 });
    expect(fs.reclaimableBytes).toBe(0);
  });

  test('the target must exist when the link is made', () => {
    expect(() => mergeLayers(layers([hardlink('/b', '/a'), file('/a', 1)]))).toThrow(/layer 1: invalid hard link \/b → \/a: the target does not exist/);
    expect(() => mergeLayers(layers([file('/a', 1)], [whiteout('/a'), hardlink('/b', '/a')]))).toThrow(/invalid hard link/);
    expect(() => mergeLayers(layers([hardlink('/x', '/nope/x')]))).toThrow(/invalid hard link/);
  });

  test('a link to itself fails (the path is removed before linking, as in containerd)', () => {
    expect(() => mergeLayers(layers([file('/a', 1)], [hardlink('/a', '/a')]))).toThrow(/invalid hard link/);
  });

  test('links to directories are refused', () => {
    expect(() => mergeLayers(layers([dir('/d'), hardlink('/h', '/d')]))).toThrow(/the target is a directory/);
    expect(() => mergeLayers(layers([hardlink('/h', '/')]))).toThrow(/the target is a directory/);
  });

  test('a link to a symlink is another symlink (link(2) does not follow), a link to a device another device', () => {
    const fs = mergeLayers(layers([file('/real', 5), symlink('/soft', 'real'), hardlink('/hard', '/soft'), char('/dev/null', 1, 3), hardlink('/null2', '/dev/null')]));
    expect(fs.entries.get('/hard')).toMatchObject({ type: 'symlink', linkTarget: 'real', inode: fs.entries.get('/soft')!.inode });
    expect(fs.entries.get('/null2')).toMatchObject({ type: 'char', devmajor: 1, devminor: 3 });
    expect(fs.totals).toMatchObject({ files: 1, symlinks: 2, hardlinks: 0, other: 2, totalSize: 5 });
  });

  test('the last component of a link target is not followed; its parents are', () => {
    const fs = mergeLayers(layers([dir('/lib'), file('/lib/libc.so.6', 2000), symlink('/lib64', 'lib'), hardlink('/copy', '/lib64/libc.so.6')]));
    expect(fs.entries.get('/copy')).toMatchObject({ type: 'hardlink', linkTarget: '/lib/libc.so.6', size: 2000 });
  });
});

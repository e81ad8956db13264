import { describe, expect, test } from 'vitest';
import { listDirectory, mergeLayers, resolvePath, type FinalEntry, type MergedFilesystem } from '../../src/fs/index.js';
import { dir, file, layers, symlink } from './_entries.js';

// A Debian-like usrmerge layout: /lib64 → usr/lib64, the loader a relative symlink.
const fs = mergeLayers(
  layers([
    dir('/usr'),
    dir('/usr/lib'),
    dir('/usr/lib/x86_64-linux-gnu'),
    file('/usr/lib/x86_64-linux-gnu/ld-linux-x86-64.so.2', 200_000),
    file('/usr/lib/x86_64-linux-gnu/libc.so.6', 2_000_000),
    dir('/usr/lib64'),
    symlink('/usr/lib64/ld-linux-x86-64.so.2', '../lib/x86_64-linux-gnu/ld-linux-x86-64.so.2'),
    symlink('/lib64', 'usr/lib64'),
    symlink('/lib', 'usr/lib'),
    symlink('/abs', '/usr/lib/x86_64-linux-gnu/libc.so.6'),
    symlink('/escape', '../../../../usr/lib'),
    symlink('/dangling', '/nowhere'),
    symlink('/loop1', 'loop2'),
    symlink('/loop2', 'loop1'),
    file('/etc/os-release', 10),
  ]),
);

describe('resolvePath', () => {
  test('follows a symlinked directory and a relative final symlink, recording the chain', () => {
    const resolved = resolvePath(fs, '/lib64/ld-linux-x86-64.so.2');
    expect(resolved!.path).toBe('/usr/lib/x86_64-linux-gnu/ld-linux-x86-64.so.2');
    expect(resolved!.entry.size).toBe(200_000);
    expect(resolved!.chain).toEqual([
      '/lib64/ld-linux-x86-64.so.2',
      '/usr/lib64/ld-linux-x86-64.so.2',
      '/usr/lib/x86_64-linux-gnu/ld-linux-x86-64.so.2',
    ]);
  });

  test('a path with no symlink has a chain of one', () => {
    expect(resolvePath(fs, '/etc/os-release')).toMatchObject({ path: '/etc/os-release', chain: ['/etc/os-release'] });
  });

  test('absolute targets are relative to the image root; .. is clamped at /', () => {
    expect(resolvePath(fs, '/abs')!.path).toBe('/usr/lib/x86_64-linux-gnu/libc.so.6');
    expect(resolvePath(fs, '/escape/x86_64-linux-gnu/libc.so.6')!.path).toBe('/usr/lib/x86_64-linux-gnu/libc.so.6');
    expect(resolvePath(fs, '/../../etc/os-release')!.path).toBe('/etc/os-release');
  });

  test('.. after a symlinked directory climbs from its target, as the kernel does', () => {
    expect(resolvePath(fs, '/lib64/../lib/x86_64-linux-gnu/libc.so.6')!.path).toBe('/usr/lib/x86_64-linux-gnu/libc.so.6');
  });

  test('followLast: false stops at the link itself (lstat)', () => {
    const resolved = resolvePath(fs, '/lib64/ld-linux-x86-64.so.2', { followLast: false });
    expect(resolved).toMatchObject({ path: '/usr/lib64/ld-linux-x86-64.so.2', entry: { type: 'symlink' } });
  });

  test('missing, dangling, through-a-file and looping lookups are null', () => {
    expect(resolvePath(fs, '/nope')).toBeNull();
    expect(resolvePath(fs, '/dangling')).toBeNull();
    expect(resolvePath(fs, '/dangling', { followLast: false })!.entry.type).toBe('symlink');
    expect(resolvePath(fs, '/etc/os-release/x')).toBeNull();
    expect(resolvePath(fs, '/loop1')).toBeNull();
  });

  test('40 hops resolve, 41 are ELOOP', () => {
    const chain = (hops: number) =>
      mergeLayers(layers([file('/target', 1), ...Array.from({ length: hops }, (_, i) => symlink(`/l${i}`, i === hops - 1 ? 'target' : `l${i + 1}`))]));
    expect(resolvePath(chain(40), '/l0')!.path).toBe('/target');
    expect(resolvePath(chain(40), '/l0')!.chain).toHaveLength(41);
    expect(resolvePath(chain(41), '/l0')).toBeNull();
  });

  test('the root and relative inputs', () => {
    expect(resolvePath(fs, '/')).toMatchObject({ path: '/', entry: { type: 'directory' } });
    expect(resolvePath(fs, 'etc/os-release')!.path).toBe('/etc/os-release');
  });
});

describe('listDirectory', () => {
  test('names in byte order, symlinked directories followed', () => {
    expect(listDirectory(fs, '/usr/lib64')).toEqual(['ld-linux-x86-64.so.2']);
    expect(listDirectory(fs, '/lib')).toEqual(['x86_64-linux-gnu']);
    expect(listDirectory(fs, '/')).toEqual(['abs', 'dangling', 'escape', 'etc', 'lib', 'lib64', 'loop1', 'loop2', 'usr']);
  });

  test('null for files and missing paths', () => {
    expect(listDirectory(fs, '/etc/os-release')).toBeNull();
    expect(listDirectory(fs, '/missing')).toBeNull();
  });
});

test('a MergedFilesystem built by hand (e.g. in other modules’ tests) resolves too', () => {
  const entry = (path: string, type: FinalEntry['type'], linkTarget: string | null = null): FinalEntry => ({
    path, type, linkTarget, size: 1, mode: 0o755, uid: 0, gid: 0, mtime: 0, layer: 0, inode: path.length,
  });
  const entries = new Map([
    ['/bin/sh', entry('/bin/sh', 'symlink', 'busybox')],
    ['/bin/busybox', entry('/bin/busybox', 'file')],
  ]);
  const handMade: MergedFilesystem = {
    entries,
    root: entry('/', 'directory'),
    layers: [],
    totals: { files: 1, directories: 0, symlinks: 1, hardlinks: 0, other: 0, totalSize: 1 },
    reclaimableBytes: 0,
    redirects: [],
    sortedPaths: () => [...entries.keys()].sort(),
  };
  expect(resolvePath(handMade, '/bin/sh')!.path).toBe('/bin/busybox');
  expect(listDirectory(handMade, '/bin')).toEqual(['busybox', 'sh']);
});

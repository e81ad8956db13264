import { describe, expect, test } from 'vitest';
import { classifyWhiteout, compareBytewise, normalizeEntryPath } from '../../src/fs/index.js';
import { checkPathLimits, normalizeLinkTarget, sortBytewise, utf8Length } from '../../src/fs/paths.js';
import { InputError } from '../../src/shared/errors.js';

describe('normalizeEntryPath', () => {
  test.each([
    ['./', '/'],
    ['.', '/'],
    ['./bar', '/bar'],
    ['usr/bin/', '/usr/bin'],
    ['usr//bin/./env', '/usr/bin/env'],
    ['a/../b', '/b'], // local after cleaning (Go's filepath.IsLocal), applied as /b
    ['.wh.etc/somefile', '/.wh.etc/somefile'],
    ['...', '/...'],
    // kaniko writes the root as `/` and names with a leading `/`: containerd cleans them relative to the root
    ['/', '/'],
    ['/app/hello', '/app/hello'],
    ['//etc/', '/etc'],
  ])('%j → %j', (name, expected) => {
    expect(normalizeEntryPath(name)).toBe(expected);
  });

  // The names Go's archive/tar flags as insecure (ErrInsecurePath): rejected, never applied.
  test.each(['../foo', '/../foo', 'a/b/../../../c', '..', 'a/../..', '/..'])('rejects %j', (name) => {
    expect(() => normalizeEntryPath(name)).toThrow(InputError);
  });

  test('rejects empty names and NUL bytes', () => {
    expect(() => normalizeEntryPath('')).toThrow(/empty name/);
    expect(() => normalizeEntryPath('a\0b')).toThrow(/NUL/);
  });

  test('messages say why', () => {
    expect(() => normalizeEntryPath('../foo')).toThrow(/escapes the image root/);
    expect(() => normalizeEntryPath('/../etc/passwd')).toThrow(/escapes the image root/);
  });
});

describe('classifyWhiteout', () => {
  test('.wh.NAME whites out the sibling NAME', () => {
    expect(classifyWhiteout('/.wh.foo.txt')).toEqual({ kind: 'whiteout', target: '/foo.txt' });
    expect(classifyWhiteout('/etc/.wh.passwd')).toEqual({ kind: 'whiteout', target: '/etc/passwd' });
    expect(classifyWhiteout('/etc/.wh....')).toEqual({ kind: 'whiteout', target: '/etc/...' });
  });

  test('.wh..wh..opq makes its directory opaque', () => {
    expect(classifyWhiteout('/d/.wh..wh..opq')).toEqual({ kind: 'opaque', dir: '/d' });
    expect(classifyWhiteout('/.wh..wh..opq')).toEqual({ kind: 'opaque', dir: '/' });
  });

  test('other AUFS metadata names white out their literal sibling, as containerd does', () => {
    expect(classifyWhiteout('/.wh..wh.plnk')).toEqual({ kind: 'whiteout', target: '/.wh.plnk' });
  });

  test.each(['/.wh.', '/.wh..', '/.wh...', '/etc/.wh..', '/etc/.wh...', '/etc/.wh.'])('%j is an invalid whiteout', (path) => {
    expect(() => classifyWhiteout(path)).toThrow(/invalid whiteout/);
  });

  test('ordinary names, including files inside a directory named .wh.etc', () => {
    expect(classifyWhiteout('/.wh.etc/somefile')).toBeNull();
    expect(classifyWhiteout('/etc/passwd')).toBeNull();
    expect(classifyWhiteout('/')).toBeNull();
    expect(classifyWhiteout('/x.wh.y')).toBeNull();
  });
});

describe('path limits (Linux PATH_MAX 4096 and NAME_MAX 255)', () => {
  test('a path of 4095 bytes is creatable, 4096 is not', () => {
    const ok = '/' + Array.from({ length: 16 }, () => 'a'.repeat(254)).join('/') + '/' + 'b'.repeat(4095 - 1 - 16 * 255);
    expect(utf8Length(ok)).toBe(4095);
    expect(() => checkPathLimits(ok)).not.toThrow();
    expect(() => checkPathLimits(ok + 'c')).toThrow(/4096|4095 bytes \(PATH_MAX\)/);
  });

  test('a 256-byte component is not', () => {
    expect(() => checkPathLimits('/' + 'x'.repeat(255))).not.toThrow();
    expect(() => checkPathLimits('/' + 'x'.repeat(256))).toThrow(/NAME_MAX/);
    expect(() => checkPathLimits('/a/' + 'é'.repeat(128))).toThrow(/256-byte component/);
  });
});

test('hard-link targets are root-relative and clamp .. at the root, as containerd hardlinkRootPath', () => {
  expect(normalizeLinkTarget('/etc/passwd')).toBe('/etc/passwd');
  expect(normalizeLinkTarget('./etc/passwd')).toBe('/etc/passwd');
  expect(normalizeLinkTarget('../../etc/passwd')).toBe('/etc/passwd');
  expect(normalizeLinkTarget('usr/../bin/sh')).toBe('/bin/sh');
});

test('byte order matches UTF-8 (Go sort.Strings), not UTF-16', () => {
  const names = ['b', 'a', 'B', '\u{1F600}', '\uFFFD', 'é', '.wh.x', '_'];
  expect([...names].sort(compareBytewise)).toEqual(['.wh.x', 'B', '_', 'a', 'b', 'é', '\uFFFD', '\u{1F600}']);
  expect(sortBytewise([...names])).toEqual([...names].sort(compareBytewise));
  expect(sortBytewise(['b', 'é', 'a', 'Z'])).toEqual(['Z', 'a', 'b', 'é']);
  expect(compareBytewise('ab', 'abc')).toBeLessThan(0);
  expect(compareBytewise('x', 'x')).toBe(0);
});

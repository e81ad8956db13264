import { describe, expect, test } from 'vitest';
import { compileGlob } from '../../src/policy/index.js';

function matches(glob: string, path: string): boolean {
  return compileGlob(glob)(path);
}

describe('path globs', () => {
  test.each([
    ['/usr/bin/passwd', '/usr/bin/passwd', true],
    ['/usr/bin/*', '/usr/bin/passwd', true],
    ['/usr/bin/*', '/usr/bin/sub/passwd', false],
    ['/usr/**', '/usr/bin/sub/passwd', true],
    ['/usr/**', '/usr', false],
    ['/usr/', '/usr/lib/x.so', true],
    ['/**/*.so', '/a.so', true],
    ['/**/*.so', '/usr/lib/x86_64-linux-gnu/libz.so', true],
    ['/**/*.so', '/usr/lib/libz.so.1', false],
    ['/usr/lib/**/*.so*', '/usr/lib/libz.so.1', true],
    ['/usr/lib/**/*.so*', '/usr/lib/a/b/libz.so.1', true],
    ['usr/bin/su', '/usr/bin/su', true],
    ['/bin/{su,sudo}', '/bin/sudo', true],
    ['/bin/{su,sudo}', '/bin/sux', false],
    ['/bin/s?', '/bin/su', true],
    ['/bin/s?', '/bin/s/', false],
    ['/lib/lib[cm].so.6', '/lib/libm.so.6', true],
    ['/lib/lib[!cm].so.6', '/lib/libm.so.6', false],
    ['/lib/lib[!cm].so.6', '/lib/libz.so.6', true],
    ['/app/a+b (1).txt', '/app/a+b (1).txt', true],
    ['/app/\\*', '/app/*', true],
    ['/app/\\*', '/app/x', false],
    ['/app/**/bin', '/app/bin', true],
    ['/app/**/bin', '/app/x/y/bin', true],
  ])('%s vs %s → %s', (glob, path, expected) => {
    expect(matches(glob, path)).toBe(expected);
  });

  test('malformed globs are rejected', () => {
    expect(() => compileGlob('/lib/[abc')).toThrow(/unclosed '\['/);
    expect(() => compileGlob('/lib/{a,b')).toThrow(/unclosed '\{'/);
    expect(() => compileGlob('  ')).toThrow(/must not be empty/);
  });

  test('long paths match in linear time', () => {
    const deep = `/${'a/'.repeat(20_000)}x.so`;
    expect(matches('/**/*.so', deep)).toBe(true);
    expect(matches('/**/*.so', `${deep}.1`)).toBe(false);
  });
});

/**
 * The one glob dialect (`slim --keep`, policy `paths:` and `ignore:`). The first two blocks are
 * the tests the two former dialects had (slim/glob.ts without braces, policy/glob.ts with them),
 * run against the shared matcher; where they disagreed the dialect chose, and says so below.
 */
import { describe, expect, test } from 'vitest';
import { compileGlob, compileNameGlob, GlobSyntaxError, hasGlob } from '../../src/shared/glob/index.js';

const matches = (pattern: string, paths: string[]) => paths.filter((path) => compileGlob(pattern)(path));

describe('former --keep dialect', () => {
  test('* and ? stay inside one name; ** spans names, including none', () => {
    const paths = ['/usr/lib/libssl.so.3', '/usr/lib/ssl/cert.pem', '/usr/lib/x/y/z.pem', '/usr/lib/a.pem', '/usr/libexec'];
    expect(matches('/usr/lib/*.pem', paths)).toEqual(['/usr/lib/a.pem']);
    expect(matches('/usr/lib/**/*.pem', paths)).toEqual(['/usr/lib/ssl/cert.pem', '/usr/lib/x/y/z.pem', '/usr/lib/a.pem']);
    expect(matches('/usr/lib/**', paths)).toEqual(paths.slice(0, 4));
    expect(matches('/usr/lib/libssl.so.?', paths)).toEqual(['/usr/lib/libssl.so.3']);
    expect(matches('/usr/lib*', paths)).toEqual(['/usr/libexec']);
  });

  test('classes, negation, escapes and regex metacharacters taken literally', () => {
    expect(matches('/lib/libnss_[fd]*', ['/lib/libnss_files.so.2', '/lib/libnss_dns.so.2', '/lib/libnss_systemd.so.2'])).toEqual([
      '/lib/libnss_files.so.2',
      '/lib/libnss_dns.so.2',
    ]);
    expect(matches('/x/[!a]', ['/x/a', '/x/b', '/x//'])).toEqual(['/x/b']);
    expect(matches('/x/[^a-c]', ['/x/b', '/x/d'])).toEqual(['/x/d']);
    expect(matches('/x/a\\*', ['/x/a*', '/x/ab'])).toEqual(['/x/a*']);
    expect(matches('/x/(a+b)|c.$', ['/x/(a+b)|c.$', '/x/aab'])).toEqual(['/x/(a+b)|c.$']);
    expect(matches('/x/[]a]', ['/x/]', '/x/a', '/x/b'])).toEqual(['/x/]', '/x/a']);
    // The --keep dialect took an unclosed '[' literally; the shared one refuses it, as policy did.
    expect(() => compileGlob('/x/[')).toThrow(GlobSyntaxError);
    expect(matches('/x/\\[', ['/x/['])).toEqual(['/x/[']);
  });

  test('hasGlob', () => {
    expect(['/a/*', '/a/?', '/a/[b]', '/a/b', '/a/\\*', '/a/{b,c}', '/a/\\{b\\}'].map(hasGlob)).toEqual([true, true, true, false, false, true, false]);
  });
});

describe('former policy dialect', () => {
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
    expect(compileGlob(glob)(path)).toBe(expected);
  });

  test('malformed globs are rejected', () => {
    expect(() => compileGlob('/lib/[abc')).toThrow(/unclosed '\['/);
    expect(() => compileGlob('/lib/{a,b')).toThrow(/unclosed '\{'/);
    expect(() => compileGlob('')).toThrow(/empty/);
  });

  test('long paths match in linear time', () => {
    const deep = `/${'a/'.repeat(20_000)}x.so`;
    expect(compileGlob('/**/*.so')(deep)).toBe(true);
    expect(compileGlob('/**/*.so')(`${deep}.1`)).toBe(false);
  });
});

describe('one dialect', () => {
  test('nested braces, braces across components, escaped braces and braces inside classes', () => {
    expect(matches('/{usr/lib,lib}/libc.so.{6,7}', ['/usr/lib/libc.so.6', '/lib/libc.so.7', '/usr/libc.so.6'])).toEqual([
      '/usr/lib/libc.so.6',
      '/lib/libc.so.7',
    ]);
    expect(matches('/x/{a,b{c,d}}', ['/x/a', '/x/bc', '/x/bd', '/x/b'])).toEqual(['/x/a', '/x/bc', '/x/bd']);
    expect(matches('/x/\\{a,b\\}', ['/x/{a,b}', '/x/a'])).toEqual(['/x/{a,b}']);
    expect(matches('/x/[{]a', ['/x/{a'])).toEqual(['/x/{a']);
    expect(matches('/x/{,y}z', ['/x/z', '/x/yz'])).toEqual(['/x/z', '/x/yz']);
  });

  test('** inside a name is a *; * matches dot files; characters beyond the BMP are one character', () => {
    expect(matches('/usr/lib**', ['/usr/libexec', '/usr/lib/x'])).toEqual(['/usr/libexec']);
    expect(matches('/home/*', ['/home/.profile'])).toEqual(['/home/.profile']);
    expect(matches('/x/?', ['/x/😀', '/x/ab'])).toEqual(['/x/😀']);
    expect(matches('/x/[😀-😂]', ['/x/😁', '/x/a'])).toEqual(['/x/😁']);
  });

  test('braces that expand too far, or nest too deep, are errors rather than work', () => {
    expect(() => compileGlob(`/x/${'{a,b}'.repeat(9)}`)).toThrow(/more than 256 patterns/);
    expect(() => compileGlob(`/x/${'{'.repeat(40)}a${'}'.repeat(40)}`)).toThrow(/nested/);
    expect(compileGlob(`/x/${'{a,b}'.repeat(8)}`)('/x/abababab')).toBe(true);
  });

  test('errors are usage errors that name the glob', () => {
    const error = (() => {
      try {
        compileGlob('/lib/[abc');
      } catch (caught) {
        return caught as GlobSyntaxError;
      }
      return null;
    })();
    expect(error?.exitCode).toBe(2);
    expect(error?.message).toBe("unclosed '[' in path glob '/lib/[abc'");
  });

  test("a pattern of stars that a RegExp backtracks on exponentially takes O(pattern × path)", () => {
    // Each `*` became `[^/]*` in one RegExp: on this pair that took seconds at 30 characters and
    // doubled with each one more.
    const pattern = `/app/${'*d'.repeat(11)}*Q`;
    const start = performance.now();
    for (const length of [30, 1_000, 50_000]) expect(compileGlob(pattern)(`/app/${'d'.repeat(length)}`)).toBe(false);
    expect(compileGlob(`/**/${'*a'.repeat(40)}*b`)(`/${'a/'.repeat(2_000)}${'a'.repeat(39)}${'x'.repeat(5_000)}b`)).toBe(false);
    expect(performance.now() - start).toBeLessThan(5_000);
  });
});

describe('name globs (glob(3) components: ld.so.conf include, runtime layouts)', () => {
  test('*, ? and classes within one name; an unclosed [ is literal', () => {
    expect(['a.conf', 'b.txt', '.c.conf'].filter(compileNameGlob('*.conf'))).toEqual(['a.conf', '.c.conf']);
    expect(['python3.11', 'python3', 'python2.7'].filter(compileNameGlob('python3.*'))).toEqual(['python3.11']);
    expect(['[x', 'x'].filter(compileNameGlob('[x'))).toEqual(['[x']);
    expect(() => compileNameGlob('[x', 'error')).toThrow(/unclosed/);
    expect(() => compileNameGlob('a/b')).toThrow(GlobSyntaxError);
  });
});

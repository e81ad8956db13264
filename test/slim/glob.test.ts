import { describe, expect, test } from 'vitest';
import { globToRegExp, hasGlob } from '../../src/slim/index.js';

const matches = (pattern: string, paths: string[]) => paths.filter((path) => globToRegExp(pattern).test(path));

describe('--keep globs', () => {
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
    expect(matches('/x/[', ['/x/['])).toEqual(['/x/[']);
  });

  test('hasGlob', () => {
    expect(['/a/*', '/a/?', '/a/[b]', '/a/b', '/a/\\*'].map(hasGlob)).toEqual([true, true, true, false, false]);
  });
});

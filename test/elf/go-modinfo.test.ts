/** Go's modinfo text, as runtime/debug.ParseBuildInfo reads it. */
import { describe, expect, test } from 'vitest';
import { parseModinfo, quotedPrefixLength, unquoteGo, unquoteGoBytes } from '../../src/elf/go-modinfo.js';

describe('parseModinfo', () => {
  test('path, mod, deps with sums, replacements and build settings', () => {
    const parsed = parseModinfo(
      [
        'path\texample.com/cmd/tool',
        'mod\texample.com\tv1.2.3\th1:main=',
        'dep\tgolang.org/x/sys\tv0.1.0\th1:sys=',
        'dep\tgolang.org/x/xerrors\tv0.0.0-2022',
        '=>\tgithub.com/golang/xerrors\tv0.0.0-2022\th1:rep=',
        'dep\texample.com/local\t(devel)',
        '=>\t../local\t\t',
        'build\t-buildmode=exe',
        'build\t-tags=netgo,osusergo',
        'build\t-ldflags="-s -w -X main.version=1.0"',
        'build\t"key with space"=`raw value`',
        'build\tCGO_CFLAGS=',
        'build\tvcs.time=2024-01-02T03:04:05Z',
        '',
      ].join('\n'),
    );
    expect(parsed.error).toBeNull();
    expect(parsed.path).toBe('example.com/cmd/tool');
    expect(parsed.main).toEqual({ path: 'example.com', version: 'v1.2.3', sum: 'h1:main=' });
    expect(parsed.deps).toEqual([
      { path: 'golang.org/x/sys', version: 'v0.1.0', sum: 'h1:sys=', replace: null },
      { path: 'golang.org/x/xerrors', version: 'v0.0.0-2022', sum: null, replace: { path: 'github.com/golang/xerrors', version: 'v0.0.0-2022', sum: 'h1:rep=' } },
      { path: 'example.com/local', version: '(devel)', sum: null, replace: { path: '../local', version: '', sum: null } },
    ]);
    expect(Object.fromEntries(parsed.settings)).toEqual({
      '-buildmode': 'exe',
      '-tags': 'netgo,osusergo',
      '-ldflags': '-s -w -X main.version=1.0',
      'key with space': 'raw value',
      CGO_CFLAGS: '',
      'vcs.time': '2024-01-02T03:04:05Z',
    });
  });

  test('a malformed line stops parsing with Go’s error (line number included)', () => {
    expect(parseModinfo('path\tp\n=>\ta\tb\tc\n').error).toBe('could not parse Go build info: line 2: replacement with no module on previous line');
    expect(parseModinfo('dep\tonly-one-column\n').error).toMatch(/line 1: expected 2 or 3 columns; got 1/);
    expect(parseModinfo('build\tkey with space=1\n').error).toMatch(/unquoted key "key with space" must be quoted/);
    expect(parseModinfo('build\tk=a b\n').error).toMatch(/unquoted value "a b" must be quoted/);
    expect(parseModinfo('build\t=x\n').error).toMatch(/build line with missing key/);
  });

  test('text after the last newline is ignored', () => {
    expect(parseModinfo('path\tp\npath\tq').path).toBe('p');
  });
});

describe('Go string literals', () => {
  test('unquote escapes, raw strings and invalid literals', () => {
    expect(unquoteGo('"a\\tb\\n\\"q\\" \\x41\\101\\u00e9\\U0001F600"')).toBe('a\tb\n"q" AAé😀');
    expect(unquoteGo('`raw \\n`')).toBe('raw \\n');
    expect(unquoteGo('"unterminated')).toBeNull();
    expect(unquoteGo('"bad \\q escape"')).toBeNull();
    expect(Array.from(unquoteGoBytes('"\\xff\\x00\\177"') ?? [])).toEqual([0xff, 0, 0x7f]);
  });

  test('quoted prefix lengths', () => {
    expect(quotedPrefixLength('"a\\"b"=rest')).toBe(6);
    expect(quotedPrefixLength('`x`=y')).toBe(3);
    expect(quotedPrefixLength('"open')).toBeNull();
  });
});

/** dpkg's status stanzas and info lists, including hostile input: diagnostics, never exceptions. */
import { describe, expect, it } from 'vitest';
import { parseConffilesList, parseDpkgList, parseDpkgStatus, parseMd5sums, parseSource } from '../../src/packages/index.js';

const STATUS = `Package: libc6
Status: install ok installed
Priority: optional
Architecture: amd64
Multi-Arch: same
Source: glibc
Version: 2.36-9+deb12u4
Description: GNU C Library
 Contains the standard libraries.
 .
 More text.

Package: login
Status: install ok installed
Architecture: amd64
Source: shadow (1:4.13+dfsg1-1)
Version: 1:4.13+dfsg1-1+b1
Conffiles:
 /etc/login.defs 4f4ba84bd9ee1e8d1d9ae6b4b7ea6b2d
 /etc/pam.d/login 1fd6cb4d4267a68148ee9973510a9d3e
 /etc/securetty 00000000000000000000000000000000 obsolete

Package: oldpkg
Status: deinstall ok config-files
Architecture: all
Version: 1.0

Package: half
Status: install reinstreq half-installed
Architecture: all
Version: 2.0
`;

describe('dpkg status', () => {
  it('reads packages, source packages with and without versions, live conffiles and states', () => {
    const { entries, diagnostics } = parseDpkgStatus(STATUS, 'status');
    expect(diagnostics).toEqual([]);
    expect(entries.map((entry) => [entry.name, entry.version, entry.architecture, entry.state])).toEqual([
      ['libc6', '2.36-9+deb12u4', 'amd64', 'installed'],
      ['login', '1:4.13+dfsg1-1+b1', 'amd64', 'installed'],
      ['oldpkg', '1.0', 'all', 'config-files'],
      ['half', '2.0', 'all', 'half-installed'],
    ]);
    expect(entries[0]!.source).toEqual({ name: 'glibc', version: null });
    expect(entries[0]!.multiArch).toBe('same');
    expect(entries[1]!.source).toEqual({ name: 'shadow', version: '1:4.13+dfsg1-1' });
    expect(entries[1]!.conffiles).toEqual(['/etc/login.defs', '/etc/pam.d/login']);
  });

  it('takes a stanza without Status (distroless) as installed, and CRLF line ends', () => {
    const { entries } = parseDpkgStatus('Package: base-files\r\nVersion: 12.4+deb12u5\r\nArchitecture: amd64\r\n', 'status.d/base-files');
    expect(entries).toMatchObject([{ name: 'base-files', version: '12.4+deb12u5', state: 'installed' }]);
  });

  it('reports malformed and truncated stanzas as diagnostics and keeps the rest', () => {
    const text = ' orphan continuation\nnot a field line\nPackage: ok\nVersion: 1\n\nVersion: 3\n\nPackage: noversion\nStatus: install ok installed\n\nPackage: trunc';
    const { entries, diagnostics } = parseDpkgStatus(text, 'status');
    expect(entries.map((entry) => entry.name)).toEqual(['ok']);
    expect(diagnostics.join('\n')).toMatch(/continuation line outside a field/);
    expect(diagnostics.join('\n')).toMatch(/no Package field/);
    expect(diagnostics.join('\n')).toMatch(/noversion .*no Version/);
    expect(diagnostics.join('\n')).toMatch(/trunc .*no Version/);
  });

  it('survives huge fields, binary garbage and many bad lines in bounded output', () => {
    const huge = `Package: big\nVersion: 1\nDescription: ${'x'.repeat(8 << 20)}\n`;
    expect(parseDpkgStatus(huge, 's').entries).toHaveLength(1);
    const garbage = Buffer.from(Array.from({ length: 100_000 }, (_, i) => (i * 7919) % 256)).toString('latin1');
    const parsed = parseDpkgStatus(garbage, 's');
    expect(parsed.diagnostics.length).toBeLessThanOrEqual(12);
    const bad = parseDpkgStatus('junk\n'.repeat(10_000), 's');
    expect(bad.diagnostics.at(-1)).toMatch(/9995 more malformed lines/);
  });

  it('parses Source fields', () => {
    expect(parseSource('gcc-12 (12.2.0-14)')).toEqual({ name: 'gcc-12', version: '12.2.0-14' });
    expect(parseSource('  zlib ')).toEqual({ name: 'zlib', version: null });
    expect(parseSource('')).toBeNull();
  });
});

describe('dpkg info lists', () => {
  it('reads .list files (root and trailing slashes normalised, paths with spaces kept)', () => {
    expect(parseDpkgList('/.\n/bin\n/bin/dash\n/usr/share/doc/a b/\n\nrelative\n')).toEqual(['/bin', '/bin/dash', '/usr/share/doc/a b']);
  });

  it('reads md5sums files in text and binary mode and skips bad lines', () => {
    const text = `${'a'.repeat(32)}  usr/bin/dash\n${'b'.repeat(32)} *bin/x y\nshort  usr/bin/bad\n${'c'.repeat(32)}usr/bin/nosep\n`;
    expect(parseMd5sums(text)).toEqual(['/usr/bin/dash', '/bin/x y']);
  });

  it('reads .conffiles files', () => {
    expect(parseConffilesList('/etc/a\n/etc/b\nremove-on-upgrade /etc/c\n\n')).toEqual(['/etc/a', '/etc/b']);
  });
});

import { describe, expect, test } from 'vitest';
import { readLdSoConf, readLdSoConfEntries } from '../../../src/elf/resolve/index.js';
import { FakeImage } from './_fake-image.js';

describe('readLdSoConf (ldconfig parse_conf)', () => {
  test('directories in order, include globs sorted bytewise, comments, blank lines, hwcap lines and =TYPE suffixes', () => {
    const image = new FakeImage()
      .file('/etc/ld.so.conf', '# comment\n\n  /usr/local/lib  # trailing comment\ninclude /etc/ld.so.conf.d/*.conf\nhwcap 0 nosegneg\n/opt/old=libc5\n/usr/local/lib\n')
      .file('/etc/ld.so.conf.d/b.conf', '/opt/b/lib/\n')
      .file('/etc/ld.so.conf.d/a.conf', '/opt/a/lib\nrelative/dir\n')
      .file('/etc/ld.so.conf.d/.hidden.conf', '/opt/hidden\n')
      .file('/etc/ld.so.conf.d/c.conf.disabled', '/opt/c\n');
    expect(readLdSoConf(image)).toEqual(['/usr/local/lib', '/opt/a/lib', '/opt/b/lib', '/opt/old']);
    expect(readLdSoConfEntries(image)[1]).toEqual({ dir: '/opt/a/lib', source: '/etc/ld.so.conf.d/a.conf' });
  });

  test('relative include patterns are taken from the including file’s directory; several patterns per line', () => {
    const image = new FakeImage()
      .file('/etc/ld.so.conf', 'include ld.so.conf.d/*.conf other/x[0-9].conf\n')
      .file('/etc/ld.so.conf.d/one.conf', '/one\n')
      .file('/etc/other/x1.conf', '/x1\n')
      .file('/etc/other/xa.conf', '/xa\n');
    expect(readLdSoConf(image)).toEqual(['/one', '/x1']);
  });

  test('symlinked configuration files are followed inside the image; include loops stop', () => {
    const image = new FakeImage()
      .file('/usr/share/conf/real.conf', '/from-link\ninclude /etc/ld.so.conf\n')
      .symlink('/etc/ld.so.conf.d/link.conf', '/usr/share/conf/real.conf')
      .file('/etc/ld.so.conf', 'include /etc/ld.so.conf.d/*.conf\n');
    expect(readLdSoConf(image)).toEqual(['/from-link']);
  });

  test('no ld.so.conf: nothing', () => {
    expect(readLdSoConf(new FakeImage())).toEqual([]);
    expect(readLdSoConf(new FakeImage().file('/etc/alt.conf', '/alt\n'), '/etc/alt.conf')).toEqual(['/alt']);
  });
});

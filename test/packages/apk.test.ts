/**
 * apk's installed database, written here in code following apk-tools' format (database.c,
 * `apk_db_fdb_write`; Debian 12 packages no apk-tools to write or query one, so the fixture
 * follows the format as apk writes it: P/V/A/o/L fields, F: directories with R: files, a:/M:/Z:
 * annotations). Checked as `apk info -v` and `apk info -L` would list it.
 */
import { describe, expect, it } from 'vitest';
import { inspectImage } from '../../src/analysis/index.js';
import { parseApkInstalled } from '../../src/packages/index.js';
import { writeTestImage } from './_debian.js';

export const APK_DB = `C:Q1p78yvTLG094tjE1BBmPSTMx9k0s=
P:musl
V:1.2.4_git20230717-r4
A:x86_64
S:407837
I:654336
T:the musl c library (libc) implementation
U:https://musl.libc.org/
L:MIT
o:musl
m:Natanael Copa <ncopa@alpinelinux.org>
t:1705077000
c:ed2a6ab8d2e2b4d4dbb0c2327dc5ba5e34cd9c31
p:so:libc.musl-x86_64.so.1=1
F:lib
R:ld-musl-x86_64.so.1
a:0:0:755
Z:Q1lRXqjJ/lPrhXLcLMkLb8GtbiqRs=
R:libc.musl-x86_64.so.1
a:0:0:777
Z:Q1OYR/+u4iGw8JlCVS1ahtGIpjIFo=

C:Q1Yb0XqZbImt8WiLfQrWzLVTOw7eI=
P:busybox-binsh
V:1.36.1-r15
A:x86_64
L:GPL-2.0-only
o:busybox
F:bin
R:sh
a:0:0:777
Z:Q1pcfTfDNEbNKQc2s1tia7da05M8Q=

C:Q1WxhD9wLvXSqxnDdQWkYUeSRlE6M=
P:busybox
V:1.36.1-r15
A:x86_64
L:GPL-2.0-only
o:busybox
F:bin
R:busybox
a:0:0:755
F:etc
R:securetty
F:etc/udhcpd
M:0:0:755
R:udhcpd.conf
F:usr/share/udhcpc
R:default.script

`;

describe('apk installed database', () => {
  it('reads packages, origins, licenses, files and /etc files', () => {
    const { records, diagnostics } = parseApkInstalled(APK_DB);
    expect(diagnostics).toEqual([]);
    expect(records.map((r) => `${r.name}-${r.version}`)).toEqual(['musl-1.2.4_git20230717-r4', 'busybox-binsh-1.36.1-r15', 'busybox-1.36.1-r15']);
    const busybox = records[2]!;
    expect(busybox).toMatchObject({ manager: 'apk', architecture: 'x86_64', license: 'GPL-2.0-only', source: { name: 'busybox', version: null } });
    expect(busybox.files).toEqual(['/bin', '/bin/busybox', '/etc', '/etc/securetty', '/etc/udhcpd', '/etc/udhcpd/udhcpd.conf', '/usr/share/udhcpc', '/usr/share/udhcpc/default.script']);
    expect(busybox.conffiles).toEqual(['/etc/securetty', '/etc/udhcpd/udhcpd.conf']);
  });

  it('keeps good records around bad ones', () => {
    const { records, diagnostics } = parseApkInstalled('P:nover\n\nV:1\n\nbogus line\nP:ok\nV:2\nR:file-at-root\n');
    expect(records.map((r) => [r.name, r.files])).toEqual([['ok', ['/file-at-root']]]);
    expect(diagnostics).toHaveLength(3);
    const truncated = APK_DB.slice(0, APK_DB.indexOf('P:busybox\n') + 12);
    expect(parseApkInstalled(truncated).records.map((r) => r.name)).toEqual(['musl', 'busybox-binsh']);
  });

  it('maps files of an Alpine-style image to packages, with /lib/apk/db/installed found through a merged /lib', async () => {
    const image = await writeTestImage(
      {
        layers: [
          {
            entries: [
              { path: 'lib', type: 'symlink', target: 'usr/lib' },
              { path: 'usr/lib/apk/db/installed', content: APK_DB },
              { path: 'usr/lib/ld-musl-x86_64.so.1', content: 'not really musl' },
              { path: 'bin/busybox', content: 'bb' },
              { path: 'bin/sh', type: 'symlink', target: '/bin/busybox' },
              { path: 'etc/alpine-release', content: '3.19.1\n' },
              { path: 'etc/udhcpd', type: 'dir' },
              { path: 'usr/share/udhcpc', type: 'dir' },
              { path: 'etc/os-release', content: 'NAME="Alpine Linux"\nID=alpine\nVERSION_ID=3.19.1\n' },
            ],
          },
        ],
      },
      'apk',
    );
    const analysis = await inspectImage(image);
    await analysis.image.close();
    const index = analysis.packages;
    expect(index.ownerOf('/lib/ld-musl-x86_64.so.1')?.name).toBe('musl');
    expect(index.ownerOf('/bin/sh')?.name).toBe('busybox-binsh');
    expect(index.sameSourceAs(index.ownerOf('/bin/sh')!).map((pkg) => pkg.name)).toEqual(['busybox-binsh', 'busybox']);
    expect(index.privateDirectoriesOf(index.ownerOf('/bin/busybox')!)).toEqual(['/etc/udhcpd', '/usr/share/udhcpc']);
    expect(analysis.report.packageDatabases).toEqual([{ manager: 'apk', path: '/usr/lib/apk/db/installed', status: 'read', packages: 3, diagnostics: [] }]);
    expect(analysis.report.distro).toMatchObject({ id: 'alpine', versionId: '3.19.1' });
    expect(analysis.report.packages.find((pkg) => pkg.name === 'musl')).toMatchObject({ files: 3, missingFiles: 1 });
  });
});

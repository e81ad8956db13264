/** rpm databases written by the real rpm (Debian's rpm 4.18, SQLite backend), checked against `rpm -q`; hostile headers. */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { inspectImage } from '../../src/analysis/index.js';
import { parseRpmHeader, parseSourceRpm, readSqliteRpmdb } from '../../src/packages/index.js';
import { treeEntries, writeTestImage } from './_debian.js';
import { canUseRpm, rpmQuery, rpmRoot } from './_rpm.js';

describe.runIf(canUseRpm)('rpmdb.sqlite written by rpm', () => {
  it('lists what rpm -qa lists, with epoch, version-release, arch, source rpm and license', async () => {
    const root = rpmRoot();
    const { records, note } = await readSqliteRpmdb(readFileSync(path.join(root, 'var/lib/rpm/rpmdb.sqlite')), '/var/lib/rpm/rpmdb.sqlite');
    const expected = rpmQuery(root, '-qa', '--qf', '%{NAME}\t%{EPOCH}\t%{VERSION}-%{RELEASE}\t%{ARCH}\t%{SOURCERPM}\t%{LICENSE}\n').sort();
    const ours = records.map((r) => [r.name, r.epoch ?? '(none)', r.version, r.architecture, r.sourceRpm, r.license].join('\t')).sort();
    expect(ours).toEqual(expected);
    expect(note).toMatchObject({ status: 'read', packages: 2 });
    for (const record of records) {
      expect([...record.files].sort()).toEqual(rpmQuery(root, '-ql', record.name).sort());
      const config = rpmQuery(root, '-qc', record.name).filter((line) => line.startsWith('/'));
      expect(record.conffiles).toEqual(config);
      expect(record.source).toEqual({ name: 'demo-tool', version: '1.2.3-4.el9' });
    }
  });

  it('maps files to packages in an image, and groups the packages of one source rpm', async () => {
    const root = rpmRoot();
    const entries = treeEntries(root).filter((entry) => !entry.path.endsWith('.rpm.lock'));
    entries.push({ path: 'etc/os-release', content: 'ID="rhel"\nVERSION_ID="9.3"\nID_LIKE="fedora"\n' });
    const analysis = await inspectImage(await writeTestImage({ layers: [{ entries }] }, 'rpm-root'));
    await analysis.image.close();
    const index = analysis.packages;
    expect(index.ownerOf('/usr/bin/demo')?.name).toBe('demo-tool');
    expect(index.ownerOf('/usr/lib64/libdemo.so.1')?.name).toBe('demo-tool-libs');
    expect(index.sameSourceAs(index.ownerOf('/usr/bin/demo')!).map((pkg) => pkg.name).sort()).toEqual(['demo-tool', 'demo-tool-libs']);
    expect(index.privateDirectoriesOf(index.ownerOf('/usr/bin/demo')!)).toEqual(['/etc/demo', '/usr/share/demo']);
    expect(analysis.report.distro).toMatchObject({ id: 'rhel', versionId: '9.3', idLike: ['fedora'] });
    expect(analysis.report.packageDatabases).toEqual([
      {
        manager: 'rpm',
        path: '/var/lib/rpm/rpmdb.sqlite',
        status: 'partial',
        packages: 2,
        diagnostics: [expect.stringContaining('write-ahead log')],
      },
    ]);
  });
});

describe('rpm databases that are not read', () => {
  it('names a BerkeleyDB Packages file and an unreadable sqlite file without failing', async () => {
    const image = await writeTestImage(
      { layers: [{ entries: [{ path: 'var/lib/rpm/Packages', content: Buffer.alloc(4096, 0x61) }, { path: 'usr/lib/sysimage/rpm/rpmdb.sqlite', content: 'not sqlite at all' }] }] },
      'rpm-bdb',
    );
    const analysis = await inspectImage(image);
    await analysis.image.close();
    expect(analysis.report.packages).toEqual([]);
    expect(analysis.report.packageDatabases.map((db) => [db.path, db.status])).toEqual([
      ['/var/lib/rpm/Packages', 'not-read'],
      ['/usr/lib/sysimage/rpm/rpmdb.sqlite', 'not-read'],
    ]);
    expect(analysis.report.packageDatabases[0]!.diagnostics[0]).toContain('BerkeleyDB');
  });
});

describe('rpm header blobs', () => {
  const header = (entries: Array<[tag: number, type: number, offset: number, count: number]>, data: Buffer) => {
    const head = Buffer.alloc(8 + entries.length * 16);
    head.writeUInt32BE(entries.length, 0);
    head.writeUInt32BE(data.length, 4);
    entries.forEach(([tag, type, offset, count], i) => {
      head.writeInt32BE(tag, 8 + i * 16);
      head.writeUInt32BE(type, 12 + i * 16);
      head.writeInt32BE(offset, 16 + i * 16);
      head.writeUInt32BE(count, 20 + i * 16);
    });
    return Buffer.concat([head, data]);
  };

  it('decodes strings, arrays and integers', () => {
    const data = Buffer.from('name\0' + '1.0\0' + '\0\0\0' + '\0\0\0\x07');
    const tags = parseRpmHeader(header([[1000, 6, 0, 1], [1001, 6, 5, 1], [1003, 4, 12, 1]], data));
    expect(tags.get(1000)).toEqual(['name']);
    expect(tags.get(1003)).toEqual([7]);
  });

  it('rejects hostile headers with one line, never a crash', () => {
    const cases: Buffer[] = [
      Buffer.alloc(3),
      header([[1000, 6, 0, 1]], Buffer.from('unterminated')),
      header([[1000, 6, 9999, 1]], Buffer.from('x\0')),
      header([[1003, 4, 0, 0x40000000]], Buffer.alloc(8)),
      header([[1117, 8, 0, 0xffffffff]], Buffer.from('a\0b\0')),
      Buffer.concat([Buffer.from([0, 0, 0, 1, 0x7f, 0xff, 0xff, 0xff]), Buffer.alloc(16)]),
      header([[1000, 6, 0, 1]], Buffer.from('x\0')).subarray(0, 20),
    ];
    for (const blob of cases) expect(() => parseRpmHeader(blob)).toThrowError(/./);
  });

  it('splits source rpm names', () => {
    expect(parseSourceRpm('openssl-3.0.7-24.el9.src.rpm')).toEqual({ name: 'openssl', version: '3.0.7-24.el9' });
    expect(parseSourceRpm('python3-pip-21.3.1-1.fc36.nosrc.rpm')).toEqual({ name: 'python3-pip', version: '21.3.1-1.fc36' });
    expect(parseSourceRpm('weird')).toEqual({ name: 'weird', version: null });
  });
});

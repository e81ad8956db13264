/**
 * dpkg databases written by the real dpkg (and distroless-style ones made from real .debs),
 * read from images built in code, checked against dpkg-query run on the same database.
 */
import { describe, expect, it } from 'vitest';
import { inspectImage } from '../../src/analysis/index.js';
import { canUseDpkg, DEBS, debFiles, distrolessEntries, dpkgListed, dpkgQuery, dpkgRoot, treeEntries, writeTestImage } from './_debian.js';

const QUERY = '${Package}\t${Version}\t${Architecture}\t${source:Package}\t${source:Version}\n';

describe.runIf(canUseDpkg)('dpkg databases written by dpkg', () => {
  it('lists the packages dpkg-query lists, with versions, architectures and source packages', async () => {
    const root = dpkgRoot();
    const analysis = await inspectImage(await writeTestImage({ layers: [{ entries: treeEntries(root) }] }, 'dpkg-root'));
    await analysis.image.close();
    const expected = dpkgQuery(root, QUERY).sort();
    const ours = analysis.report.packages
      .map((pkg) => [pkg.name, pkg.version, pkg.architecture, pkg.source?.name ?? pkg.name, pkg.source?.version ?? pkg.version].join('\t'))
      .sort();
    expect(ours).toEqual(expected);
    expect(expected).toHaveLength(DEBS.length);
    expect(analysis.report.packageDatabases).toEqual([
      { manager: 'dpkg', path: '/var/lib/dpkg/status', status: 'read', packages: DEBS.length, diagnostics: [] },
    ]);
    expect(analysis.report.distro).toMatchObject({ id: 'debian', versionId: '12' });
  });

  it('maps every path dpkg-query -L lists to its package, through the merged-/usr symlinks', async () => {
    const root = dpkgRoot();
    const analysis = await inspectImage(await writeTestImage({ layers: [{ entries: treeEntries(root) }] }, 'dpkg-root'));
    await analysis.image.close();
    const index = analysis.packages;
    let checked = 0;
    for (const pkg of index.packages) {
      for (const listed of dpkgListed(root, pkg.name)) {
        expect(index.ownersOf(listed).map((owner) => owner.name), listed).toContain(pkg.name);
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(50);
    // dpkg lists /bin/dash; on this merged-/usr image the file is /usr/bin/dash.
    expect(index.ownerOf('/bin/dash')?.name).toBe('dash');
    expect(index.ownerOf('/usr/bin/dash')?.name).toBe('dash');
    expect(index.filesOf(index.ownerOf('/bin/dash')!)).toContain('/usr/bin/dash');
    const dash = analysis.report.binaries.find((binary) => binary.path === '/usr/bin/dash');
    expect(dash?.package).toEqual({ manager: 'dpkg', name: 'dash', version: '0.5.12-2', architecture: 'amd64' });
    const zlib = analysis.report.binaries.find((binary) => binary.path.includes('libz.so'));
    expect(zlib?.package?.name).toBe('zlib1g');
  });

  it('reads conffiles as dpkg-query reports them, and groups packages by source', async () => {
    const root = dpkgRoot();
    const analysis = await inspectImage(await writeTestImage({ layers: [{ entries: treeEntries(root) }] }, 'dpkg-root'));
    await analysis.image.close();
    const index = analysis.packages;
    for (const pkg of index.packages) {
      const lines = dpkgQuery(root, '${Conffiles}\n', [pkg.name]);
      const expected = lines.map((l) => l.trim().split(' ')[0]).filter(Boolean);
      expect([...index.conffilesOf(pkg)].sort(), pkg.name).toEqual(expected.sort());
    }
    const netbase = index.packages.find((pkg) => pkg.name === 'netbase')!;
    expect(index.conffilesOf(netbase)).toContain('/etc/services');
    const tinfo = index.packages.find((pkg) => pkg.name === 'libtinfo6')!;
    expect(index.sameSourceAs(tinfo).map((pkg) => pkg.name)).toEqual(['libtinfo6']);
    expect(index.privateDirectoriesOf(netbase)).toEqual(['/usr/share/doc/netbase']);
    expect(index.privateDirectoriesOf(index.ownerOf('/usr/bin/sensible-editor')!)).toContain('/usr/share/sensible-utils');
  });

  it('applies later layers: a package removed by a later status file and whiteouts is gone', async () => {
    const root = dpkgRoot();
    const status = dpkgQuery(root, '${Package}\n').length;
    const statusText = (await import('node:fs')).readFileSync(`${root}/var/lib/dpkg/status`, 'utf8');
    const withoutNetbase = statusText.split('\n\n').filter((stanza) => !stanza.startsWith('Package: netbase')).join('\n\n');
    const image = await writeTestImage(
      {
        layers: [
          { entries: treeEntries(root) },
          {
            entries: [
              { path: 'var/lib/dpkg/status', content: withoutNetbase },
              { path: 'var/lib/dpkg/info/netbase.list', type: 'whiteout' },
              { path: 'etc/services', type: 'whiteout' },
            ],
          },
        ],
      },
      'dpkg-removed',
    );
    const analysis = await inspectImage(image);
    await analysis.image.close();
    expect(analysis.report.packages.map((pkg) => pkg.name)).not.toContain('netbase');
    expect(analysis.report.packages).toHaveLength(status - 1);
    expect(analysis.packages.ownerOf('/etc/protocols')).toBeNull();
  });

  it('reads distroless status.d stanzas with and without md5sums files', async () => {
    const [dash, zlib, netbase] = debFiles(['dash', 'zlib1g', 'netbase']);
    const image = await writeTestImage(
      {
        layers: [
          { entries: [...distrolessEntries(dash!), ...distrolessEntries(zlib!)] },
          { entries: distrolessEntries(netbase!, false) },
        ],
      },
      'distroless',
    );
    const analysis = await inspectImage(image);
    await analysis.image.close();
    const index = analysis.packages;
    expect(analysis.report.packages.map((pkg) => `${pkg.name} ${pkg.version} ${pkg.database}`).sort()).toEqual([
      'dash 0.5.12-2 /var/lib/dpkg/status.d/dash',
      `netbase 6.4 /var/lib/dpkg/status.d/netbase`,
      'zlib1g 1:1.2.13.dfsg-1+deb12u1 /var/lib/dpkg/status.d/zlib1g',
    ]);
    expect(index.ownerOf('/bin/dash')?.name).toBe('dash');
    const libz = analysis.report.binaries.find((binary) => binary.path.includes('libz.so.1.'));
    expect(libz?.package).toMatchObject({ name: 'zlib1g', architecture: 'amd64' });
    // Without an md5sums file (older distroless), the package is known but owns no files.
    expect(index.filesOf(index.packages.find((pkg) => pkg.name === 'netbase')!)).toEqual([]);
    expect(analysis.report.packageDatabases).toMatchObject([{ path: '/var/lib/dpkg/status.d', status: 'read', packages: 3 }]);
  });
});

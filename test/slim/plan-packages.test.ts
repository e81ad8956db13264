/**
 * Package rules: the conffiles and private data of the entrypoint's package and of its siblings
 * from the same source package; docs, man pages, lintian, info and init-system files stay out;
 * runtime directories stay as empty directories with their modes and owners.
 */
import { describe, expect, test } from 'vitest';
import { baseLayer, canBuildC, compileC, programEntry } from './_host-images.js';
import { dpkgDatabase } from './_dpkg.js';
import { layer, planHarness, reasonsOf } from './_plan.js';

const plan = planHarness('packages');

describe.skipIf(!canBuildC)('package rules', () => {
  test('conffiles and private data of the package and its same-source siblings; docs and other packages dropped', async () => {
    const { plan: p } = await plan({
      layers: [
        layer(baseLayer({ tmp: true })),
        layer([
          programEntry('usr/sbin/web', compileC('hello')),
          { path: 'etc/web/web.conf', content: 'port 80\n' },
          { path: 'etc/web/conf.d/extra.conf', content: 'x\n' },
          { path: 'etc/web/sites-enabled/default', type: 'symlink', target: '../sites-available/default' },
          { path: 'etc/web/sites-available/default', content: 'site\n' },
          { path: 'etc/init.d/web', content: '#!/bin/sh\n', mode: 0o755 },
          { path: 'usr/share/web/html/index.html', content: '<p>hi</p>' },
          { path: 'usr/share/doc/web/changelog.gz', content: 'log' },
          { path: 'usr/share/man/man8/web.8.gz', content: 'man' },
          { path: 'var/lib/web', type: 'dir', mode: 0o700, uid: 33, gid: 33 },
          { path: 'var/lib/web/body', type: 'dir', mode: 0o700, uid: 33, gid: 33 },
          { path: 'var/log/web', type: 'dir', mode: 0o750 },
          { path: 'var/log/web/old.log', content: 'old log\n' },
          { path: 'usr/share/other/big.dat', content: Buffer.alloc(1000, 1) },
          ...dpkgDatabase([
            { name: 'web', source: 'web-src', files: ['/usr', '/usr/sbin', '/usr/sbin/web', '/usr/share/doc/web', '/usr/share/doc/web/changelog.gz', '/usr/share/man/man8/web.8.gz'] },
            {
              name: 'web-common',
              source: 'web-src',
              files: ['/etc/web', '/etc/web/web.conf', '/etc/web/conf.d', '/etc/web/sites-available', '/etc/web/sites-available/default', '/etc/init.d/web', '/usr/share/web', '/usr/share/web/html', '/usr/share/web/html/index.html', '/var/lib/web', '/var/lib/web/body', '/var/log/web'],
              conffiles: ['/etc/web/web.conf', '/etc/web/sites-available/default', '/etc/init.d/web'],
            },
            { name: 'other', files: ['/usr/share/other', '/usr/share/other/big.dat'] },
          ]),
        ]),
      ],
      containerConfig: { Entrypoint: ['/usr/sbin/web'] },
    });
    expect(reasonsOf(p, '/etc/web/web.conf')).toContain('configuration file of web-common (built from source package web-src like /usr/sbin/web\'s package web)');
    // Files maintainer scripts made in the package's /etc directory are kept with it (the sites-enabled link and its target).
    expect(p.kept.has('/etc/web/conf.d/extra.conf')).toBe(true);
    expect(p.kept.has('/etc/web/sites-enabled/default')).toBe(true);
    expect(p.kept.has('/etc/web/sites-available/default')).toBe(true);
    expect(reasonsOf(p, '/usr/share/web/html/index.html')).toEqual(["data of web-common (built from source package web-src like /usr/sbin/web's package web): its own directory /usr/share/web"]);
    // Runtime directories: empty, with their own mode and owner (no replacement: the source entry as is).
    expect(reasonsOf(p, '/var/lib/web')[0]).toMatch(/^runtime directory of web-common .*kept empty/);
    expect(p.kept.has('/var/lib/web/body')).toBe(true);
    expect(p.kept.has('/var/log/web')).toBe(true);
    expect(p.kept.has('/var/log/web/old.log')).toBe(false);
    // Documentation, man pages, init scripts and other packages' files stay out.
    for (const dropped of ['/usr/share/doc/web/changelog.gz', '/usr/share/man/man8/web.8.gz', '/etc/init.d/web', '/usr/share/other/big.dat', '/var/lib/dpkg/status']) {
      expect(p.kept.has(dropped), dropped).toBe(false);
    }
    expect(p.startProblems).toEqual([]);
  });

  test('an image without a package database keeps only the closure', async () => {
    const { plan: p } = await plan({
      layers: [layer(baseLayer({ tmp: true })), layer([programEntry('usr/sbin/web', compileC('hello')), { path: 'etc/web/web.conf', content: 'x' }])],
      containerConfig: { Entrypoint: ['/usr/sbin/web'] },
    });
    expect(p.kept.has('/etc/web/web.conf')).toBe(false);
  });
});

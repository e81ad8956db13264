/**
 * Configuration rules: include/load directives with globs and relative names, absolute paths named
 * by kept config files and scripts, accounts named by config files, plugin directories with their
 * package family's policy file, locale, zoneinfo and ldconfig for runtimes.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, test } from 'vitest';
import { repoRoot } from '../helpers/peer-corpus.js';
import { baseLayer, canBuildC, compileC, hostEntry, hostFiles, programEntry } from './_host-images.js';
import { dpkgDatabase } from './_dpkg.js';
import type { EntrySpec } from '../helpers/image-builder.js';
import { layer, planHarness, reasonsOf, replacedText } from './_plan.js';
import { scratch } from './_support.js';

const plan = planHarness('config');
const PASSWD = 'root:x:0:0:root:/root:/bin/sh\nwww-data:x:33:33:www-data:/var/www:/usr/sbin/nologin\nnobody:x:65534:65534::/nonexistent:/usr/sbin/nologin\n';
const GROUP = 'root:x:0:\nwww-data:x:33:\nadm:x:4:www-data\nnogroup:x:65534:\n';

function plugin(name: string): string {
  const dir = scratch('plan/config-plugins');
  mkdirSync(dir, { recursive: true });
  const out = path.join(dir, `${name}.so`);
  execFileSync('gcc', ['-O2', '-fPIC', '-shared', '-o', out, path.join(repoRoot, 'native', 'libgreet.c')]);
  return out;
}

/** The base layer, then accounts (PASSWD, GROUP), the program /usr/sbin/web and `entries`. */
function webWithAccounts(entries: EntrySpec[]) {
  return [
    layer(baseLayer({ tmp: true })),
    layer([{ path: 'etc/passwd', content: PASSWD }, { path: 'etc/group', content: GROUP }, programEntry('usr/sbin/web', compileC('hello')), ...entries]),
  ];
}

describe.skipIf(!canBuildC)('configuration rules', () => {
  test('includes (relative, globs), load_module plugins with their directory and policy, named paths and accounts', async () => {
    const { plan: p } = await plan({
      layers: webWithAccounts([
        { path: 'run', type: 'dir', mode: 0o755 },
        {
          path: 'etc/web/web.conf',
          content: 'user www-data;\npid /run/web.pid;\ninclude modules-enabled/*.conf;\n# include /etc/web/commented.conf;\nhttp { include /etc/web/mime.types; root /srv/site; }\n',
        },
        { path: 'etc/web/modules-enabled/50-mod-a.conf', type: 'symlink', target: '/usr/share/web/modules-available/mod-a.conf' },
        { path: 'usr/share/web/modules-available/mod-a.conf', content: 'load_module /usr/lib/web/modules/mod_a.so;\n' },
        { path: 'usr/share/web/modules-available/mod-b.conf', content: 'load_module /usr/lib/web/modules/mod_b.so;\n' },
        programEntry('usr/lib/web/modules/mod_a.so', plugin('a')),
        programEntry('usr/lib/web/modules/mod_b.so', plugin('b')),
        { path: 'etc/web/mime.types', content: 'text/html html\n' },
        { path: 'etc/web/commented.conf', content: 'x\n' },
        { path: 'etc/web/policy.xml', content: '<policymap/>\n' },
        { path: 'srv/site/index.html', content: '<p>hi</p>\n' },
        { path: 'etc/unrelated.conf', content: 'x\n' },
        ...dpkgDatabase([
          { name: 'libweb-mod', source: 'web', files: ['/usr/lib/web', '/usr/lib/web/modules', '/usr/lib/web/modules/mod_a.so', '/usr/lib/web/modules/mod_b.so'] },
          { name: 'web-policy', source: 'web', files: ['/etc/web/policy.xml'], conffiles: ['/etc/web/policy.xml'] },
        ]),
      ]),
      containerConfig: { Entrypoint: ['/usr/sbin/web'], Cmd: ['-c', '/etc/web/web.conf'] },
    });
    // The file the arguments name, then what it names: a relative glob through a symlink, and the module it loads.
    expect(p.kept.has('/etc/web/web.conf')).toBe(true);
    expect(reasonsOf(p, '/etc/web/modules-enabled/50-mod-a.conf')).toEqual(["named by /etc/web/web.conf ('include modules-enabled/*.conf;')"]);
    expect(p.kept.has('/usr/share/web/modules-available/mod-a.conf')).toBe(true);
    expect(reasonsOf(p, '/usr/lib/web/modules/mod_a.so')).toContain("named by /usr/share/web/modules-available/mod-a.conf ('load_module /usr/lib/web/modules/mod_a.so;')");
    // One plugin kept: its whole directory, and the policy file of its package family.
    expect(reasonsOf(p, '/usr/lib/web/modules/mod_b.so')).toEqual(['plugin directory of /usr/lib/web/modules/mod_a.so (a program that loads one plugin finds the others by listing it)']);
    expect(reasonsOf(p, '/etc/web/policy.xml')[0]).toMatch(/^configuration file of web-policy, the package family of the plugin \/usr\/lib\/web\/modules\/mod_a\.so/);
    // Absolute paths: a file, a document root's tree, a missing pid file's directory alone; comments ignored.
    expect(p.kept.has('/etc/web/mime.types')).toBe(true);
    expect(p.kept.has('/srv/site/index.html')).toBe(true);
    expect(reasonsOf(p, '/run')).toEqual(["directory of /run/web.pid, named by /etc/web/web.conf ('pid /run/web.pid;')"]);
    expect(p.kept.has('/etc/web/commented.conf')).toBe(false);
    expect(p.kept.has('/etc/unrelated.conf')).toBe(false);
    expect(p.kept.has('/usr/share/web/modules-available/mod-b.conf')).toBe(false);
    // The account the config switches to stays in the reduced passwd and group.
    expect(replacedText(p, '/etc/passwd')).toBe('root:x:0:0:root:/root:/bin/sh\nwww-data:x:33:33:www-data:/var/www:/usr/sbin/nologin\n');
    expect(replacedText(p, '/etc/group')).toBe('root:x:0:\nwww-data:x:33:\nadm:x:4:www-data\n');
  });

  test('accounts an entrypoint script switches to or hands files to (gosu, chown, find -user) stay in passwd and group', async () => {
    const script = "#!/bin/sh\nset -e\nfind /srv \\! -user www-data -exec chown www-data:nogroup '{}' +\nexec gosu nobody \"$@\"\n";
    const { plan: p } = await plan({
      layers: webWithAccounts([
        { path: 'entrypoint.sh', content: script, mode: 0o755 },
      ]),
      containerConfig: { Entrypoint: ['/entrypoint.sh'], Cmd: ['/usr/sbin/web'] },
    });
    // Every account of the file is named, so it stays as it is.
    expect(p.replacements.has('/etc/passwd')).toBe(false);
    expect(reasonsOf(p, '/etc/passwd')[0]).toMatch(/^reduced to root, www-data \(named by \/entrypoint\.sh\), nobody \(named by \/entrypoint\.sh\)/);
    expect(p.replacements.has('/etc/group')).toBe(false);
  });

  test('shell defaults: a program named as ${VAR:-/path}, an account through a variable (User ${APACHE_RUN_USER}) set by a sourced file, or its default', async () => {
    const ctl = '#!/bin/sh\n. /etc/web/envvars\nWEB=${WEB_BINARY:-/usr/sbin/web}\nexec $WEB -f /etc/web/web.conf "$@"\n';
    const { plan: p } = await plan({
      layers: webWithAccounts([
        { path: 'usr/sbin/webctl', content: ctl, mode: 0o755 },
        { path: 'etc/web/envvars', content: 'unset HOME\nexport WEB_RUN_USER=www-data\n' },
        { path: 'etc/web/web.conf', content: 'User ${WEB_RUN_USER}\nGroup ${WEB_RUN_GROUP:-nogroup}\n' },
      ]),
      containerConfig: { Entrypoint: ['/usr/sbin/webctl'] },
    });
    expect(reasonsOf(p, '/usr/sbin/web')).toContain("named by /usr/sbin/webctl ('WEB=${WEB_BINARY:-/usr/sbin/web}')");
    expect(replacedText(p, '/etc/passwd')).toBe('root:x:0:0:root:/root:/bin/sh\nwww-data:x:33:33:www-data:/var/www:/usr/sbin/nologin\n');
    // nogroup, the default of ${WEB_RUN_GROUP:-nogroup}, keeps the group file whole (nobody is gone, nothing else names it).
    expect(p.replacements.has('/etc/group')).toBe(false);
    expect(reasonsOf(p, '/etc/passwd')[0]).toMatch(/www-data \(named by \/etc\/web\/web\.conf\)/);
  });

  test("Apache's relative Include and LoadModule names resolve against its ServerRoot", async () => {
    const { plan: p } = await plan({
      layers: [
        layer(baseLayer({ tmp: true })),
        layer([
          programEntry('usr/local/apache2/bin/httpd', compileC('hello')),
          {
            path: 'usr/local/apache2/conf/httpd.conf',
            content: 'ServerRoot "/usr/local/apache2"\nLoadModule a_module modules/mod_a.so\nInclude conf/extra/httpd-default.conf\n',
          },
          { path: 'usr/local/apache2/conf/extra/httpd-default.conf', content: 'Timeout 60\n' },
          programEntry('usr/local/apache2/modules/mod_a.so', plugin('apache-a')),
        ]),
      ],
      containerConfig: { Entrypoint: ['/usr/local/apache2/bin/httpd', '-f', '/usr/local/apache2/conf/httpd.conf'] },
    });
    expect(reasonsOf(p, '/usr/local/apache2/modules/mod_a.so')).toContain("named by /usr/local/apache2/conf/httpd.conf ('LoadModule a_module modules/mod_a.so')");
    expect(p.kept.has('/usr/local/apache2/conf/extra/httpd-default.conf')).toBe(true);
  });

  test("a program that names the zone database (Debian's PHP: /usr/share/zoneinfo/%s) keeps the zoneinfo tree without right/", async () => {
    const { plan: p } = await plan({
      layers: [
        layer(baseLayer({ tmp: true })),
        layer([
          programEntry('usr/local/bin/zonefile', compileC('zonefile')),
          { path: 'usr/share/zoneinfo/Europe/Paris', content: 'TZif-paris' },
          { path: 'usr/share/zoneinfo/UTC', content: 'TZif-utc' },
          { path: 'usr/share/zoneinfo/right/Europe/Paris', content: 'TZif-right' },
        ]),
      ],
      containerConfig: { Entrypoint: ['/usr/local/bin/zonefile', 'Europe/Paris'] },
    });
    expect(reasonsOf(p, '/usr/share/zoneinfo/Europe/Paris')[0]).toBe(
      '/usr/local/bin/zonefile names the time zone database (/usr/share/zoneinfo): it loads named zones from it',
    );
    expect(p.kept.has('/usr/share/zoneinfo/UTC')).toBe(true);
    expect(p.kept.has('/usr/share/zoneinfo/right/Europe/Paris')).toBe(false);
  });

  test('python with LANG=C.UTF-8: the C.utf8 locale, the zoneinfo tree (without right/), ldconfig and ld.so.cache', async () => {
    const { plan: p } = await plan({
      layers: [
        layer(baseLayer({ tmp: true })),
        layer([
          ...hostFiles(['/usr/bin/python3.11']),
          ...hostEntry('/usr/sbin/ldconfig'),
          { path: 'usr/lib/python3.11/os.py', content: '# os\n' },
          { path: 'usr/lib/locale/C.utf8/LC_CTYPE', content: 'ctype' },
          { path: 'usr/lib/locale/de_DE.utf8/LC_CTYPE', content: 'de' },
          { path: 'usr/share/zoneinfo/Europe/Paris', content: 'TZif-paris' },
          { path: 'usr/share/zoneinfo/right/Europe/Paris', content: 'TZif-right' },
          { path: 'etc/ld.so.cache', content: 'glibc-ld.so.cache1.1' },
        ]),
      ],
      containerConfig: { Entrypoint: ['/usr/bin/python3.11'], Cmd: ['-c', 'pass'], Env: ['LANG=C.UTF-8', 'PATH=/usr/bin:/bin'] },
    });
    expect(reasonsOf(p, '/usr/lib/locale/C.utf8/LC_CTYPE')[0]).toMatch(/^locale data for C\.UTF-8 \(set in Env; .* calls setlocale\)$/);
    expect(p.kept.has('/usr/lib/locale/de_DE.utf8/LC_CTYPE')).toBe(false);
    expect(reasonsOf(p, '/usr/share/zoneinfo/Europe/Paris')[0]).toMatch(/^python loads named time zones from it/);
    expect(p.kept.has('/usr/share/zoneinfo/right/Europe/Paris')).toBe(false);
    expect(reasonsOf(p, '/usr/sbin/ldconfig')[0]).toMatch(/^ctypes\.util\.find_library runs \/sbin\/ldconfig -p/);
    expect(p.kept.has('/etc/ld.so.cache')).toBe(true);
  });
});

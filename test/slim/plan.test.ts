/**
 * The keep plan on images built in code: closures and the symlinks on their way, accounts, --keep,
 * name services and CA certificates. Real ELF files from this machine and gcc builds.
 */
import { describe, expect, test } from 'vitest';
import type { ImageSpec } from '../helpers/image-builder.js';
import { GROUP, baseLayer, canBuildC, compileC, hostEntry, hostFiles, programEntry } from './_host-images.js';
import { compile, kept, layer, planHarness, reasonsOf, replacedText, risks } from './_plan.js';

const plan = planHarness('closures');

describe.skipIf(!canBuildC)('keep plan', () => {
  test('the closure keeps every symlink the loader follows, the files and their parents; the rest is dropped', async () => {
    const { plan: p } = await plan({
      layers: [layer(baseLayer()), layer([programEntry('app/hello', compileC('hello'))])],
      containerConfig: { Entrypoint: ['/app/hello'], Cmd: ['x'] },
    });
    expect(kept(p)).toEqual([
      '/app',
      '/app/hello',
      '/etc',
      '/etc/group',
      '/etc/passwd',
      '/lib',
      '/lib64',
      '/usr',
      '/usr/lib',
      '/usr/lib/x86_64-linux-gnu',
      '/usr/lib/x86_64-linux-gnu/ld-linux-x86-64.so.2',
      '/usr/lib/x86_64-linux-gnu/libc.so.6',
      '/usr/lib64',
      '/usr/lib64/ld-linux-x86-64.so.2',
    ]);
    expect(reasonsOf(p, '/app/hello')).toEqual(["entrypoint: argv[0] '/app/hello'"]);
    expect(reasonsOf(p, '/lib64')).toEqual(['interpreter of /app/hello']);
    expect(reasonsOf(p, '/usr/lib64/ld-linux-x86-64.so.2')).toEqual(['interpreter of /app/hello']);
    expect(reasonsOf(p, '/usr/lib/x86_64-linux-gnu/libc.so.6')).toEqual([
      'libc.so.6 NEEDED by /app/hello, found via default-path /lib/x86_64-linux-gnu',
    ]);
    expect(reasonsOf(p, '/usr')).toEqual(['parent directory of kept paths']);
    // A hello world needs no NSS: nsswitch.conf, hosts and the CA bundle go.
    expect(p.kept.has('/etc/nsswitch.conf')).toBe(false);
    expect(p.kept.has('/etc/ssl/certs/ca-certificates.crt')).toBe(false);
    expect(p.replacements.get('/tmp')).toMatchObject({ kind: 'entry', entry: { type: 'directory', mode: 0o1777, uid: 0, gid: 0 } });
  });

  test('/etc/passwd and /etc/group: reduced to root, the User and its groups; --keep keeps them whole', async () => {
    const spec: ImageSpec = {
      layers: [layer(baseLayer({ tmp: true })), layer([programEntry('app/hello', compileC('hello'))])],
      containerConfig: { Entrypoint: ['/app/hello'], User: 'app' },
    };
    const { plan: p } = await plan(spec);
    expect(replacedText(p, '/etc/passwd')).toBe('root:x:0:0:root:/root:/bin/sh\napp:x:1000:1000:app:/app:/bin/sh\n');
    expect(replacedText(p, '/etc/group')).toBe('root:x:0:\nstaff:x:50:app\napp:x:1000:\n');
    expect(risks(p)).toContain(
      "/etc/passwd: reduced to root and the User app (2 of 4 entries): a program that switches to an account no kept config names needs --keep /etc/passwd",
    );
    expect(p.replacements.has('/tmp')).toBe(false); // the source's /tmp is already 1777
    const whole = await plan(spec, { keep: ['/etc/passwd'] });
    expect(whole.plan.replacements.has('/etc/passwd')).toBe(false);
    // --keep /etc/passwd keeps /etc/group whole too (docs/decisions/slim.md).
    expect(whole.plan.replacements.has('/etc/group')).toBe(false);
    expect(reasonsOf(whole.plan, '/etc/group')).toEqual(["the runtime sets the User's groups from it (kept whole: --keep names /etc/passwd)"]);
    expect(GROUP).toContain('daemon');
  });

  test('--keep: paths through symlinked directories, globs, ** and subtrees; a pattern matching nothing is a risk', async () => {
    const { plan: p } = await plan(
      {
        layers: [
          layer([
            ...baseLayer(),
            ...hostFiles(['/usr/lib/x86_64-linux-gnu/libnss_systemd.so.2']),
            { path: 'srv/www/index.html', content: '<p>hi</p>' },
            { path: 'srv/www/css/site.css', content: 'p{}' },
            { path: 'srv/other.txt', content: 'x' },
          ]),
          layer([programEntry('app/hello', compileC('hello'))]),
        ],
        containerConfig: { Entrypoint: ['/app/hello'] },
      },
      { keep: ['/lib/x86_64-linux-gnu/libnss_[fs]*', '/srv/www', '/usr/share/**/changelog', 'etc/hosts', '/no/such/*.conf'] },
    );
    expect(kept(p)).toEqual(expect.arrayContaining(['/usr/lib/x86_64-linux-gnu/libnss_files.so.2', '/usr/lib/x86_64-linux-gnu/libnss_systemd.so.2']));
    expect(reasonsOf(p, '/usr/lib/x86_64-linux-gnu/libnss_systemd.so.2')).toEqual(['--keep /lib/x86_64-linux-gnu/libnss_[fs]*']);
    // libnss_systemd's own closure came with it (libcap is one of its NEEDED libraries).
    expect(reasonsOf(p, '/usr/lib/x86_64-linux-gnu/libcap.so.2.66')).toEqual(
      expect.arrayContaining([expect.stringMatching(/^libcap\.so\.2 NEEDED by \/usr\/lib\/x86_64-linux-gnu\/libnss_systemd\.so\.2, found via default-path/)]),
    );
    expect(kept(p)).toEqual(expect.arrayContaining(['/srv/www', '/srv/www/css', '/srv/www/css/site.css', '/srv/www/index.html', '/usr/share/doc/junk/changelog', '/etc/hosts']));
    expect(p.kept.has('/srv/other.txt')).toBe(false);
    expect(reasonsOf(p, '/lib')).toContain('--keep /lib/x86_64-linux-gnu/libnss_[fs]*');
    expect(risks(p)).toContain('-: --keep /no/such/*.conf: nothing in the image matches it');
  }, 60_000);

  test('NSS: modules named in nsswitch.conf are kept with their closures (files and dns are built into glibc 2.36)', async () => {
    const { plan: p } = await plan({
      layers: [
        layer([
          ...baseLayer(),
          ...hostEntry('/usr/lib/x86_64-linux-gnu/libnss_systemd.so.2'),
          ...hostFiles(['/usr/lib/x86_64-linux-gnu/libnss_systemd.so.2']),
          { path: 'etc/nsswitch.conf', content: '# comment\npasswd: files [SUCCESS=merge] systemd\ngroup: files\nhosts: files dns\n' },
        ]),
        layer([programEntry('app/nss', compileC('nss'))]),
      ],
      containerConfig: { Entrypoint: ['/app/nss'] },
    });
    expect(reasonsOf(p, '/etc/nsswitch.conf')).toEqual([
      "glibc's NSS reads it: /app/nss calls getpwnam (passwd)",
      "glibc's NSS reads it: /app/nss calls getaddrinfo (hosts)",
      "glibc's NSS reads it: /app/nss calls getaddrinfo (services)",
    ]);
    expect(reasonsOf(p, '/usr/lib/x86_64-linux-gnu/libnss_systemd.so.2')).toEqual([
      "libnss_systemd.so.2: NSS module for 'passwd' in /etc/nsswitch.conf (/app/nss calls getpwnam), found via default-path /lib/x86_64-linux-gnu",
    ]);
    expect(p.kept.has('/usr/lib/x86_64-linux-gnu/libcap.so.2.66')).toBe(true);
    expect(reasonsOf(p, '/etc/hosts')).toEqual(["NSS 'files' source for hosts: /app/nss calls getaddrinfo (hosts)"]);
    expect(p.kept.has('/usr/lib/x86_64-linux-gnu/libnss_files.so.2')).toBe(false);
    expect(p.kept.has('/usr/lib/x86_64-linux-gnu/libnss_dns.so.2')).toBe(false);
  }, 60_000);

  test('CA certificates and OpenSSL configuration when libssl is in the closure', async () => {
    const program = compile('tls-user', '#include <openssl/ssl.h>\nint main(void) { return OPENSSL_init_ssl(0, NULL) ? 0 : 1; }\n', ['-lssl', '-lcrypto']);
    const { plan: p } = await plan({
      layers: [
        layer([...baseLayer(), ...hostFiles([program]).filter((entry) => !entry.path.startsWith('tmp/')), { path: 'etc/ssl/openssl.cnf', content: '# cnf\n' }, { path: 'usr/lib/ssl/openssl.cnf', type: 'symlink', target: '/etc/ssl/openssl.cnf' }]),
        layer([programEntry('app/tls', program)]),
      ],
      containerConfig: { Entrypoint: ['/app/tls'], Env: ['PATH=/usr/bin:/bin', 'SSL_CERT_DIR=/etc/ssl/certs'] },
    });
    const why = 'CA certificates: libssl.so.3 is NEEDED by /app/tls';
    expect(reasonsOf(p, '/etc/ssl/certs/ca-certificates.crt')).toContain(why);
    // libcrypto names its OPENSSLDIR's cert.pem too (plan-compiled).
    expect(reasonsOf(p, '/usr/lib/ssl/cert.pem')).toEqual(['path compiled into /usr/lib/x86_64-linux-gnu/libcrypto.so.3', why]);
    expect(reasonsOf(p, '/etc/ssl/openssl.cnf')[0]).toMatch(/^OpenSSL reads its configuration at start-up/);
    expect(reasonsOf(p, '/etc/ssl/certs/ca-certificates.crt')).toContain('SSL_CERT_DIR in Env (libssl.so.3 is NEEDED by /app/tls)');
  }, 60_000);
});

/**
 * The keep plan on images built in code: what is kept, with which reasons, what is rewritten or
 * created, and which risks are reported. Real ELF files from this machine and gcc builds.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { inspectImage, type ImageAnalysis } from '../../src/analysis/index.js';
import { planKeep, type KeepPlan, type PlanOptions } from '../../src/slim/index.js';
import type { EntrySpec, ImageSpec } from '../helpers/image-builder.js';
import { baseLayer, canBuildC, compileC, GROUP, hostEntry, hostFiles, MERGED_USR, programEntry, writeImageFile } from './_host-images.js';
import { scratch } from './_support.js';

const opened: ImageAnalysis[] = [];
let dir = '';
let counter = 0;

beforeAll(() => {
  dir = scratch('plan');
});
afterAll(async () => {
  for (const analysis of opened) await analysis.image.close();
});

async function plan(spec: ImageSpec, options: PlanOptions = {}): Promise<{ plan: KeepPlan; analysis: ImageAnalysis }> {
  const file = await writeImageFile('oci-archive', path.join(dir, `image-${counter++}.tar`), spec);
  const analysis = await inspectImage(file);
  opened.push(analysis);
  return { plan: planKeep(analysis, options), analysis };
}

const layer = (entries: EntrySpec[]) => ({ entries });
const kept = (p: KeepPlan) => [...p.kept.keys()].sort();
const reasonsOf = (p: KeepPlan, file: string) => p.kept.get(file) ?? [];
const risks = (p: KeepPlan) => p.risks.map((risk) => `${risk.path ?? '-'}: ${risk.message}`);

function compile(name: string, source: string, flags: string[] = []): string {
  const out = path.join('/tmp/slim/programs', name);
  mkdirSync(path.dirname(out), { recursive: true });
  writeFileSync(`${out}.c`, source);
  execFileSync('gcc', ['-O2', '-o', out, `${out}.c`, ...flags], { stdio: 'pipe' });
  return out;
}

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
    const passwd = p.replacements.get('/etc/passwd');
    const group = p.replacements.get('/etc/group');
    expect(passwd?.kind === 'content' && Buffer.from(passwd.content).toString()).toBe('root:x:0:0:root:/root:/bin/sh\napp:x:1000:1000:app:/app:/bin/sh\n');
    expect(group?.kind === 'content' && Buffer.from(group.content).toString()).toBe('root:x:0:\nstaff:x:50:app\napp:x:1000:\n');
    expect(risks(p)).toContain(
      "/etc/passwd: reduced to root and the User app (2 of 4 entries): a program that switches to another account (e.g. a daemon's 'user' setting) needs --keep /etc/passwd",
    );
    expect(p.replacements.has('/tmp')).toBe(false); // the source's /tmp is already 1777
    const whole = await plan(spec, { keep: ['/etc/passwd', '/etc/group'] });
    expect(whole.plan.replacements.has('/etc/passwd')).toBe(false);
    expect(reasonsOf(whole.plan, '/etc/group')).toContain('--keep /etc/group');
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
    expect(reasonsOf(p, '/usr/lib/ssl/cert.pem')).toEqual([why]);
    expect(reasonsOf(p, '/etc/ssl/openssl.cnf')[0]).toMatch(/^OpenSSL reads its configuration at start-up/);
    expect(reasonsOf(p, '/etc/ssl/certs/ca-certificates.crt')).toContain('SSL_CERT_DIR in Env (libssl.so.3 is NEEDED by /app/tls)');
  }, 60_000);

  test('libgcc_s.so.1 for pthread_exit; .note.dlopen libraries kept, missing ones and dlopen calls are risks', async () => {
    const threads = compile('pthread-exit', '#include <pthread.h>\nint main(void) { pthread_exit(0); }\n', ['-pthread']);
    const notes = compile(
      'dlopen-notes',
      '#include <dlfcn.h>\n__asm__(".pushsection .note.dlopen,\\"a\\",@note\\n.balign 4\\n.long 4\\n.long 2f-1f\\n.long 0x407c0c0a\\n.asciz \\"FDO\\"\\n"\n' +
        '"1: .asciz \\"[{\\\\\\"soname\\\\\\":[\\\\\\"libidn2.so.0\\\\\\",\\\\\\"libidn.so.12\\\\\\"]}]\\"\\n2: .balign 4\\n.popsection\\n");\n' +
        'int main(int argc, char **argv) { return dlopen(argv[0], RTLD_NOW) == 0; }\n',
    );
    const { plan: p } = await plan({
      layers: [
        layer([...baseLayer(), ...hostFiles(['/usr/lib/x86_64-linux-gnu/libgcc_s.so.1', '/usr/lib/x86_64-linux-gnu/libidn2.so.0'])]),
        layer([programEntry('app/threads', threads), programEntry('app/notes', notes)]),
      ],
      containerConfig: { Entrypoint: ['/app/threads'] },
    }, { keep: ['/app/notes'] });
    expect(reasonsOf(p, '/usr/lib/x86_64-linux-gnu/libgcc_s.so.1')).toEqual([
      'libgcc_s.so.1: glibc dlopens it to unwind threads (/app/threads imports pthread_exit)',
    ]);
    expect(reasonsOf(p, '/usr/lib/x86_64-linux-gnu/libidn2.so.0.3.8')).toEqual([
      'libidn2.so.0 named in .note.dlopen of /app/notes (loaded with dlopen), found via default-path /lib/x86_64-linux-gnu',
    ]);
    expect(risks(p)).toEqual(
      expect.arrayContaining([
        '/app/notes: names libidn.so.12 in .note.dlopen (loaded with dlopen at run time), but it is not in the source image',
        '/app/notes: calls dlopen: libraries it loads at run time are invisible to static analysis; name them with --keep',
      ]),
    );
  }, 60_000);

  test('LD_PRELOAD and /etc/ld.so.preload, locale data for LANG, and a risk for iconv', async () => {
    const program = compile('locale-user', '#include <iconv.h>\n#include <locale.h>\nint main(void) { setlocale(LC_ALL, \"\"); return iconv_open(\"UTF-8\", \"LATIN1\") == (iconv_t)-1; }\n');
    const { plan: p } = await plan({
      layers: [
        layer([
          ...baseLayer(),
          { path: 'etc/ld.so.preload', content: '/usr/lib/x86_64-linux-gnu/libm.so.6\n' },
          { path: 'usr/lib/locale/de_DE.utf8/LC_CTYPE', content: 'ctype' },
          { path: 'usr/lib/locale/fr_FR.utf8/LC_CTYPE', content: 'ctype' },
        ]),
        layer([programEntry('app/locale', program)]),
      ],
      containerConfig: { Entrypoint: ['/app/locale'], Env: ['PATH=/usr/bin:/bin', 'LANG=de_DE.UTF-8', 'LC_NUMERIC=C', 'LD_PRELOAD=libm.so.6'] },
    });
    expect(reasonsOf(p, '/usr/lib/x86_64-linux-gnu/libm.so.6')).toEqual(['libm.so.6: LD_PRELOAD in Env loads it into every program']);
    expect(reasonsOf(p, '/etc/ld.so.preload')).toEqual(['glibc loads the libraries it lists into every program']);
    expect(reasonsOf(p, '/usr/lib/locale/de_DE.utf8/LC_CTYPE')).toEqual(['locale data for de_DE.UTF-8 (set in Env; /app/locale calls setlocale)']);
    expect(p.kept.has('/usr/lib/locale/fr_FR.utf8/LC_CTYPE')).toBe(false);
    expect(risks(p)).toEqual(
      expect.arrayContaining([
        '/etc/ld.so.preload: lists libraries glibc loads into every program; imgslim does not read it: name them with --keep',
        expect.stringMatching(/^\/app\/locale: calls iconv_open: glibc loads gconv modules/),
      ]),
    );
  });

  test('entrypoint arguments that name files, WorkingDir, VOLUME content and Healthcheck', async () => {
    const { plan: p } = await plan({
      layers: [
        layer([...baseLayer(), { path: 'etc/app/config.yaml', content: 'a: 1\n' }, { path: 'data/seed.db', content: 'seed' }, { path: 'app/notes.txt', content: 'n' }]),
        layer([programEntry('app/hello', compileC('hello'))]),
      ],
      containerConfig: {
        Entrypoint: ['/app/hello', '--config=/etc/app/config.yaml', 'notes.txt', 'world'],
        WorkingDir: '/app',
        Volumes: { '/data': {} },
        Healthcheck: { Test: ['CMD', '/usr/bin/curl', '-f', 'http://localhost/'] },
      },
    });
    expect(reasonsOf(p, '/etc/app/config.yaml')).toEqual(["named by the entrypoint argument '--config=/etc/app/config.yaml'"]);
    expect(reasonsOf(p, '/app/notes.txt')).toEqual(["named by the entrypoint argument 'notes.txt'"]);
    expect(reasonsOf(p, '/app')).toEqual(['WorkingDir of the config']);
    expect(reasonsOf(p, '/data')).toEqual(['VOLUME /data (mount point)']);
    expect(risks(p)).toEqual(
      expect.arrayContaining([
        "/data: VOLUME /data: 1 entries below it are dropped; Docker copies an image's content into a new volume, so name them with --keep if the program expects them",
        "-: the config's Healthcheck (/usr/bin/curl -f http://localhost/) is not carried over: its programs are not part of the entrypoint's needs",
      ]),
    );
  });

  test('shell form: every simple command is kept; --entrypoint replaces Entrypoint and clears Cmd', async () => {
    const spec: ImageSpec = {
      layers: [layer(baseLayer()), layer([programEntry('app/hello', compileC('hello')), programEntry('app/other', compileC('hello'))])],
      containerConfig: { Cmd: ['/bin/sh', '-c', 'X=1 exec /app/hello a && cat /etc/hosts | /app/other'] },
    };
    const shell = await plan(spec);
    expect(reasonsOf(shell.plan, '/usr/bin/dash')).toEqual(["entrypoint: argv[0] '/bin/sh'"]);
    expect(reasonsOf(shell.plan, '/usr/bin/sh')).toEqual(["entrypoint: argv[0] '/bin/sh'"]);
    expect(reasonsOf(shell.plan, '/app/hello')).toEqual(["program of the shell-form command 'X=1 exec /app/hello a && cat /etc/hosts | /app/other'", "program '/app/hello' of the shell-form command 'X=1 exec /app/hello a && cat /etc/hosts | /app/other'"]);
    expect(shell.plan.kept.has('/app/other')).toBe(true);
    expect(shell.plan.kept.has('/usr/bin/cat')).toBe(true);
    expect(shell.plan.risks.map((risk) => risk.path)).toEqual(['/etc/passwd']);
    const replaced = await plan(spec, { entrypoint: ['/app/other', 'x'] });
    expect([replaced.plan.entrypoint, replaced.plan.cmd]).toEqual([['/app/other', 'x'], null]);
    expect(replaced.plan.kept.has('/usr/bin/dash')).toBe(false);
    expect(replaced.plan.resolved?.binary).toBe('/app/other');
  });

  test('wrappers: the command env, tini or gosu runs is resolved through PATH like an entrypoint', async () => {
    const hello = compileC('hello');
    const spec = (entrypoint: string[]): ImageSpec => ({
      layers: [
        layer([
          ...baseLayer(),
          programEntry('usr/bin/gosu', hello),
          programEntry('usr/local/bin/server', hello),
          programEntry('usr/bin/perl', hello),
          { path: 'usr/share/perl/5.36.0/strict.pm', content: '1;' },
        ]),
      ],
      containerConfig: { Entrypoint: entrypoint, Cmd: null, Env: ['PATH=/usr/local/bin:/usr/bin:/bin'] },
    });
    const viaEnv = await plan(spec(['/usr/bin/env', '-i', 'FOO=1', 'perl', '-e', '1']));
    expect(reasonsOf(viaEnv.plan, '/usr/bin/perl')).toEqual(["command 'perl -e 1' that env runs"]);
    expect(reasonsOf(viaEnv.plan, '/usr/share/perl/5.36.0/strict.pm')).toEqual(['perl standard library (the entrypoint runs /usr/bin/perl)']);
    const viaGosu = await plan(spec(['gosu', 'app', 'server', '--port', '80']));
    expect(reasonsOf(viaGosu.plan, '/usr/local/bin/server')).toEqual(["command 'server --port 80' that gosu runs"]);
    expect(viaGosu.plan.kept.has('/usr/bin/perl')).toBe(false);
    const missing = await plan(spec(['gosu', 'app', 'nowhere']));
    expect(risks(missing.plan)).toContain("/usr/bin/gosu: gosu runs 'nowhere', which is not in the image either");
  });

  test('language runtimes: perl library directories and a JVM home are kept, with a risk', async () => {
    const hello = compileC('hello');
    const { plan: perl } = await plan({
      layers: [
        layer([
          ...baseLayer(),
          programEntry('usr/bin/perl', hello),
          { path: 'usr/share/perl/5.36.0/strict.pm', content: '1;' },
          { path: 'usr/share/perl/5.36', type: 'symlink', target: '5.36.0' },
          { path: 'usr/lib/x86_64-linux-gnu/perl-base/POSIX.pm', content: '1;' },
          { path: 'usr/share/perl5/Other.pm', content: '1;' },
          { path: 'usr/share/doc/perl/README', content: 'docs' },
        ]),
      ],
      containerConfig: { Entrypoint: ['perl', '-e', 'print 1'] },
    });
    expect(reasonsOf(perl, '/usr/share/perl/5.36.0/strict.pm')).toEqual(['perl standard library (the entrypoint runs /usr/bin/perl)']);
    expect(kept(perl)).toEqual(expect.arrayContaining(['/usr/share/perl/5.36', '/usr/lib/x86_64-linux-gnu/perl-base/POSIX.pm', '/usr/share/perl5/Other.pm']));
    expect(perl.kept.has('/usr/share/doc/perl/README')).toBe(false);
    expect(risks(perl)[0]).toMatch(/^\/usr\/bin\/perl: perl runtime: its standard library is kept/);

    const home = 'usr/lib/jvm/java-17-openjdk-amd64';
    const { plan: java } = await plan({
      layers: [
        layer([
          ...MERGED_USR,
          ...baseLayer().filter((entry) => !MERGED_USR.includes(entry)),
          programEntry(`${home}/bin/java`, hello),
          { path: `${home}/lib/jvm.cfg`, content: '-server KNOWN\n' },
          { path: `${home}/lib/modules`, content: 'jimage' },
          { path: `${home}/conf`, type: 'symlink', target: '/etc/java-17-openjdk' },
          { path: 'etc/java-17-openjdk/security/java.security', content: 'x=1\n' },
          { path: 'usr/bin/java', type: 'symlink', target: `/${home}/bin/java` },
        ]),
      ],
      containerConfig: { Entrypoint: ['java', '-jar', '/app.jar'] },
    });
    expect(kept(java)).toEqual(expect.arrayContaining([`/${home}/lib/modules`, `/${home}/conf`, '/etc/java-17-openjdk/security/java.security', '/usr/bin/java']));
    expect(reasonsOf(java, '/etc/java-17-openjdk/security/java.security')).toEqual([
      `target of /${home}/conf (java standard library (the entrypoint runs /${home}/bin/java))`,
    ]);
  });
});

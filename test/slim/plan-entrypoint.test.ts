/**
 * The keep plan for what the entrypoint starts and names: arguments naming files, WorkingDir,
 * VOLUME, shell form, --entrypoint, wrappers and language runtimes.
 */
import { describe, expect, test } from 'vitest';
import type { ImageSpec } from '../helpers/image-builder.js';
import { MERGED_USR, baseLayer, canBuildC, compileC, hostFiles, programEntry } from './_host-images.js';
import { kept, layer, planHarness, reasonsOf, risks } from './_plan.js';

const plan = planHarness('entrypoint');

describe.skipIf(!canBuildC)('keep plan', () => {
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
    expect(risks(perl)[0]).toMatch(/^\/usr\/bin\/perl: perl runtime: its standard library, the script's own directory and the WorkingDir are kept/);

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

  test('an entrypoint script that ends in exec "$@" runs the CMD; the programs it names are kept from PATH', async () => {
    const entrypointScript = [
      '#!/bin/sh',
      'set -e',
      'if [ "${1#-}" != "$1" ]; then',
      '  set -- srv "$@"',
      'fi',
      'if [ "$1" = srv ] && [ "$(id -u)" = 0 ]; then',
      "  find /data -exec cat '{}' +",
      'fi',
      'exec "$@"',
    ].join('\n');
    const spec = (cmd: string[]): ImageSpec => ({
      layers: [
        layer(baseLayer({ tmp: true })),
        layer([
          ...hostFiles(['/usr/bin/find', '/usr/bin/id']),
          programEntry('usr/local/bin/srv', compileC('hello')),
          programEntry('usr/local/bin/other', compileC('hello')),
          { path: 'usr/local/bin/docker-entrypoint.sh', mode: 0o755, content: `${entrypointScript}\n` },
        ]),
      ],
      containerConfig: { Entrypoint: ['docker-entrypoint.sh'], Cmd: cmd, Env: ['PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin'] },
    });
    const { plan: p } = await plan(spec(['srv', '--port', '80']));
    expect(reasonsOf(p, '/usr/local/bin/srv')).toEqual(['command \'srv --port 80\' that docker-entrypoint.sh runs ("$@")']);
    expect(reasonsOf(p, '/usr/bin/id')).toEqual(['run by name by the shell script /usr/local/bin/docker-entrypoint.sh (found in PATH as /usr/bin/id)']);
    expect(p.kept.has('/usr/bin/find')).toBe(true);
    expect(p.kept.has('/usr/bin/cat')).toBe(true);
    expect(p.kept.has('/usr/local/bin/other')).toBe(false);
    // An option as the first argument: the script's `set -- srv "$@"` puts the program first.
    const { plan: withOption } = await plan(spec(['--port', '80']));
    expect(reasonsOf(withOption, '/usr/local/bin/srv')[0]).toBe('command \'srv --port 80\' that docker-entrypoint.sh runs ("$@")');
    // Behind an init: tini -- docker-entrypoint.sh srv.
    const behindInit = spec(['srv']);
    behindInit.layers[1]!.entries.push(programEntry('usr/bin/tini', compileC('hello')));
    behindInit.containerConfig = { ...behindInit.containerConfig, Entrypoint: ['tini', '--', 'docker-entrypoint.sh'] };
    const { plan: tini } = await plan(behindInit);
    expect(reasonsOf(tini, '/usr/local/bin/srv')).toEqual(['command \'srv\' that docker-entrypoint.sh runs ("$@")']);
  });
});

/**
 * Programs that run programs: /bin/sh for system()/popen()/exec*, the interpreter of every kept
 * script however it was kept, and a kept runtime program's library (--keep /usr/bin/perl).
 */
import { describe, expect, test } from 'vitest';
import { baseLayer, canBuildC, compileC, hostFiles, programEntry } from './_host-images.js';
import { compile, layer, planHarness, reasonsOf, risks } from './_plan.js';

const plan = planHarness('shell');
const SYSTEM_C = '#include <stdlib.h>\nint main(void) { return system("echo hi") == 0 ? 0 : 1; }\n';
const PERL_TREE = [
  { path: 'usr/share/perl/5.36/strict.pm', content: 'package strict; 1;\n' },
  { path: 'usr/lib/x86_64-linux-gnu/perl/5.36/Config.pm', content: 'package Config; 1;\n' },
  { path: 'etc/perl/sitecustomize.pl', content: '1;\n' },
];

describe.skipIf(!canBuildC)('shell and interpreters', () => {
  test('a program importing system keeps /bin/sh and its closure; one that does not keeps no shell', async () => {
    const { plan: p } = await plan({
      layers: [layer(baseLayer({ tmp: true })), layer([programEntry('app/run', compile('system', SYSTEM_C))])],
      containerConfig: { Entrypoint: ['/app/run'], Cmd: null },
    });
    expect(reasonsOf(p, '/usr/bin/sh')).toEqual(['/bin/sh: /app/run imports system, which run /bin/sh -c']);
    expect(p.kept.has('/usr/bin/dash')).toBe(true);
    const hello = await plan({
      layers: [layer(baseLayer({ tmp: true })), layer([programEntry('app/hello', compileC('hello'))])],
      containerConfig: { Entrypoint: ['/app/hello'], Cmd: null },
    });
    expect(hello.plan.kept.has('/usr/bin/dash')).toBe(false);
  });

  test('a #!/usr/bin/perl script kept with --keep keeps perl and its library; --keep /usr/bin/perl keeps the library', async () => {
    const spec = {
      layers: [
        layer(baseLayer({ tmp: true })),
        layer([
          ...hostFiles(['/usr/bin/perl']),
          ...PERL_TREE,
          programEntry('app/hello', compileC('hello')),
          { path: 'app/tool.pl', content: '#!/usr/bin/perl -w\nuse strict;\nprint "ok\\n";\n', mode: 0o755 },
          { path: 'app/env.pl', content: '#!/usr/bin/env perl\nprint "ok\\n";\n', mode: 0o755 },
        ]),
      ],
      containerConfig: { Entrypoint: ['/app/hello'], Cmd: null },
    };
    const script = await plan(spec, { keep: ['/app/tool.pl'] });
    expect(reasonsOf(script.plan, '/usr/bin/perl')).toEqual(["'#!/usr/bin/perl -w' interpreter of /app/tool.pl"]);
    expect(reasonsOf(script.plan, '/usr/share/perl/5.36/strict.pm')).toEqual(["perl standard library (/usr/bin/perl interprets /app/tool.pl; its @INC is not Debian's layout, so all of it is kept)"]);
    expect(script.plan.kept.has('/usr/lib/x86_64-linux-gnu/perl/5.36/Config.pm')).toBe(true);
    expect([...script.plan.kept.keys()].some((file) => file.startsWith('/usr/lib/x86_64-linux-gnu/libcrypt.so.1'))).toBe(true);
    const viaEnv = await plan(spec, { keep: ['/app/env.pl'] });
    expect(reasonsOf(viaEnv.plan, '/usr/bin/perl')).toEqual(["'#!/usr/bin/env perl' interpreter of /app/env.pl (env runs perl from PATH)"]);
    expect(viaEnv.plan.kept.has('/etc/perl/sitecustomize.pl')).toBe(true);
    const program = await plan(spec, { keep: ['/usr/bin/perl'] });
    expect(reasonsOf(program.plan, '/usr/share/perl/5.36/strict.pm')).toEqual(['perl standard library (/usr/bin/perl is kept (--keep /usr/bin/perl))']);
  });

  test('a kept script whose interpreter is missing is a risk; non-executable scripts are data', async () => {
    const { plan: p } = await plan(
      {
        layers: [
          layer(baseLayer({ tmp: true })),
          layer([
            programEntry('app/hello', compileC('hello')),
            { path: 'app/tool.rb', content: '#!/usr/bin/ruby\nputs 1\n', mode: 0o755 },
            { path: 'app/lib.py', content: '#! /usr/local/bin/python\n', mode: 0o644 },
          ]),
        ],
        containerConfig: { Entrypoint: ['/app/hello'] },
      },
      { keep: ['/app'] },
    );
    expect(risks(p)).toContain("/app/tool.rb: its interpreter /usr/bin/ruby ('#!/usr/bin/ruby') is not in the image");
    expect(risks(p).some((risk) => risk.startsWith('/app/lib.py'))).toBe(false);
  });

  test('an inert template (hooks/*.sample, *.example) is data: neither its interpreter nor the paths it names are kept', async () => {
    const { plan: p } = await plan(
      {
        layers: [
          layer(baseLayer({ tmp: true })),
          layer([
            ...hostFiles(['/usr/bin/perl']),
            programEntry('app/hello', compileC('hello')),
            { path: 'app/templates/hooks/pre-rebase.sample', content: '#!/bin/sh\n/usr/bin/perl -e 1\n', mode: 0o755 },
            { path: 'app/templates/watch.example', content: '#!/usr/bin/perl\nuse strict;\n', mode: 0o755 },
          ]),
        ],
        containerConfig: { Entrypoint: ['/app/hello'] },
      },
      { keep: ['/app/templates'] },
    );
    expect(p.kept.has('/app/templates/hooks/pre-rebase.sample')).toBe(true);
    expect(p.kept.has('/usr/bin/perl')).toBe(false);
    expect(risks(p)).toEqual(expect.not.arrayContaining([expect.stringContaining('.sample')]));
  });
});

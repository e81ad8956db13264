/**
 * What kept ELF files name in their read-only data: absolute paths that exist (files with their
 * closures, directories as their entry alone, never kernel trees, shadow files or what libc names),
 * and programs run by name found in PATH, each with its reason, followed to a fixed point.
 */
import { describe, expect, test } from 'vitest';
import { baseLayer, canBuildC, compileC, hostFiles, programEntry } from './_host-images.js';
import { compile, layer, planHarness, reasonsOf } from './_plan.js';

const plan = planHarness('compiled');

const APP_C = `#include <stdio.h>
#include <unistd.h>
int main(int argc, char **argv) {
  const char *files[] = { "/etc/app/app.conf", "/usr/share/app/", "/etc/shadow", "/proc/self/status", "/etc/app/missing.conf", "/var/log/app/%s.log" };
  for (int i = 0; i < 6; i++) { FILE *f = fopen(files[i], "r"); if (f) fclose(f); }
  if (argc > 1) execlp("helper", "helper", (char *)0);
  return 0;
}
`;
const HELPER_C = '#include <stdio.h>\nint main(void) { FILE *f = fopen("/etc/helper.conf", "r"); if (f) fclose(f); return 0; }\n';
const NO_EXEC_C = '#include <stdio.h>\nint main(void) { puts("helper"); puts("/etc/app/app.conf"); return 0; }\n';

describe.skipIf(!canBuildC)('compiled references', () => {
  const files = [
    { path: 'etc/app/app.conf', content: 'x = 1\n' },
    { path: 'etc/helper.conf', content: 'y = 2\n' },
    { path: 'usr/share/app/big.dat', content: Buffer.alloc(100_000, 1) },
    { path: 'var/log/app/', type: 'dir' as const },
    { path: 'etc/shadow', content: 'root:*:19000:0:99999:7:::\n', mode: 0o640 },
  ];

  test('a program keeps the paths compiled into it that exist, and the programs it runs by name from PATH', async () => {
    const { plan: p } = await plan({
      layers: [
        layer(baseLayer({ tmp: true })),
        layer([...files, programEntry('app/run', compile('compiled-app', APP_C)), programEntry('usr/bin/helper', compile('compiled-helper', HELPER_C)), programEntry('usr/bin/unused', compileC('hello'))]),
      ],
      containerConfig: { Entrypoint: ['/app/run'], Cmd: null },
    });
    expect(reasonsOf(p, '/etc/app/app.conf')).toEqual(['path compiled into /app/run']);
    expect(reasonsOf(p, '/usr/share/app')).toEqual(['path compiled into /app/run (the directory alone)']);
    expect(p.kept.has('/usr/share/app/big.dat')).toBe(false);
    expect(reasonsOf(p, '/var/log/app')).toEqual(['path compiled into /app/run (the directory alone)']);
    expect(p.kept.has('/etc/shadow')).toBe(false);
    expect(reasonsOf(p, '/usr/bin/helper')).toEqual(['run by name by /app/run (found in PATH as /usr/bin/helper)']);
    // What the helper names in turn, and its closure.
    expect(reasonsOf(p, '/etc/helper.conf')).toEqual(['path compiled into /usr/bin/helper']);
    expect(p.kept.has('/usr/bin/unused')).toBe(false);
    // The C library's own strings are left to the rules that model them.
    const compiledInto = [...p.kept.values()].flat().filter((reason) => /^path compiled into \/usr\/lib/.test(reason));
    expect(compiledInto).toEqual([]);
  });

  test('a program that cannot run programs by name keeps no program for a word in its strings', async () => {
    const { plan: p } = await plan({
      layers: [layer(baseLayer({ tmp: true })), layer([...files, programEntry('app/run', compile('compiled-noexec', NO_EXEC_C)), programEntry('usr/bin/helper', compile('compiled-helper', HELPER_C))])],
      containerConfig: { Entrypoint: ['/app/run'], Cmd: null },
    });
    expect(p.kept.has('/usr/bin/helper')).toBe(false);
    expect(reasonsOf(p, '/etc/app/app.conf')).toEqual(['path compiled into /app/run']);
  });

  test('PATH comes from the config Env', async () => {
    const { plan: p } = await plan({
      layers: [layer(baseLayer({ tmp: true })), layer([programEntry('app/run', compile('compiled-app', APP_C)), programEntry('opt/tools/helper', compile('compiled-helper', HELPER_C)), programEntry('usr/bin/helper', compile('compiled-helper', HELPER_C))])],
      containerConfig: { Entrypoint: ['/app/run'], Cmd: null, Env: ['PATH=/opt/tools:/usr/bin'] },
    });
    expect(reasonsOf(p, '/opt/tools/helper')).toEqual(['run by name by /app/run (found in PATH as /opt/tools/helper)']);
    expect(p.kept.has('/usr/bin/helper')).toBe(false);
  });

  test('a kept package tool keeps the database it reads (dpkg-query in an entrypoint script)', async () => {
    const { plan: p } = await plan({
      layers: [
        layer(baseLayer({ tmp: true })),
        layer([
          ...hostFiles(['/usr/bin/dpkg-query']),
          { path: 'var/lib/dpkg/status', content: 'Package: nginx\nStatus: install ok installed\nVersion: 1\n\n' },
          { path: 'var/lib/dpkg/info/nginx.list', content: '/usr/sbin/nginx\n' },
          { path: 'entrypoint.sh', content: "#!/bin/sh\ndpkg-query --show --showformat='${Version}' nginx\n", mode: 0o755 },
        ]),
      ],
      containerConfig: { Entrypoint: ['/entrypoint.sh'], Cmd: null },
    });
    expect(reasonsOf(p, '/var/lib/dpkg/status')).toEqual(['the package database /usr/bin/dpkg-query reads']);
    expect(p.kept.has('/var/lib/dpkg/info/nginx.list')).toBe(false);
  });
});

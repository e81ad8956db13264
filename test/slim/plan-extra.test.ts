/**
 * Extra paths (what `slim --probe` saw in use): kept as a process reaches them, with the symlinks on
 * the way and ELF closures; a directory keeps only itself; lookups that fail keep nothing.
 */
import { describe, expect, test } from 'vitest';
import { baseLayer, canBuildC, compileC, programEntry } from './_host-images.js';
import { kept, layer, planHarness, reasonsOf } from './_plan.js';

const plan = planHarness('extra');
const PROBE = "used by probe 'sh -c hello'";

describe.skipIf(!canBuildC)('extra paths', () => {
  test('symlink chains, ELF closures, directories alone; missing paths keep nothing', async () => {
    const { plan: p } = await plan(
      {
        layers: [layer(baseLayer()), layer([programEntry('app/hello', compileC('hello')), { path: 'app/data/a.txt', content: 'a' }])],
        containerConfig: { Entrypoint: ['/app/hello'], Cmd: null },
      },
      {
        extraPaths: [
          { path: '/bin/sh', reason: PROBE },
          { path: '/app/data', reason: PROBE },
          { path: '/usr/lib/ssl/cert.pem', reason: PROBE, followLast: false },
          { path: '/lib/x86_64-linux-gnu/tls/libc.so.6', reason: PROBE },
          { path: '/bin/missing', reason: PROBE },
        ],
      },
    );
    // /bin → usr/bin, then usr/bin/sh → dash: both links and dash, with dash's closure.
    expect(reasonsOf(p, '/bin')).toEqual([PROBE]);
    expect(reasonsOf(p, '/usr/bin/sh')).toEqual([PROBE]);
    expect(reasonsOf(p, '/usr/bin/dash')).toEqual([PROBE]);
    expect(reasonsOf(p, '/usr/lib/x86_64-linux-gnu/libc.so.6')).toContain('libc.so.6 NEEDED by /usr/bin/dash, found via default-path /lib/x86_64-linux-gnu');
    // A directory that was listed or stat'ed is kept alone, not its tree.
    expect(reasonsOf(p, '/app/data')).toEqual([PROBE]);
    expect(p.kept.has('/app/data/a.txt')).toBe(false);
    // lstat/readlink: the link, not its target.
    expect(reasonsOf(p, '/usr/lib/ssl/cert.pem')).toEqual([PROBE]);
    expect(p.kept.has('/etc/ssl/certs/ca-certificates.crt')).toBe(false);
    // A failed lookup (a search path) keeps nothing, not even the /lib link it went through for it.
    expect(kept(p).filter((path) => path.includes('missing') || path.includes('/tls'))).toEqual([]);
  });

  test('an image with no Entrypoint can be slimmed to what probes used', async () => {
    const { plan: p } = await plan(
      { layers: [layer(baseLayer())], containerConfig: { Entrypoint: null, Cmd: null } },
      { extraPaths: [{ path: '/usr/bin/env', reason: PROBE }] },
    );
    expect(reasonsOf(p, '/usr/bin/env')).toEqual([PROBE]);
    // env imports execvp: /bin/sh stays for it (execvp runs a script without '#!' through /bin/sh).
    expect(reasonsOf(p, '/lib64')).toEqual(['interpreter of /usr/bin/env', 'interpreter of /usr/bin/dash']);
  });
});

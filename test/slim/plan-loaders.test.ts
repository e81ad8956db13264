/**
 * The keep plan for what loaders and libc load at run time without a DT_NEEDED: libgcc_s,
 * .note.dlopen, LD_PRELOAD, /etc/ld.so.preload, locale data; and the risks for what stays unseen.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, test } from 'vitest';
import { repoRoot } from '../helpers/peer-corpus.js';
import { baseLayer, canBuildC, hostFiles, programEntry } from './_host-images.js';
import { hasTool, scratch } from './_support.js';
import { compile, layer, planHarness, reasonsOf, risks } from './_plan.js';

const plan = planHarness('loaders');

describe.skipIf(!canBuildC)('keep plan', () => {
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
        // The risk names what would cover it: a probe of the entrypoint's command line, or the --keep.
        expect.stringMatching(/^\/app\/notes: calls dlopen: libraries it loads at run time are invisible to static analysis; cover them with --probe '\/app\/threads[^']*', or --keep each library or its directory \(e\.g\. --keep \/app\)$/),
      ]),
    );
  }, 60_000);

  test('LD_PRELOAD and /etc/ld.so.preload, locale data for LANG, and a risk for iconv', async () => {
    const program = compile('locale-user', '#include <iconv.h>\n#include <locale.h>\nint main(void) { setlocale(LC_ALL, \"\"); return iconv_open(\"UTF-8\", \"LATIN1\") == (iconv_t)-1; }\n');
    const { plan: p } = await plan({
      layers: [
        layer([
          ...baseLayer(),
          { path: 'etc/ld.so.preload', content: '/usr/lib/x86_64-linux-gnu/libm.so.6 libmissing.so.1\n' },
          { path: 'usr/lib/locale/de_DE.utf8/LC_CTYPE', content: 'ctype' },
          { path: 'usr/lib/locale/fr_FR.utf8/LC_CTYPE', content: 'ctype' },
        ]),
        layer([programEntry('app/locale', program)]),
      ],
      containerConfig: { Entrypoint: ['/app/locale'], Env: ['PATH=/usr/bin:/bin', 'LANG=de_DE.UTF-8', 'LC_NUMERIC=C', 'LD_PRELOAD=libm.so.6'] },
    });
    expect(reasonsOf(p, '/usr/lib/x86_64-linux-gnu/libm.so.6')).toEqual([
      'libm.so.6: LD_PRELOAD in Env loads it into every program',
      '/usr/lib/x86_64-linux-gnu/libm.so.6: /etc/ld.so.preload loads it into every program',
    ]);
    expect(reasonsOf(p, '/etc/ld.so.preload')).toEqual(['glibc loads the libraries it lists into every program']);
    expect(reasonsOf(p, '/usr/lib/locale/de_DE.utf8/LC_CTYPE')).toEqual(['locale data for de_DE.UTF-8 (set in Env; /app/locale calls setlocale)']);
    expect(p.kept.has('/usr/lib/locale/fr_FR.utf8/LC_CTYPE')).toBe(false);
    expect(risks(p)).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^\/app\/locale: calls iconv_open: glibc loads gconv modules/),
        '/etc/ld.so.preload: lists libmissing.so.1, which is not in the source image either',
      ]),
    );
  });

  test.skipIf(!hasTool('ldconfig'))('/etc/ld.so.cache is kept when a kept library was found through it, ld.so.conf is not', async () => {
    const root = scratch('plan/ldcache-root');
    mkdirSync(path.join(root, 'etc'), { recursive: true });
    mkdirSync(path.join(root, 'opt/lib'), { recursive: true });
    writeFileSync(path.join(root, 'etc/ld.so.conf'), '/opt/lib\n');
    const lib = path.join(root, 'opt/lib/libgreet.so');
    execFileSync('gcc', ['-O2', '-fPIC', '-shared', '-Wl,-soname,libgreet.so', '-o', lib, path.join(repoRoot, 'native', 'libgreet.c')]);
    const greet = path.join(root, 'greet');
    execFileSync('gcc', ['-O2', '-o', greet, path.join(repoRoot, 'native', 'greet.c'), `-L${path.dirname(lib)}`, '-lgreet']);
    execFileSync('ldconfig', ['-r', root, '-X']);
    const { plan: p } = await plan({
      layers: [
        layer([
          ...baseLayer(),
          { path: 'etc/ld.so.conf', content: '/opt/lib\n' },
          { path: 'etc/ld.so.cache', content: readFileSync(path.join(root, 'etc/ld.so.cache')) },
          programEntry('opt/lib/libgreet.so', lib),
        ]),
        layer([programEntry('app/greet', greet)]),
      ],
      containerConfig: { Entrypoint: ['/app/greet'], Cmd: ['x'] },
    });
    expect(reasonsOf(p, '/opt/lib/libgreet.so')).toEqual(['libgreet.so NEEDED by /app/greet, found via ld.so.cache /etc/ld.so.cache']);
    expect(reasonsOf(p, '/etc/ld.so.cache')).toEqual(['ld.so finds libgreet.so (NEEDED by /app/greet) through it']);
    expect(p.kept.has('/etc/ld.so.conf')).toBe(false);
  });
});

/**
 * glibc's ld.so as the oracle: for each program, resolveClosure over the root must load the
 * same files, in the same order, found the same way, as the real loader did under chroot.
 */
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { parseElf } from '../../../src/elf/parse.js';
import { createDirLookup, detectImageLibc, resolveClosure, staleLdSoCache, type ResolutionResult } from '../../../src/elf/resolve/index.js';
import { peerCorpus } from '../../helpers/peer-corpus.js';
import { canChroot, compile, glibcBase, orFlags1, hasGcc, hasLdconfig, ldconfig, link, put, removeDir, scratchDir, traceGlibc, write, type TracedLoad } from './_real-root.js';

const LIB = 'int b(void); int a(void) { return b() + 1; }';
const LIBB = 'int b(void) { return 1; }';
const MAIN_A = 'int a(void); int main(void) { return a() == 2 ? 0 : 1; }';
const GREET = 'int greet(void) { return 42; }';
const MAIN_GREET = 'int greet(void); int main(void) { return greet() == 42 ? 0 : 1; }';
const DF_1_NODEFLIB = 0x800;
const RPATH = "-Wl,--disable-new-dtags,-rpath,$ORIGIN/../lib";
const RUNPATH = "-Wl,--enable-new-dtags,-rpath,$ORIGIN/../lib";

/** What resolveClosure loaded: name → path for every new object and every failure, in order. */
function loadedByUs(result: ResolutionResult): Array<{ name: string; path: string | null }> {
  return result.deps.filter((d) => !['interpreter', 'vdso', 'already-loaded', 'musl-builtin'].includes(d.via)).map((d) => ({ name: d.name, path: d.path }));
}

function expectSameLoad(ours: ResolutionResult, real: TracedLoad) {
  expect(loadedByUs(ours)).toEqual(real.loaded.filter((entry) => entry.name !== 'linux-vdso.so.1'));
  for (const dep of ours.deps) if (dep.path && real.via.has(dep.name) && dep.via !== 'already-loaded' && dep.via !== 'interpreter') expect(`${dep.name} ${dep.via}`).toBe(`${dep.name} ${real.via.get(dep.name)}`);
}

describe.skipIf(!canChroot || !hasGcc)('glibc ld.so agrees (chroot, LD_TRACE_LOADED_OBJECTS + LD_DEBUG=libs)', () => {
  let build: string;
  let root: string;
  const resolveIn = (dir: string, program: string, env: string[] = []) => {
    const lookup = createDirLookup(dir, parseElf);
    const found = lookup.resolve(program)!;
    return resolveClosure(program, lookup.elf(found.path)!, lookup, { env, workingDir: '/' });
  };

  beforeAll(() => {
    build = scratchDir('glibc-build');
    root = scratchDir('glibc-root');
    const out = (name: string) => path.join(build, name);
    compile('gcc', LIBB, out('libb.so.1'), ['-shared', '-fPIC', '-Wl,-soname,libb.so.1']);
    compile('gcc', LIB, out('liba.so.1'), ['-shared', '-fPIC', '-Wl,-soname,liba.so.1', `-L${build}`, '-l:libb.so.1']);
    compile('gcc', GREET, out('libgreet.so.1'), ['-shared', '-fPIC', '-Wl,-soname,libgreet.so.1']);
    const withA = [`-L${build}`, '-l:liba.so.1', `-Wl,-rpath-link,${build}`];
    compile('gcc', MAIN_A, out('prog-rpath'), [...withA, RPATH]);
    compile('gcc', MAIN_A, out('prog-runpath'), [...withA, RUNPATH]);
    compile('gcc', MAIN_GREET, out('prog-greet'), [`-L${build}`, '-l:libgreet.so.1']);
    // DF_1_NODEFLIB applies to the object whose needs are searched (set by hand: GNU ld ignores -z nodeflib).
    compile('gcc', 'int greet(void); int nd(void) { return greet(); }', out('libnd.so.1'), ['-shared', '-fPIC', '-Wl,-soname,libnd.so.1', '-Wl,-z,now', `-L${build}`, '-l:libgreet.so.1']);
    orFlags1(out('libnd.so.1'), DF_1_NODEFLIB);
    compile('gcc', 'int nd(void); int main(void) { return nd() == 42 ? 0 : 1; }', out('prog-nodeflib'), [`-L${build}`, '-l:libnd.so.1', `-Wl,-rpath-link,${build}`, RPATH]);
    compile('gcc', MAIN_GREET, out('prog-wrongclass'), [`-L${build}`, '-l:libgreet.so.1', '-Wl,--disable-new-dtags,-rpath,/opt/i386:/opt/arm64:/opt/greet']);

    glibcBase(root);
    for (const name of ['prog-rpath', 'prog-runpath', 'prog-greet', 'prog-nodeflib', 'prog-wrongclass']) put(root, `/app/bin/${name}`, out(name));
    put(root, '/app/lib/liba.so.1', out('liba.so.1'));
    put(root, '/app/lib/libb.so.1', out('libb.so.1'));
    put(root, '/app/lib/libnd.so.1', out('libnd.so.1'));
    put(root, '/opt/llp/libgreet.so.1', out('libgreet.so.1'));
    put(root, '/usr/lib/x86_64-linux-gnu/libgreet.so.1', out('libgreet.so.1'));
    put(root, '/opt/greet/libgreet.so.1', out('libgreet.so.1'));
    link(root, '/usr/bin/app', '/app/bin/prog-rpath');
  });
  afterAll(() => {
    removeDir(build);
    removeDir(root);
  });

  test('DT_RPATH with $ORIGIN, inherited by the library the program loads', () => {
    const real = traceGlibc(root, '/app/bin/prog-rpath');
    expect(real.loaded.map((e) => e.path)).toEqual(['/app/bin/../lib/liba.so.1', '/lib/x86_64-linux-gnu/libc.so.6', '/app/bin/../lib/libb.so.1']);
    const ours = resolveIn(root, '/app/bin/prog-rpath');
    expect(ours.problems).toEqual([]);
    expect(ours.deps.map((d) => `${d.name} ${d.via} ${d.path}`)).toEqual([
      '/lib64/ld-linux-x86-64.so.2 interpreter /lib/x86_64-linux-gnu/ld-linux-x86-64.so.2',
      'liba.so.1 rpath /app/lib/liba.so.1',
      'libc.so.6 default-path /lib/x86_64-linux-gnu/libc.so.6',
      'libb.so.1 rpath /app/lib/libb.so.1',
      'ld-linux-x86-64.so.2 already-loaded /lib/x86_64-linux-gnu/ld-linux-x86-64.so.2',
    ]);
    expectSameLoad(withRealPaths(ours, real), real);
  });

  test('$ORIGIN of a symlinked program is its real directory (/proc/self/exe)', () => {
    const real = traceGlibc(root, '/usr/bin/app');
    const ours = resolveIn(root, '/usr/bin/app');
    expect(ours.problems).toEqual([]);
    expectSameLoad(withRealPaths(ours, real), real);
  });

  test('DT_RUNPATH is not inherited: the library’s own dependency is not found', () => {
    const real = traceGlibc(root, '/app/bin/prog-runpath');
    expect(real.loaded.find((e) => e.name === 'libb.so.1')).toEqual({ name: 'libb.so.1', path: null });
    const ours = resolveIn(root, '/app/bin/prog-runpath');
    expectSameLoad(withRealPaths(ours, real), real);
    expect(ours.problems).toEqual([expect.stringMatching(/^libb\.so\.1 not found \(needed by \/app\/lib\/liba\.so\.1\); searched /)]);
  });

  test('LD_LIBRARY_PATH from the image Env comes before the default directories', () => {
    const env = ['LD_LIBRARY_PATH=/opt/llp'];
    const real = traceGlibc(root, '/app/bin/prog-greet', env);
    const ours = resolveIn(root, '/app/bin/prog-greet', env);
    expect(ours.deps[1]).toMatchObject({ name: 'libgreet.so.1', via: 'ld-library-path', path: '/opt/llp/libgreet.so.1' });
    expectSameLoad(ours, real);
    const plain = resolveIn(root, '/app/bin/prog-greet');
    expect(plain.deps[1]).toMatchObject({ via: 'default-path', path: '/usr/lib/x86_64-linux-gnu/libgreet.so.1' });
    expectSameLoad(plain, traceGlibc(root, '/app/bin/prog-greet'));
  });

  test('DF_1_NODEFLIB on the requesting library: the default directories are not searched for its needs', () => {
    const real = traceGlibc(root, '/app/bin/prog-nodeflib');
    expect(real.loaded.find((e) => e.name === 'libgreet.so.1')).toEqual({ name: 'libgreet.so.1', path: null });
    const ours = resolveIn(root, '/app/bin/prog-nodeflib');
    expect(ours.deps.find((d) => d.name === 'libgreet.so.1')).toMatchObject({ via: 'not-found', neededBy: '/app/lib/libnd.so.1' });
    expectSameLoad(withRealPaths(ours, real), real);
  });

  test.skipIf(!peerCorpus('pyelftools'))('candidates of another class or machine are skipped; only those left is a class error', () => {
    const corpus = peerCorpus('pyelftools')!;
    put(root, '/opt/i386/libgreet.so.1', path.join(corpus, 'libelf0_8_13_32bit.so.elf'));
    put(root, '/opt/arm64/libgreet.so.1', path.join(corpus, 'aarch64-pac-bti.so.elf'));
    const real = traceGlibc(root, '/app/bin/prog-wrongclass');
    expect(real.run.stderr).toContain('trying file=/opt/i386/libgreet.so.1');
    const ours = resolveIn(root, '/app/bin/prog-wrongclass');
    expect(ours.deps[1]).toMatchObject({ via: 'rpath', path: '/opt/greet/libgreet.so.1', viaDetail: '/opt/greet' });
    expectSameLoad(ours, real);
  });
});

describe.skipIf(!canChroot || !hasGcc || !hasLdconfig)('glibc ld.so agrees on /etc/ld.so.cache built by ldconfig', () => {
  let build: string;
  let root: string;

  beforeAll(() => {
    build = scratchDir('cache-build');
    root = scratchDir('cache-root');
    const out = (name: string) => path.join(build, name);
    compile('gcc', GREET, out('libconf.so.1'), ['-shared', '-fPIC', '-Wl,-soname,libconf.so.1']);
    compile('gcc', GREET.replace('greet', 'stale'), out('libstale.so.1'), ['-shared', '-fPIC', '-Wl,-soname,libstale.so.1']);
    compile('gcc', 'int greet(void); int main(void) { return greet() == 42 ? 0 : 1; }', out('prog-conf'), [`-L${build}`, '-l:libconf.so.1']);
    compile('gcc', 'int stale(void); int main(void) { return stale() == 42 ? 0 : 1; }', out('prog-stale'), [`-L${build}`, '-l:libstale.so.1']);
    compile('gcc', 'int sys(void) { return 1; }', out('libsys.so.1'), ['-shared', '-fPIC', '-Wl,-soname,libsys.so.1']);
    compile('gcc', 'int greet(void); int sys(void); int nd(void) { return greet() + sys(); }', out('libnd.so.1'), [
      '-shared', '-fPIC', '-Wl,-soname,libnd.so.1', '-Wl,-z,now', `-L${build}`, '-l:libconf.so.1', '-l:libsys.so.1',
    ]);
    orFlags1(out('libnd.so.1'), DF_1_NODEFLIB);
    compile('gcc', 'int nd(void); int main(void) { return nd() == 43 ? 0 : 1; }', out('prog-nodeflib'), [`-L${build}`, '-l:libnd.so.1', `-Wl,-rpath-link,${build}`, '-Wl,--disable-new-dtags,-rpath,$ORIGIN']);
    glibcBase(root);
    put(root, '/app/prog-conf', out('prog-conf'));
    put(root, '/app/prog-stale', out('prog-stale'));
    put(root, '/app/prog-nodeflib', out('prog-nodeflib'));
    put(root, '/app/libnd.so.1', out('libnd.so.1'));
    put(root, '/usr/lib/x86_64-linux-gnu/libsys.so.1', out('libsys.so.1'));
    put(root, '/opt/conf/lib/libconf.so.1', out('libconf.so.1'));
    // A relative include is taken from /etc (the including file's directory), as ldconfig does.
    write(root, '/etc/ld.so.conf', '# test\ninclude ld.so.conf.d/*.conf\n');
    write(root, '/etc/ld.so.conf.d/opt.conf', '/opt/conf/lib/\n');
    ldconfig(root);
    put(root, '/opt/conf/lib/libstale.so.1', out('libstale.so.1')); // installed after ldconfig ran
  });
  afterAll(() => {
    removeDir(build);
    removeDir(root);
  });
  const resolveIn = (program: string) => {
    const lookup = createDirLookup(root, parseElf);
    return { lookup, result: resolveClosure(program, lookup.elf(program)!, lookup, { env: [] }) };
  };

  test('a library found only through ld.so.conf.d + ldconfig comes from the cache', () => {
    const real = traceGlibc(root, '/app/prog-conf');
    expect(real.via.get('libconf.so.1')).toBe('ld.so.cache');
    const { result } = resolveIn('/app/prog-conf');
    expect(result.deps[1]).toMatchObject({ name: 'libconf.so.1', via: 'ld.so.cache', viaDetail: '/etc/ld.so.cache', path: '/opt/conf/lib/libconf.so.1' });
    expectSameLoad(result, real);
  });

  test('a library installed after ldconfig is not found: the cache is stale, and we say so', () => {
    const real = traceGlibc(root, '/app/prog-stale');
    expect(real.loaded[0]).toEqual({ name: 'libstale.so.1', path: null });
    const { lookup, result } = resolveIn('/app/prog-stale');
    expectSameLoad(result, real);
    expect(result.problems[0]).toMatch(/^libstale\.so\.1 not found \(needed by \/app\/prog-stale\); searched .*; \/opt\/conf\/lib\/libstale\.so\.1 exists and \/etc\/ld\.so\.conf\.d\/opt\.conf lists \/opt\/conf\/lib, but \/etc\/ld\.so\.cache does not have it: the cache is stale/);
    expect(staleLdSoCache(lookup)).toEqual([
      '/etc/ld.so.cache is stale: /opt/conf/lib (listed in /etc/ld.so.conf.d/opt.conf) has libstale.so.1, which the cache lacks (run ldconfig in the image build)',
    ]);
  });

  test('DF_1_NODEFLIB keeps cache entries outside the system directories and drops those inside', () => {
    const real = traceGlibc(root, '/app/prog-nodeflib');
    const { result } = resolveIn('/app/prog-nodeflib');
    expect(result.deps.find((d) => d.name === 'libconf.so.1')).toMatchObject({ via: 'ld.so.cache', path: '/opt/conf/lib/libconf.so.1' });
    expect(result.deps.find((d) => d.name === 'libsys.so.1')).toMatchObject({ via: 'not-found' });
    expectSameLoad(result, real);
  });

  test('detectImageLibc finds the loader, the libc it loads and the highest GLIBC_ version', () => {
    const lookup = createDirLookup(root, parseElf);
    const hostVersion = /(\d+\.\d+)$/.exec(execFileSync('ldd', ['--version'], { encoding: 'utf8' }).split('\n')[0]!.trim())?.[1];
    expect(detectImageLibc(lookup, 62)).toEqual({
      glibc: { loader: '/lib64/ld-linux-x86-64.so.2', libc: '/lib/x86_64-linux-gnu/libc.so.6', maxVersion: `GLIBC_${hostVersion}` },
      musl: null,
    });
  });
});

/**
 * ld.so prints the path it opened, `..` and all (`/app/bin/../lib/liba.so.1`); our deps carry
 * the resolved path. Map ours onto the real spelling through the chain's first element.
 */
function withRealPaths(ours: ResolutionResult, real: TracedLoad): ResolutionResult {
  const spelled = new Map(real.loaded.filter((e) => e.path).map((e) => [e.name, e.path!]));
  return {
    ...ours,
    deps: ours.deps.map((dep) => {
      const printed = spelled.get(dep.name);
      return printed && dep.viaDetail && printed === `${dep.viaDetail}/${dep.name}` ? { ...dep, path: printed } : dep;
    }),
  };
}

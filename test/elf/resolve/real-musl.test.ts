/**
 * musl's loader as the oracle (`ld-musl-x86_64.so.1 --list`, musl's ldd, and running the
 * programs): resolveClosure over the root must find the same files in the same order.
 */
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { parseElf } from '../../../src/elf/parse.js';
import { createDirLookup, resolveClosure, type ResolutionResult } from '../../../src/elf/resolve/index.js';
import { canChroot, compile, hasMusl, link, muslBase, put, removeDir, runInRoot, scratchDir, traceMusl, write, type TracedLoad } from './_real-root.js';

const LDSO = '/lib/ld-musl-x86_64.so.1';

function ours(result: ResolutionResult): Array<{ name: string; path: string | null }> {
  return result.deps.filter((d) => ['rpath', 'runpath', 'ld-library-path', 'musl-path', 'default-path', 'path', 'not-found'].includes(d.via)).map((d) => ({ name: d.name, path: d.path }));
}

function real(trace: TracedLoad): Array<{ name: string; path: string | null }> {
  const missing = [...trace.run.stderr.matchAll(/Error loading shared library (\S+): No such file or directory/g)].map((m) => ({ name: m[1]!, path: null }));
  return [...trace.loaded.filter((entry) => entry.path !== LDSO).map((e) => ({ name: e.name, path: path.posix.normalize(e.path!) })), ...missing];
}

describe.skipIf(!canChroot || !hasMusl)('musl’s loader agrees (chroot, ld-musl --list)', () => {
  let build: string;
  let root: string;
  const out = (name: string) => path.join(build, name);
  const resolveIn = (dir: string, program: string, env: string[] = []) => {
    const lookup = createDirLookup(dir, parseElf);
    return resolveClosure(program, lookup.elf(lookup.resolve(program)!.path)!, lookup, { env, workingDir: '/' });
  };

  beforeAll(() => {
    build = scratchDir('musl-build');
    root = scratchDir('musl-root');
    compile('musl-gcc', 'int b(void) { return 1; }', out('libb.so'), ['-shared', '-fPIC', '-Wl,-soname,libb.so']);
    compile('musl-gcc', 'int b(void); int a(void) { return b() + 1; }', out('liba.so'), ['-shared', '-fPIC', '-Wl,-soname,liba.so', `-L${build}`, '-lb']);
    compile('musl-gcc', 'int greet(void) { return 42; }', out('libgreet.so'), ['-shared', '-fPIC', '-Wl,-soname,libgreet.so']);
    const main = '#include <stdio.h>\nint a(void); int main(void) { printf("%d\\n", a()); return a() == 2 ? 0 : 1; }';
    compile('musl-gcc', main, out('prog-runpath'), [`-L${build}`, '-la', `-Wl,-rpath-link,${build}`, '-Wl,--enable-new-dtags,-rpath,$ORIGIN/../lib']);
    const greet = 'int greet(void); int main(void) { return greet() == 42 ? 0 : 1; }';
    compile('musl-gcc', greet, out('prog-greet'), [`-L${build}`, '-lgreet']);
    compile('musl-gcc', greet, out('prog-curly'), [`-L${build}`, '-lgreet', '-Wl,-rpath,${ORIGIN}/../lib']);
    compile('musl-gcc', greet, out('prog-dollar'), [`-L${build}`, '-lgreet', '-Wl,-rpath,/x/$LIB:${ORIGIN}/../lib']);
    muslBase(root);
    put(root, '/app/bin/prog-curly', out('prog-curly'));
    put(root, '/app/bin/prog-dollar', out('prog-dollar'));
    put(root, '/app/lib/libgreet.so', out('libgreet.so'));
    put(root, '/app/bin/prog-runpath', out('prog-runpath'));
    put(root, '/app/bin/prog-greet', out('prog-greet'));
    put(root, '/app/lib/liba.so', out('liba.so'));
    put(root, '/app/lib/libb.so', out('libb.so'));
    link(root, '/usr/bin/app', '/app/bin/prog-runpath');
  });
  afterAll(() => {
    removeDir(build);
    removeDir(root);
  });

  test('libc.so is the loader itself; RUNPATH is inherited by the library the program loads (unlike glibc)', () => {
    const trace = traceMusl(root, '/app/bin/prog-runpath');
    expect(trace.loaded).toContainEqual({ name: 'libc.so', path: LDSO });
    const result = resolveIn(root, '/app/bin/prog-runpath');
    expect(result.problems).toEqual([]);
    expect(result.deps[0]).toMatchObject({ name: LDSO, via: 'interpreter', path: LDSO });
    const builtins = result.deps.filter((d) => d.via === 'musl-builtin');
    expect(builtins.length).toBeGreaterThan(0);
    expect(builtins.every((d) => d.name === 'libc.so' && d.path === LDSO)).toBe(true);
    expect(ours(result).map((d) => `${d.name} ${d.path}`)).toEqual(['liba.so /app/lib/liba.so', 'libb.so /app/lib/libb.so']);
    expect(result.deps.find((d) => d.name === 'libb.so')).toMatchObject({ via: 'runpath', neededBy: '/app/lib/liba.so', depth: 2 });
    expect(ours(result)).toEqual(real(trace));
    expect(runInRoot(root, ['/app/bin/prog-runpath']).stdout).toBe('2\n');
  });

  test('$ORIGIN of a symlinked program comes from /proc/self/exe: it runs through the link', () => {
    const result = resolveIn(root, '/usr/bin/app');
    expect(result.problems).toEqual([]);
    expect(runInRoot(root, ['/usr/bin/app']).status).toBe(0);
  });

  test('${ORIGIN} expands; any other $ token makes musl drop the whole path', () => {
    const curly = resolveIn(root, '/app/bin/prog-curly');
    expect(curly.deps[1]).toMatchObject({ name: 'libgreet.so', via: 'runpath', path: '/app/lib/libgreet.so' });
    expect(ours(curly)).toEqual(real(traceMusl(root, '/app/bin/prog-curly')));
    const dollar = resolveIn(root, '/app/bin/prog-dollar');
    expect(dollar.deps[1]).toMatchObject({ name: 'libgreet.so', via: 'not-found' });
    expect(ours(dollar)).toEqual(real(traceMusl(root, '/app/bin/prog-dollar')));
  });

  test('the default path /lib:/usr/local/lib:/usr/lib, then /etc/ld-musl-x86_64.path replacing it, and LD_LIBRARY_PATH first', () => {
    const dir = scratchDir('musl-paths');
    try {
      muslBase(dir);
      put(dir, '/app/prog-greet', out('prog-greet'));
      put(dir, '/usr/local/lib/libgreet.so', out('libgreet.so'));
      put(dir, '/opt/musl/libgreet.so', out('libgreet.so'));
      put(dir, '/opt/llp/libgreet.so', out('libgreet.so'));
      const defaults = resolveIn(dir, '/app/prog-greet');
      expect(defaults.deps[1]).toMatchObject({ via: 'default-path', path: '/usr/local/lib/libgreet.so' });
      expect(ours(defaults)).toEqual(real(traceMusl(dir, '/app/prog-greet')));

      const env = ['LD_LIBRARY_PATH=/opt/llp'];
      const llp = resolveIn(dir, '/app/prog-greet', env);
      expect(llp.deps[1]).toMatchObject({ via: 'ld-library-path', path: '/opt/llp/libgreet.so' });
      expect(ours(llp)).toEqual(real(traceMusl(dir, '/app/prog-greet', env)));

      write(dir, '/etc/ld-musl-x86_64.path', '/opt/musl\n/lib\n');
      const pathFile = resolveIn(dir, '/app/prog-greet');
      expect(pathFile.deps[1]).toMatchObject({ via: 'musl-path', path: '/opt/musl/libgreet.so' });
      expect(ours(pathFile)).toEqual(real(traceMusl(dir, '/app/prog-greet')));

    } finally {
      removeDir(dir);
    }
  });

  test('a library missing from every path is reported by both', () => {
    const dir = scratchDir('musl-missing');
    try {
      muslBase(dir);
      put(dir, '/app/prog-greet', out('prog-greet'));
      const result = resolveIn(dir, '/app/prog-greet');
      expect(result.problems).toEqual(['libgreet.so not found (needed by /app/prog-greet); searched musl default path /lib:/usr/local/lib:/usr/lib']);
      const trace = traceMusl(dir, '/app/prog-greet');
      expect(ours(result)).toEqual(real(trace));
      expect(runInRoot(dir, ['/app/prog-greet']).status).not.toBe(0);
    } finally {
      removeDir(dir);
    }
  });
});

/**
 * Cross-check with pax-utils lddtree where its rules agree with ld.so, and pin down where it
 * deviates (it inherits the program's RUNPATH, reads ld.so.conf instead of the cache, doubles
 * the --root prefix under $ORIGIN); in each deviation the real loader sides with us.
 */
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { parseElf } from '../../../src/elf/parse.js';
import { createDirLookup, resolveClosure } from '../../../src/elf/resolve/index.js';
import { canChroot, compile, glibcBase, hasGcc, hasLddtree, lddtree, put, removeDir, scratchDir, traceGlibc, write } from './_real-root.js';

describe.skipIf(!canChroot || !hasGcc || !hasLddtree)('lddtree cross-check', () => {
  let build: string;
  let root: string;
  const out = (name: string) => path.join(build, name);
  const ours = (program: string) => {
    const lookup = createDirLookup(root, parseElf);
    const result = resolveClosure(program, lookup.elf(program)!, lookup, { env: [] });
    const byName = new Map<string, string | null>();
    for (const dep of result.deps) if (dep.via !== 'interpreter' && dep.via !== 'already-loaded' && !byName.has(dep.name)) byName.set(dep.name, dep.path);
    return { result, byName };
  };
  const loader = (program: string) => new Map(traceGlibc(root, program).loaded.map((e) => [e.name, e.path && path.posix.normalize(e.path)]));

  beforeAll(() => {
    build = scratchDir('lddtree-build');
    root = scratchDir('lddtree-root');
    compile('gcc', 'int b(void) { return 1; }', out('libb.so.1'), ['-shared', '-fPIC', '-Wl,-soname,libb.so.1']);
    compile('gcc', 'int b(void); int a(void) { return b() + 1; }', out('liba.so.1'), ['-shared', '-fPIC', '-Wl,-soname,liba.so.1', `-L${build}`, '-l:libb.so.1']);
    compile('gcc', 'int c(void) { return 1; }', out('libconf.so.1'), ['-shared', '-fPIC', '-Wl,-soname,libconf.so.1']);
    const main = 'int a(void); int main(void) { return a() == 2 ? 0 : 1; }';
    const link = [`-L${build}`, '-l:liba.so.1', `-Wl,-rpath-link,${build}`];
    compile('gcc', main, out('prog-rpath'), [...link, '-Wl,--disable-new-dtags,-rpath,/app/lib']);
    compile('gcc', main, out('prog-runpath'), [...link, '-Wl,--enable-new-dtags,-rpath,/app/lib']);
    compile('gcc', main, out('prog-origin'), [...link, '-Wl,--disable-new-dtags,-rpath,$ORIGIN/../lib']);
    compile('gcc', 'int c(void); int main(void) { return c() == 1 ? 0 : 1; }', out('prog-conf'), [`-L${build}`, '-l:libconf.so.1']);
    glibcBase(root);
    for (const name of ['prog-rpath', 'prog-runpath', 'prog-origin', 'prog-conf']) put(root, `/app/bin/${name}`, out(name));
    put(root, '/app/lib/liba.so.1', out('liba.so.1'));
    put(root, '/app/lib/libb.so.1', out('libb.so.1'));
    put(root, '/opt/conf/lib/libconf.so.1', out('libconf.so.1'));
    write(root, '/etc/ld.so.conf', '/opt/conf/lib\n'); // and no ldconfig run: no /etc/ld.so.cache
  });
  afterAll(() => {
    removeDir(build);
    removeDir(root);
  });

  test('agreement: an absolute DT_RPATH inherited by the library, libc next to the interpreter', () => {
    const tree = lddtree(root, '/app/bin/prog-rpath');
    expect(Object.fromEntries(tree)).toEqual({ 'liba.so.1': '/app/lib/liba.so.1', 'libb.so.1': '/app/lib/libb.so.1', 'libc.so.6': '/lib/x86_64-linux-gnu/libc.so.6' });
    expect(Object.fromEntries(ours('/app/bin/prog-rpath').byName)).toEqual(Object.fromEntries(tree));
    expect(Object.fromEntries(loader('/app/bin/prog-rpath'))).toEqual(Object.fromEntries(tree));
  });

  test('deviation: lddtree lets libraries use the program’s DT_RUNPATH; ld.so (and we) do not', () => {
    expect(lddtree(root, '/app/bin/prog-runpath').get('libb.so.1')).toBe('/app/lib/libb.so.1');
    expect(loader('/app/bin/prog-runpath').get('libb.so.1')).toBeNull();
    expect(ours('/app/bin/prog-runpath').byName.get('libb.so.1')).toBeNull();
  });

  test('deviation: lddtree reads ld.so.conf; ld.so reads only the cache, which this image lacks', () => {
    expect(lddtree(root, '/app/bin/prog-conf').get('libconf.so.1')).toBe('/opt/conf/lib/libconf.so.1');
    expect(loader('/app/bin/prog-conf').get('libconf.so.1')).toBeNull();
    const { result, byName } = ours('/app/bin/prog-conf');
    expect(byName.get('libconf.so.1')).toBeNull();
    expect(result.problems[0]).toContain('/opt/conf/lib/libconf.so.1 exists and /etc/ld.so.conf lists /opt/conf/lib, but the image has no /etc/ld.so.cache');
  });

  test('deviation: lddtree --root expands $ORIGIN to the host path and prefixes the root again', () => {
    expect(lddtree(root, '/app/bin/prog-origin').get('liba.so.1')).toBeNull();
    expect(loader('/app/bin/prog-origin').get('liba.so.1')).toBe('/app/lib/liba.so.1');
    expect(ours('/app/bin/prog-origin').byName.get('liba.so.1')).toBe('/app/lib/liba.so.1');
  });
});

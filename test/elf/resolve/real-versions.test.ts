/**
 * Symbol versions (elf/dl-version.c, dl-lookup.c check_match): a program linked against a library that defines FOO_2.0 is predicted to
 * fail when the image carries a build of that library with only FOO_1.0, and the real loader
 * refuses it ("version `FOO_2.0' not found"); likewise a program needing GLIBC_2.34 against a
 * libc that stops at GLIBC_2.31.
 */
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { parseElf } from '../../../src/elf/parse.js';
import { createDirLookup, resolveClosure } from '../../../src/elf/resolve/index.js';
import { canChroot, compile, glibcBase, hasGcc, put, removeDir, runInRoot, scratchDir, write } from './_real-root.js';

const FOO = 'int foo1(void) { return 1; }\nint foo2(void) { return 2; }';
const FOO_V1 = 'int foo1(void) { return 1; }';
const V2_MAP = 'FOO_1.0 { global: foo1; local: *; };\nFOO_2.0 { global: foo2; } FOO_1.0;\n';
const V1_MAP = 'FOO_1.0 { global: foo1; local: *; };\n';
const MAIN = 'int foo2(void); int main(void) { return foo2() == 2 ? 0 : 1; }';
const DIR = '/lib/x86_64-linux-gnu';

describe.skipIf(!canChroot || !hasGcc)('symbol versions against the real loader', () => {
  let build: string;
  const roots: string[] = [];
  const out = (name: string) => path.join(build, name);

  beforeAll(() => {
    build = scratchDir('versions-build');
    write(build, '/v2.map', V2_MAP);
    write(build, '/v1.map', V1_MAP);
    write(build, '/old-glibc.map', 'GLIBC_2.2.5 { global: fake; local: *; };\nGLIBC_2.17 { } GLIBC_2.2.5;\nGLIBC_2.31 { } GLIBC_2.17;\n');
    compile('gcc', FOO, out('libfoo-v2.so'), ['-shared', '-fPIC', '-Wl,-soname,libfoo.so.1', `-Wl,--version-script=${out('v2.map')}`]);
    compile('gcc', FOO_V1, out('libfoo-v1.so'), ['-shared', '-fPIC', '-Wl,-soname,libfoo.so.1', `-Wl,--version-script=${out('v1.map')}`]);
    compile('gcc', FOO, out('libfoo-unversioned.so'), ['-shared', '-fPIC', '-Wl,-soname,libfoo.so.1']);
    compile('gcc', 'int fake(void) { return 0; }', out('libc-2.31.so'), ['-shared', '-fPIC', '-nostdlib', '-Wl,-soname,libc.so.6', `-Wl,--version-script=${out('old-glibc.map')}`]);
    put(build, '/link/libfoo.so.1', out('libfoo-v2.so'));
    compile('gcc', MAIN, out('prog'), [`-L${path.join(build, 'link')}`, '-l:libfoo.so.1']);
  });
  afterAll(() => {
    removeDir(build);
    for (const root of roots) removeDir(root);
  });

  const rootWith = (libfoo: string, libc?: string) => {
    const root = scratchDir('versions-root');
    roots.push(root);
    glibcBase(root);
    put(root, `${DIR}/libfoo.so.1`, out(libfoo));
    if (libc) put(root, `${DIR}/libc.so.6`, out(libc));
    put(root, '/app/prog', out('prog'));
    const lookup = createDirLookup(root, parseElf);
    return { root, result: resolveClosure('/app/prog', lookup.elf('/app/prog')!, lookup, { env: [] }) };
  };

  test('the library the program was linked against: it runs, nothing predicted', () => {
    const { root, result } = rootWith('libfoo-v2.so');
    expect(result.problems).toEqual([]);
    expect(runInRoot(root, ['/app/prog']).status).toBe(0);
  });

  test('a library without FOO_2.0: predicted to fail, and ld.so refuses to start it', () => {
    const { root, result } = rootWith('libfoo-v1.so');
    const expected = `will fail: version FOO_2.0 not found in ${DIR}/libfoo.so.1 (required by /app/prog); ${DIR}/libfoo.so.1 provides up to FOO_1.0`;
    expect(result.versionProblems).toEqual([expected]);
    expect(result.problems).toEqual([expected]);
    expect(result.deps.find((d) => d.name === 'libfoo.so.1')!.problem).toBe(expected);
    const run = runInRoot(root, ['/app/prog']);
    expect(run.status).not.toBe(0);
    expect(run.stderr).toContain("version `FOO_2.0' not found (required by /app/prog)");
  });

  test('a library without version definitions: ld.so warns, then aborts when it binds the versioned symbol', () => {
    const { root, result } = rootWith('libfoo-unversioned.so');
    expect(result.versionProblems).toEqual([
      `will fail: ${DIR}/libfoo.so.1 has no version information but /app/prog needs FOO_2.0 from it (ld.so aborts with "Inconsistency detected by ld.so: … check_match" when it binds such a symbol)`,
    ]);
    const run = runInRoot(root, ['/app/prog']);
    expect(run.status).not.toBe(0);
    expect(run.stderr).toContain(`${DIR}/libfoo.so.1: no version information available (required by /app/prog)`);
    expect(run.stderr).toContain('Inconsistency detected by ld.so');
  });

  test('a libc that stops at GLIBC_2.31 cannot run a program built against glibc ≥ 2.34', () => {
    const { root, result } = rootWith('libfoo-v2.so', 'libc-2.31.so');
    expect(result.versionProblems).toContain(
      `will fail: version GLIBC_2.34 not found in ${DIR}/libc.so.6 (required by /app/prog); the image's libc provides up to GLIBC_2.31`,
    );
    const run = runInRoot(root, ['/app/prog']);
    expect(run.status).not.toBe(0);
    expect(run.stderr).toContain("version `GLIBC_2.34' not found (required by /app/prog)");
  });
});

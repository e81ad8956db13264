import { describe, expect, test } from 'vitest';
import type { ResolvedDependency } from '../../src/report/index.js';
import { dependencyTree } from '../../src/ui/model/dependency-tree.js';
import { makeDynamicGlibcBinary } from '../helpers/report-fixture.js';

const LIB = '/usr/lib/x86_64-linux-gnu';
const edge = (name: string, neededBy: string, depth: number, via: ResolvedDependency['via'] = 'ld.so.cache', path: string | null = `${LIB}/${name}`): ResolvedDependency => ({
  name,
  path,
  via,
  viaDetail: null,
  neededBy,
  chain: [],
  depth,
  problem: null,
});

describe('dependencyTree', () => {
  test('each library under the object that needs it, in load order; repeats listed once, not expanded', () => {
    // /bin/ls as glibc loads it: breadth-first, so libc is loaded before libselinux's own needs.
    const binary = makeDynamicGlibcBinary({
      path: '/usr/bin/ls',
      resolved: [
        edge('/lib64/ld-linux-x86-64.so.2', '/usr/bin/ls', 1, 'interpreter', `${LIB}/ld-linux-x86-64.so.2`),
        edge('libselinux.so.1', '/usr/bin/ls', 1),
        edge('libc.so.6', '/usr/bin/ls', 1),
        edge('libpcre2-8.so.0', `${LIB}/libselinux.so.1`, 2),
        edge('libc.so.6', `${LIB}/libselinux.so.1`, 2, 'already-loaded'),
        edge('ld-linux-x86-64.so.2', `${LIB}/libc.so.6`, 2, 'already-loaded', `${LIB}/ld-linux-x86-64.so.2`),
        edge('libc.so.6', `${LIB}/libpcre2-8.so.0`, 3, 'already-loaded'),
      ],
    });
    expect(dependencyTree(binary).map(({ dep, level, repeat }) => `${'  '.repeat(level)}${dep.name}${repeat ? ' *' : ''}`)).toEqual([
      '/lib64/ld-linux-x86-64.so.2',
      'libselinux.so.1',
      '  libpcre2-8.so.0',
      '    libc.so.6 *',
      '  libc.so.6 *',
      'libc.so.6',
      '  ld-linux-x86-64.so.2 *',
    ]);
  });

  test('a missing library is shown where it is needed and not expanded; edges of unknown parents still show', () => {
    const binary = makeDynamicGlibcBinary({
      path: '/app/server',
      resolved: [edge('libpq.so.5', '/app/server', 1, 'not-found', null), edge('libx.so', '/elsewhere', 2)],
    });
    const rows = dependencyTree(binary);
    expect(rows.map((row) => [row.dep.name, row.level, row.repeat])).toEqual([
      ['libpq.so.5', 0, false],
      ['libx.so', 0, false],
    ]);
    expect(dependencyTree(makeDynamicGlibcBinary({ resolved: [] }))).toEqual([]);
  });
});

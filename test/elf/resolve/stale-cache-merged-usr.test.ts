/**
 * "stale ld.so.cache" on a merged-/usr root laid out as Debian 12 is: /lib → usr/lib, and
 * /etc/ld.so.conf.d/x86_64-linux-gnu.conf listing /lib/x86_64-linux-gnu and /usr/lib/x86_64-linux-gnu,
 * the same directory. ldconfig (run for the root, -r) records each library once, under the first
 * name it met (/lib/x86_64-linux-gnu/…); the check compares canonical paths, so a current cache is
 * not called stale, and a library installed after ldconfig still is.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { execFileSync } from 'node:child_process';
import { realpathSync } from 'node:fs';
import path from 'node:path';
import { parseElf } from '../../../src/elf/parse.js';
import { createDirLookup, staleLdSoCache } from '../../../src/elf/resolve/index.js';
import { hasTool } from '../../helpers/tools.js';
import { compile, hasGcc, ldconfig, link, put, removeDir, scratchDir, write } from './_real-root.js';

const GLIBC_DIR = '/usr/lib/x86_64-linux-gnu';
const canBuild = hasGcc && hasTool('ldconfig', 'the merged-/usr ld.so.cache tests');

describe.skipIf(!canBuild)('ld.so.cache on a merged-/usr (Debian 12) root', () => {
  let root: string;
  let build: string;

  beforeAll(() => {
    root = scratchDir('merged-usr');
    build = scratchDir('merged-usr-build');
    link(root, '/lib', 'usr/lib');
    link(root, '/lib64', 'usr/lib64');
    for (const name of ['ld-linux-x86-64.so.2', 'libc.so.6', 'libBrokenLocale.so.1', 'libm.so.6']) {
      put(root, `${GLIBC_DIR}/${name}`, realpathSync(`/lib/x86_64-linux-gnu/${name}`));
    }
    link(root, '/usr/lib64/ld-linux-x86-64.so.2', '/lib/x86_64-linux-gnu/ld-linux-x86-64.so.2');
    write(root, '/etc/ld.so.conf', 'include /etc/ld.so.conf.d/*.conf\n');
    write(root, '/etc/ld.so.conf.d/libc.conf', '/usr/local/lib\n');
    write(root, '/etc/ld.so.conf.d/x86_64-linux-gnu.conf', '/usr/local/lib/x86_64-linux-gnu\n/lib/x86_64-linux-gnu\n/usr/lib/x86_64-linux-gnu\n');
    ldconfig(root);
  });
  afterAll(() => {
    removeDir(root);
    removeDir(build);
  });

  test('ldconfig -p lists the libraries under /lib/x86_64-linux-gnu, and the cache is not called stale', () => {
    const listed = execFileSync('ldconfig', ['-p', '-C', path.join(root, 'etc/ld.so.cache')], { encoding: 'utf8' });
    expect(listed).toMatch(/libBrokenLocale\.so\.1 \(libc6,x86-64\) => \/lib\/x86_64-linux-gnu\/libBrokenLocale\.so\.1/);
    expect(staleLdSoCache(createDirLookup(root, parseElf))).toEqual([]);
  });

  test('a library installed after ldconfig ran is still reported, once, under the directory that holds it', () => {
    const lib = path.join(build, 'liblate.so.1');
    compile('gcc', 'int late(void) { return 1; }', lib, ['-shared', '-fPIC', '-Wl,-soname,liblate.so.1']);
    put(root, `${GLIBC_DIR}/liblate.so.1`, lib);
    const notes = staleLdSoCache(createDirLookup(root, parseElf));
    expect(notes).toEqual([
      '/etc/ld.so.cache is stale: /lib/x86_64-linux-gnu (listed in /etc/ld.so.conf.d/x86_64-linux-gnu.conf) has liblate.so.1, which the cache lacks (run ldconfig in the image build)',
    ]);
  });
});

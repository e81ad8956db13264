/**
 * What will fail at run time, predicted from the image file alone, on images built in code from
 * programs compiled here. The runs that prove the predictions true live in the resolver's and
 * slim's tests (chroot); here the pipeline must carry them into findings and the entrypoint.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, test } from 'vitest';
import { analyzeImage } from '../../src/analysis/index.js';
import type { Report } from '../../src/report/index.js';
import { compileC, glibcEntries, hasGcc, HELLO_C, scratchDir, writeImage } from './_images.js';

const MUSL_LIBC = '/lib/x86_64-linux-musl/libc.so';
const findingIds = (report: Report) => report.findings.map((f) => `${f.id} ${f.path ?? ''}`);

describe.skipIf(!hasGcc)('predictions on images built in code', () => {
  const hello = hasGcc ? compileC(HELLO_C) : Buffer.alloc(0);

  test('a complete glibc image: the entrypoint can start', async () => {
    const image = await writeImage('oci-archive', {
      layers: [{ entries: glibcEntries(), compression: 'gzip' }, { entries: [{ path: 'app/hello', content: hello, mode: 0o755 }] }],
      containerConfig: { Entrypoint: ['/app/hello'], User: '1000' },
    });
    const report = await analyzeImage(image);
    expect(report.entrypoint).toMatchObject({ binary: '/app/hello', startable: true });
    expect(report.findings.filter((f) => f.severity === 'error')).toEqual([]);
  });

  test('a library removed by a later layer: missing library, the entrypoint cannot start', async () => {
    const image = await writeImage('docker25', {
      layers: [
        { entries: glibcEntries() },
        { entries: [{ path: 'app/hello', content: hello, mode: 0o755 }] },
        { entries: [{ path: 'lib/x86_64-linux-gnu/libc.so.6', type: 'whiteout' }] },
      ],
      containerConfig: { Entrypoint: ['/app/hello'] },
    });
    const report = await analyzeImage(image);
    const binary = report.binaries.find((b) => b.path === '/app/hello')!;
    expect(binary.status).toBe('will-fail');
    expect(binary.resolved.find((d) => d.name === 'libc.so.6')).toMatchObject({ path: null, via: 'not-found' });
    expect(findingIds(report)).toContain('missing-library /app/hello');
    expect(report.entrypoint?.startable).toBe(false);
    expect(findingIds(report)).toContain('entrypoint-cannot-start /app/hello');
  });

  test.skipIf(!existsSync(MUSL_LIBC))('a glibc binary on a musl image: wrong libc, no such file or directory', async () => {
    const image = await writeImage('oci-layout', {
      layers: [
        { entries: [{ path: 'lib/ld-musl-x86_64.so.1', content: readFileSync(MUSL_LIBC), mode: 0o755 }] },
        { entries: [{ path: 'app/hello', content: hello, mode: 0o755 }] },
      ],
      containerConfig: { Entrypoint: ['/app/hello'] },
    });
    const report = await analyzeImage(image);
    const finding = report.findings.find((f) => f.id === 'wrong-libc');
    expect(finding).toMatchObject({ severity: 'error', path: '/app/hello' });
    expect(finding!.message).toMatch(/glibc binary on a musl image/);
    expect(report.entrypoint?.startable).toBe(false);
  });

  test('a symbol version the image library lacks: predicted to fail', async () => {
    const dir = scratchDir('versions');
    const write = (name: string, text: string) => execFileSync('sh', ['-c', `cat > ${path.join(dir, name)}`], { input: text });
    write('foo.c', 'int foo_old(void) { return 1; }\nint foo_new(void) { return 2; }\n');
    write('v2.map', 'FOO_1.0 { global: foo_old; local: *; };\nFOO_2.0 { global: foo_new; } FOO_1.0;\n');
    write('v1.map', 'FOO_1.0 { global: foo_old; foo_new; local: *; };\n');
    write('main.c', 'int foo_new(void);\nint main(void) { return foo_new() == 2 ? 0 : 1; }\n');
    const gcc = (...args: string[]) => execFileSync('gcc', args, { cwd: dir, stdio: 'pipe' });
    gcc('-shared', '-fPIC', '-Wl,-soname,libfoo.so.1', '-Wl,--version-script=v2.map', '-o', 'libfoo-v2.so', 'foo.c');
    gcc('-shared', '-fPIC', '-Wl,-soname,libfoo.so.1', '-Wl,--version-script=v1.map', '-o', 'libfoo-v1.so', 'foo.c');
    execFileSync('cp', ['libfoo-v2.so', 'libfoo.so.1'], { cwd: dir });
    gcc('-o', 'main', 'main.c', 'libfoo.so.1', '-Wl,-rpath,/opt/foo');
    const image = await writeImage('docker-legacy', {
      layers: [
        { entries: glibcEntries() },
        {
          entries: [
            { path: 'app/main', content: readFileSync(path.join(dir, 'main')), mode: 0o755 },
            { path: 'opt/foo/libfoo.so.1', content: readFileSync(path.join(dir, 'libfoo-v1.so')), mode: 0o755 },
          ],
        },
      ],
      containerConfig: { Entrypoint: ['/app/main'] },
    });
    const report = await analyzeImage(image);
    const finding = report.findings.find((f) => f.id === 'symbol-version');
    expect(finding?.message).toMatch(/FOO_2\.0/);
    expect(report.binaries.find((b) => b.path === '/app/main')!.versionNeeds['libfoo.so.1']).toEqual(['FOO_2.0']);
    expect(report.entrypoint?.startable).toBe(false);
  });

  test('a shebang script run through env finds its interpreter on PATH', async () => {
    const image = await writeImage('oci-archive', {
      layers: [
        { entries: glibcEntries() },
        {
          entries: [
            { path: 'usr/bin/env', content: readFileSync('/usr/bin/env'), mode: 0o755 },
            { path: 'usr/local/bin/hello', content: hello, mode: 0o755 },
            { path: 'app/run.sh', content: '#!/usr/bin/env hello\n', mode: 0o755 },
          ],
        },
      ],
      containerConfig: { Entrypoint: ['run.sh'], WorkingDir: '/app', Env: ['PATH=/app:/usr/local/bin:/usr/bin'] },
    });
    const report = await analyzeImage(image);
    expect(report.entrypoint).toMatchObject({
      path: '/app/run.sh',
      binary: '/usr/local/bin/hello',
      interpreters: ['/usr/bin/env', '/usr/local/bin/hello'],
      startable: true,
    });
  });

  test('an entrypoint missing from PATH, a named user missing from /etc/passwd', async () => {
    const image = await writeImage('oci-archive', {
      layers: [{ entries: [{ path: 'bin/tool', content: hello, mode: 0o644 }] }],
      containerConfig: { Cmd: ['server'], User: 'web', Env: ['PATH=/bin'] },
    });
    const report = await analyzeImage(image);
    expect(report.entrypoint?.startable).toBe(false);
    expect(report.entrypoint?.reasons.join('\n')).toMatch(/unable to find user web/);
    expect(report.entrypoint?.reasons.join('\n')).toMatch(/exec: "server": executable file not found in \$PATH/);
  });
});

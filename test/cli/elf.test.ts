/** `imgslim elf FILE... [--root DIR]` on files on disk. */
import { mkdirSync, copyFileSync, symlinkSync, writeFileSync, realpathSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, test } from 'vitest';
import { runCliInProcess } from '../helpers/cli.js';
import { compileC, hasGcc, HELLO_C, scratchDir } from '../analysis/_images.js';

describe.skipIf(!hasGcc)('imgslim elf', () => {
  test('without --root: facts only, nothing resolved on the host', async () => {
    const dir = scratchDir('elf');
    writeFileSync(path.join(dir, 'hello'), compileC(HELLO_C), { mode: 0o755 });
    const result = await runCliInProcess(['elf', path.join(dir, 'hello'), '--format', 'json']);
    expect(result.code).toBe(0);
    const [binary] = JSON.parse(result.stdout).binaries;
    expect(binary).toMatchObject({ linkage: 'dynamic', libc: 'glibc', interpreter: '/lib64/ld-linux-x86-64.so.2', needed: ['libc.so.6'], resolved: [], status: 'unknown' });
  });

  test('with --root: resolved inside the root, symlinks followed inside it', async () => {
    const root = scratchDir('elf-root');
    mkdirSync(path.join(root, 'lib/x86_64-linux-gnu'), { recursive: true });
    mkdirSync(path.join(root, 'lib64'));
    mkdirSync(path.join(root, 'app'));
    copyFileSync(realpathSync('/lib64/ld-linux-x86-64.so.2'), path.join(root, 'lib/x86_64-linux-gnu/ld-linux-x86-64.so.2'));
    copyFileSync(realpathSync('/lib/x86_64-linux-gnu/libc.so.6'), path.join(root, 'lib/x86_64-linux-gnu/libc.so.6'));
    // An absolute symlink: it must resolve inside the root, never to the host's /lib.
    symlinkSync('/lib/x86_64-linux-gnu/ld-linux-x86-64.so.2', path.join(root, 'lib64/ld-linux-x86-64.so.2'));
    writeFileSync(path.join(root, 'app/hello'), compileC(HELLO_C), { mode: 0o755 });
    const result = await runCliInProcess(['elf', '--root', root, '/app/hello', '-f', 'json']);
    expect(result.code).toBe(0);
    const [binary] = JSON.parse(result.stdout).binaries;
    expect(binary.path).toBe('/app/hello');
    expect(binary.status).toBe('ok');
    expect(binary.resolved.map((d: { path: string }) => d.path)).toEqual([
      '/lib/x86_64-linux-gnu/ld-linux-x86-64.so.2',
      '/lib/x86_64-linux-gnu/libc.so.6',
      '/lib/x86_64-linux-gnu/ld-linux-x86-64.so.2',
    ]);
    const text = await runCliInProcess(['elf', '--root', root, path.join(root, 'app/hello')]);
    expect(text.stdout).toMatch(/^\/app\/hello\n/);
    expect(text.stdout).toMatch(/libc\.so\.6 → \/lib\/x86_64-linux-gnu\/libc\.so\.6/);
  });

  test('a file that is not ELF: a one-line error and exit 3, the other files still reported', async () => {
    const dir = scratchDir('elf');
    writeFileSync(path.join(dir, 'notes.txt'), 'hello');
    writeFileSync(path.join(dir, 'hello'), compileC(HELLO_C), { mode: 0o755 });
    const result = await runCliInProcess(['elf', path.join(dir, 'notes.txt'), path.join(dir, 'hello')]);
    expect(result.code).toBe(3);
    expect(result.stderr.trim()).toMatch(/notes\.txt: not an ELF file$/);
    expect(result.stdout).toContain('hello');
  });
});

/**
 * `imgslim elf` draws the closure by parent: each library under the object whose DT_NEEDED
 * names it, checked against `readelf -d` of every parent in a root built with gcc.
 */
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, realpathSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, test } from 'vitest';
import { runCliInProcess } from '../helpers/cli.js';
import { hasTool } from '../helpers/tools.js';
import { scratchDir } from '../analysis/_images.js';

const ready = hasTool('gcc', 'the elf dependency-tree test') && hasTool('readelf', 'the elf dependency-tree test');

function gcc(dir: string, out: string, source: string, flags: string[]): void {
  const src = path.join(dir, `${path.basename(out)}.c`);
  writeFileSync(src, source);
  execFileSync('gcc', ['-O1', '-o', out, src, ...flags], { stdio: 'pipe' });
}

/** DT_NEEDED names of a file, as readelf prints them. */
function readelfNeeded(file: string): string[] {
  const out = execFileSync('readelf', ['-dW', file], { encoding: 'utf8' });
  return [...out.matchAll(/\(NEEDED\)\s+Shared library: \[([^\]]+)\]/g)].map((m) => m[1]!);
}

describe.skipIf(!ready)('imgslim elf: the dependency tree by parent', () => {
  test('libb under liba (which needs it), repeats marked, every edge in its parent\'s DT_NEEDED', async () => {
    const root = scratchDir('elf-tree');
    const lib = path.join(root, 'lib/x86_64-linux-gnu');
    mkdirSync(lib, { recursive: true });
    mkdirSync(path.join(root, 'lib64'));
    mkdirSync(path.join(root, 'app'));
    copyFileSync(realpathSync('/lib64/ld-linux-x86-64.so.2'), path.join(lib, 'ld-linux-x86-64.so.2'));
    copyFileSync(realpathSync('/lib/x86_64-linux-gnu/libc.so.6'), path.join(lib, 'libc.so.6'));
    symlinkSync('/lib/x86_64-linux-gnu/ld-linux-x86-64.so.2', path.join(root, 'lib64/ld-linux-x86-64.so.2'));
    gcc(root, path.join(lib, 'libb.so'), '#include <stdio.h>\nint b(void) { return puts("b"); }\n', ['-shared', '-fPIC', '-Wl,-soname,libb.so']);
    gcc(root, path.join(lib, 'liba.so'), 'int b(void);\nint a(void) { return b() + 1; }\n', ['-shared', '-fPIC', '-Wl,-soname,liba.so', `-L${lib}`, '-lb']);
    gcc(root, path.join(root, 'app/prog'), 'int a(void);\nint main(void) { return a(); }\n', [`-L${lib}`, `-Wl,-rpath-link,${lib}`, '-la']);

    const result = await runCliInProcess(['elf', '--root', root, '/app/prog']);
    expect(result.code).toBe(0);
    const lines = result.stdout.split('\n');
    const first = lines.findIndex((line) => /^ {2}resolved {2}/.test(line));
    expect(first).toBeGreaterThan(0);
    const column = lines[first]!.indexOf('/lib64/ld-linux-x86-64.so.2');
    const rows: Array<{ level: number; name: string; path: string; repeat: boolean }> = [];
    for (const line of lines.slice(first)) {
      const body = line.slice(column);
      const match = /^( *)(\S+) → (\S+)/.exec(body);
      if (!match || !line.slice(0, column).trim().match(/^(resolved)?$/)) break;
      rows.push({ level: match[1]!.length / 2, name: match[2]!, path: match[3]!, repeat: body.includes('(already loaded') });
    }
    expect(rows.map((row) => `${'  '.repeat(row.level)}${row.name}${row.repeat ? ' (repeat)' : ''}`)).toEqual([
      '/lib64/ld-linux-x86-64.so.2',
      'liba.so',
      '  libb.so',
      '    libc.so.6 (repeat)',
      'libc.so.6',
      '  ld-linux-x86-64.so.2 (repeat)',
    ]);
    // Cross-check every edge: the row's parent (the nearest row one level up) names it in DT_NEEDED.
    const host = (imagePath: string) => path.join(root, imagePath);
    rows.forEach((row, i) => {
      if (row.level === 0) {
        if (!row.name.startsWith('/')) expect(readelfNeeded(host('/app/prog'))).toContain(row.name);
        return;
      }
      const parent = rows.slice(0, i).reverse().find((other) => other.level === row.level - 1)!;
      expect(readelfNeeded(host(parent.path)), `${row.name} under ${parent.path}`).toContain(row.name);
    });
  });
});

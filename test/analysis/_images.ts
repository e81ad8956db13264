/** Images built in code for the analysis tests, from this machine's real binaries. */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, realpathSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { buildImage, writeFixture, type EntrySpec, type FixtureFormat, type ImageSpec } from '../helpers/image-builder.js';

export const hasGcc = (() => {
  try {
    execFileSync('gcc', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();

export function scratchDir(name: string): string {
  return mkdtempSync(path.join(tmpdir(), `imgslim-${name}-`));
}

/** Compiles a C program with gcc (extra flags allowed) and returns its bytes. */
export function compileC(source: string, flags: string[] = [], dir = scratchDir('cc')): Buffer {
  const src = path.join(dir, 'prog.c');
  const out = path.join(dir, 'prog');
  execFileSync('sh', ['-c', `cat > ${src}`], { input: source });
  execFileSync('gcc', ['-O1', '-o', out, src, ...flags], { stdio: 'pipe' });
  return readFileSync(out);
}

export const HELLO_C = '#include <stdio.h>\nint main(int c, char **v) { printf("hello %s\\n", c > 1 ? v[1] : "nobody"); return 0; }\n';

/** The host's glibc loader and libc as image entries (Debian multiarch layout, /lib64 symlink). */
export function glibcEntries(): EntrySpec[] {
  const loader = realpathSync('/lib64/ld-linux-x86-64.so.2');
  const libc = realpathSync('/lib/x86_64-linux-gnu/libc.so.6');
  return [
    { path: 'lib/x86_64-linux-gnu/', type: 'dir' },
    { path: 'lib/x86_64-linux-gnu/ld-linux-x86-64.so.2', content: readFileSync(loader), mode: 0o755 },
    { path: 'lib/x86_64-linux-gnu/libc.so.6', content: readFileSync(libc), mode: 0o755 },
    { path: 'lib64/', type: 'dir' },
    { path: 'lib64/ld-linux-x86-64.so.2', type: 'symlink', target: '/lib/x86_64-linux-gnu/ld-linux-x86-64.so.2' },
  ];
}

export async function writeImage(format: FixtureFormat, spec: ImageSpec, name = 'image'): Promise<string> {
  const dir = scratchDir('analysis');
  const target = path.join(dir, format === 'oci-layout' ? name : `${name}.tar`);
  await writeFixture(format, target, [await buildImage(spec)], { tags: [['example/app:1.0']] });
  return target;
}

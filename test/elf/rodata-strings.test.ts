/**
 * Strings compiled into read-only data (compiledPaths, compiledNames): the extractor on crafted
 * bytes cut at every chunk size, and on programs gcc builds here, parsed whole or streamed
 * through the collector, cross-checked against `readelf -p .rodata`.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, test } from 'vitest';
import { bufferByteSource, createElfCollector, parseElf, type ElfInfo } from '../../src/elf/index.js';
import { MAX_PATHS, StringExtractor, pathCandidate } from '../../src/elf/rodata-strings.js';
import { hasTool, testTmp } from '../helpers/tools.js';

const SAMPLE = Buffer.from(
  [
    'junk/not/a/start',
    '/etc/app/app.conf',
    '/usr/sbin/sendmail -t -i',
    '/proc/self/exe',
    '/var/log/app/%s-%d.log',
    '/usr//lib//x/',
    '/',
    'gzip',
    'git-upload-pack',
    'two words',
    'x',
    `/${'a'.repeat(2000)}`,
    'x\u0001y',
    '/ok/after-binary',
    'unterminated/at-the-end',
  ].join('\0'),
  'latin1',
);

function extract(bytes: Buffer, chunk: number, names: boolean) {
  const extractor = new StringExtractor(names);
  for (let at = 0; at < bytes.length; at += chunk) extractor.push(bytes.subarray(at, at + chunk));
  return extractor.finish();
}

describe('compiled strings', () => {
  test('paths: string starts only, first word of a command line, directory before a conversion, no kernel trees; names on request', () => {
    const bytes = Buffer.concat([Buffer.from([0]), SAMPLE]);
    const expected = {
      paths: ['/etc/app/app.conf', '/usr/sbin/sendmail', '/var/log/app', '/usr/lib/x', '/ok/after-binary'],
      names: ['gzip', 'git-upload-pack'],
    };
    for (const chunk of [1, 2, 3, 7, 64, 4093, bytes.length]) {
      expect(extract(bytes, chunk, true)).toEqual(expected);
      expect(extract(bytes, chunk, false)).toEqual({ paths: expected.paths, names: [] });
    }
  });

  test('pathCandidate', () => {
    expect(pathCandidate('/etc/nginx/nginx.conf')).toBe('/etc/nginx/nginx.conf');
    expect(pathCandidate('/usr/lib/x86_64-linux-gnu/ImageMagick-6.9.11/modules-Q16/coders/%s.la')).toBe('/usr/lib/x86_64-linux-gnu/ImageMagick-6.9.11/modules-Q16/coders');
    expect(pathCandidate('/run/nginx.pid')).toBeNull();
    expect(pathCandidate('/dev')).toBeNull();
    expect(pathCandidate('/usr/local/bin:/usr/bin')).toBeNull();
    expect(pathCandidate('%s/x')).toBeNull();
  });

  test('bounded: at most MAX_PATHS paths per file; names filling their budget leave paths alone', () => {
    const many = Buffer.from(`\0${Array.from({ length: MAX_PATHS * 2 }, (_, i) => `/p/${i}`).join('\0')}\0`, 'latin1');
    expect(extract(many, 4096, false).paths).toHaveLength(MAX_PATHS);
    const words = Buffer.from(`\0${Array.from({ length: 40_000 }, (_, i) => `word-${i}`).join('\0')}\0/etc/last.conf\0`, 'latin1');
    expect(extract(words, 65536, true).paths).toEqual(['/etc/last.conf']);
    expect(extract(words, 65536, true).names.length).toBeLessThan(40_000);
  });
});

const PROGRAM = `#include <stdio.h>
#include <unistd.h>
int main(int argc, char **argv) {
  FILE *f = fopen("/etc/rodata-test/app.conf", "r");
  if (f) fclose(f);
  printf("%s\\n", "/usr/share/rodata-test/data/");
  if (argc > 5) execlp("gzip", "gzip", "-d", (char *)0);
  if (argc > 6) execlp("git-upload-pack", "git-upload-pack", argv[1], (char *)0);
  return 0;
}
`;

describe.skipIf(!hasTool('gcc') || !hasTool('readelf'))('compiled strings of real programs', () => {
  const files: Record<string, string> = {};
  beforeAll(() => {
    const dir = testTmp('elf', 'rodata-strings');
    mkdirSync(dir, { recursive: true });
    writeFileSync(path.join(dir, 'app.c'), PROGRAM);
    writeFileSync(path.join(dir, 'lib.c'), 'const char *where(void) { return "/etc/rodata-test/lib.conf"; }\n');
    files.program = path.join(dir, 'app');
    files.library = path.join(dir, 'lib.so');
    execFileSync('gcc', ['-O2', '-o', files.program, path.join(dir, 'app.c')], { stdio: 'pipe' });
    execFileSync('gcc', ['-O2', '-shared', '-fPIC', '-o', files.library, path.join(dir, 'lib.c')], { stdio: 'pipe' });
  });

  function parsedBothWays(file: string): ElfInfo {
    const bytes = readFileSync(file);
    const whole = parseElf(bufferByteSource(bytes));
    const collector = createElfCollector(bytes.length, { fullRetainLimit: 0 });
    for (let at = 0; at < bytes.length; at += 4093) collector.push(bytes.subarray(at, at + 4093));
    expect(collector.finish()).toEqual(whole);
    return whole;
  }

  test('a program that runs programs by name: its paths and command names, not its own symbols or libraries', () => {
    const info = parsedBothWays(files.program!);
    const paths = info.compiledPaths!.split('\n');
    expect(paths).toEqual(expect.arrayContaining(['/etc/rodata-test/app.conf', '/usr/share/rodata-test/data']));
    const names = info.compiledNames!.split('\n');
    expect(names).toEqual(expect.arrayContaining(['gzip', 'git-upload-pack']));
    for (const own of ['execlp', 'fopen', 'libc.so.6', 'GLIBC_2.2.5']) expect(names).not.toContain(own);
    // readelf's view of .rodata: every string there starting with / is found.
    const dump = execFileSync('readelf', ['-p', '.rodata', files.program!], { encoding: 'utf8' });
    const fromReadelf = [...dump.matchAll(/^\s*\[\s*[0-9a-f]+\]\s+(\/\S*)/gm)].map((m) => pathCandidate(m[1]!)).filter((x) => x !== null);
    expect(fromReadelf.length).toBeGreaterThanOrEqual(2);
    expect(paths).toEqual(expect.arrayContaining(fromReadelf));
  });

  test('a library: its paths; no command names (it is not a program)', () => {
    const info = parsedBothWays(files.library!);
    expect(info.compiledPaths?.split('\n')).toContain('/etc/rodata-test/lib.conf');
    expect(info.compiledNames).toBeUndefined();
  });

  test('turned off (a scan for a Report alone): neither kind, everything else the same, whole or streamed', () => {
    const bytes = readFileSync(files.program!);
    const full = parseElf(bufferByteSource(bytes));
    const whole = parseElf(bufferByteSource(bytes), { compiledStrings: false });
    const collector = createElfCollector(bytes.length, { fullRetainLimit: 0, compiledStrings: false });
    for (let at = 0; at < bytes.length; at += 4093) collector.push(bytes.subarray(at, at + 4093));
    expect(collector.finish()).toEqual(whole);
    const { compiledPaths, compiledNames, ...rest } = full;
    expect(compiledPaths && compiledNames).toBeTruthy();
    expect(whole).toEqual(rest);
  });

  test.skipIf(!hasTool('git'))("the host's git: streamed equals whole; names include git-upload-pack", () => {
    const git = execFileSync('sh', ['-c', 'command -v git'], { encoding: 'utf8' }).trim();
    const info = parsedBothWays(git);
    expect(info.compiledNames?.split('\n')).toContain('git-upload-pack');
  });
});

/**
 * The ELF evidence slim uses for Go binaries: which of crypto/tls and net they link, told from
 * function names in .gopclntab, the same whether the file is parsed whole or streamed through the
 * collector in small chunks (the path files bigger than the whole-retain limit take).
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, test } from 'vitest';
import { bufferByteSource, createElfCollector, parseElf } from '../../src/elf/index.js';
import { buildGo, canBuildGo, compileC } from './_host-images.js';
import { testTmp } from '../helpers/tools.js';

const PLAIN = 'package main\n\nimport "fmt"\n\nfunc main() { fmt.Println("plain") }\n';

describe.skipIf(!canBuildGo)('Go package evidence', () => {
  const files: Record<string, string> = {};
  beforeAll(() => {
    const go = buildGo();
    files.tls = go.static;
    files.cgo = go.cgo;
    const src = testTmp('slim', 'programs', 'go', 'src-plain');
    mkdirSync(src, { recursive: true });
    writeFileSync(path.join(src, 'go.mod'), 'module example.com/plain\n\ngo 1.19\n');
    writeFileSync(path.join(src, 'main.go'), PLAIN);
    files.plain = path.join(src, 'plain-stripped');
    execFileSync('go', ['build', '-ldflags=-s -w', '-o', files.plain, '.'], {
      cwd: src,
      env: { PATH: process.env.PATH, HOME: testTmp('slim', 'gohome'), GOCACHE: testTmp('slim', 'gocache'), GOPATH: testTmp('slim', 'gopath'), GOFLAGS: '-mod=mod', GOPROXY: 'off', CGO_ENABLED: '0' },
      stdio: 'pipe',
    });
    files.c = compileC('hello');
  }, 600_000);

  test.each([
    ['tls', ['crypto/tls', 'net']],
    ['cgo', ['net']],
    ['plain', []],
    ['c', undefined],
  ] as const)('%s: %j, streamed or whole', (name, expected) => {
    const bytes = readFileSync(files[name]!);
    const whole = parseElf(bufferByteSource(bytes));
    expect(whole.goPackages).toEqual(expected);
    const collector = createElfCollector(bytes.length, { fullRetainLimit: 0 });
    for (let at = 0; at < bytes.length; at += 4093) collector.push(bytes.subarray(at, at + 4093));
    expect(collector.finish()).toEqual(whole);
  });
});

/**
 * A tiny module-mode Go program built here with CGO_ENABLED=0 (static) and CGO_ENABLED=1
 * (dynamic, needs libc): build info equals `go version -m`, linkage and libc follow.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, test } from 'vitest';
import { fileByteSource, libcOf, linkage, parseElf, role, type ElfInfo } from '../../src/elf/index.js';
import { goVersionM, hasTool, scratch } from './_support.js';

const canBuild = hasTool('go') && hasTool('gcc');

describe.skipIf(!canBuild)('Go binaries built here', () => {
  const dir = scratch('go-build');
  const built: Record<'static' | 'cgo', { file: string; info: ElfInfo }> = {} as never;

  beforeAll(() => {
    const src = path.join(dir, 'src');
    mkdirSync(src, { recursive: true });
    writeFileSync(path.join(src, 'go.mod'), 'module example.com/hello\n\ngo 1.19\n');
    writeFileSync(path.join(src, 'main.go'), 'package main\n\nimport "fmt"\n\nfunc main() { fmt.Println("hello", extra()) }\n');
    writeFileSync(path.join(src, 'nocgo.go'), '//go:build !cgo\n\npackage main\n\nfunc extra() int { return 0 }\n');
    writeFileSync(path.join(src, 'cgo.go'), 'package main\n\n// int answer(void) { return 42; }\nimport "C"\n\nfunc extra() int { return int(C.answer()) }\n');
    const env = {
      PATH: process.env.PATH ?? '/usr/bin:/bin',
      HOME: path.join(dir, 'home'),
      GOPATH: path.join(dir, 'gopath'),
      GOCACHE: path.join(dir, 'gocache'),
      GOFLAGS: '-mod=mod',
      GOTOOLCHAIN: 'local',
      GOPROXY: 'off',
    };
    for (const [name, cgo] of [
      ['static', '0'],
      ['cgo', '1'],
    ] as const) {
      const file = path.join(dir, name);
      execFileSync('go', ['build', '-o', file, '.'], { cwd: src, env: { ...env, CGO_ENABLED: cgo }, stdio: 'pipe' });
      const source = fileByteSource(file);
      built[name] = { file, info: parseElf(source) };
      source.close();
    }
  }, 600_000);

  test.each(['static', 'cgo'] as const)('%s: version, path, main module and every setting equal `go version -m`', (name) => {
    const { file, info } = built[name];
    expect(info.go).toEqual(goVersionM(file));
    expect(info.go?.path).toBe('example.com/hello');
    expect(info.go?.mainModule).toBe('example.com/hello@(devel)');
    expect(info.go?.settings.CGO_ENABLED).toBe(name === 'cgo' ? '1' : '0');
  });

  test('CGO_ENABLED=0 is static: no interpreter, no libc', () => {
    const { info } = built.static;
    expect([info.interpreter, info.dynamic, linkage(info), libcOf(info), role(info)]).toEqual([null, null, 'static', 'none', 'executable']);
    expect(info.vdsoEvidence).toBe('looks up __vdso_clock_gettime');
  });

  test('CGO_ENABLED=1 is dynamic against glibc', () => {
    const { info } = built.cgo;
    expect(info.interpreter).toBe('/lib64/ld-linux-x86-64.so.2');
    expect(info.dynamic?.needed).toContain('libc.so.6');
    expect([linkage(info), libcOf(info), role(info)]).toEqual(['dynamic', 'glibc', 'executable']);
  });
});

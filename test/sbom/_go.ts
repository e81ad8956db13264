/**
 * A Go program built here in module mode without the network: one dependency served by a
 * file:// module proxy written in code (so the build records its version and h1 sum) and one
 * replaced by a local directory.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { hasTool, testTmp } from '../helpers/tools.js';

export const canBuildGo = hasTool('go') && hasTool('python3');

/** Builds (once per run) the program statically; returns the binary's path. */
export function buildGoWithModules(): string {
  const dir = testTmp('sbom', 'go');
  const binary = path.join(dir, 'bin', 'app');
  if (existsSync(binary)) return binary;
  rmSync(dir, { recursive: true, force: true });
  const write = (file: string, text: string) => {
    mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
    writeFileSync(path.join(dir, file), text);
  };
  const greetMod = 'module example.com/greet\n\ngo 1.19\n';
  write('proxy/example.com/greet/@v/list', 'v1.2.3\n');
  write('proxy/example.com/greet/@v/v1.2.3.info', '{"Version":"v1.2.3","Time":"2023-11-14T22:13:20Z"}\n');
  write('proxy/example.com/greet/@v/v1.2.3.mod', greetMod);
  // The module zip: python3's zipfile (the Go toolchain reads any valid zip).
  execFileSync('python3', [
    '-c',
    'import sys, zipfile\nwith zipfile.ZipFile(sys.argv[1], "w") as z:\n  z.writestr("example.com/greet@v1.2.3/go.mod", sys.argv[2])\n  z.writestr("example.com/greet@v1.2.3/greet.go", sys.argv[3])\n',
    path.join(dir, 'proxy/example.com/greet/@v/v1.2.3.zip'),
    greetMod,
    'package greet\n\nfunc Hello() string { return "hello" }\n',
  ]);
  write('localdep/go.mod', 'module example.com/localdep\n\ngo 1.19\n');
  write('localdep/localdep.go', 'package localdep\n\nfunc Name() string { return "local" }\n');
  write(
    'app/go.mod',
    'module example.com/app\n\ngo 1.19\n\nrequire (\n\texample.com/greet v1.2.3\n\texample.com/localdep v0.0.0\n)\n\nreplace example.com/localdep => ../localdep\n',
  );
  write('app/main.go', 'package main\n\nimport (\n\t"fmt"\n\n\t"example.com/greet"\n\t"example.com/localdep"\n)\n\nfunc main() { fmt.Println(greet.Hello(), localdep.Name()) }\n');
  execFileSync('go', ['build', '-o', binary, '.'], {
    cwd: path.join(dir, 'app'),
    env: {
      PATH: process.env.PATH ?? '/usr/bin:/bin',
      HOME: path.join(dir, 'home'),
      GOPATH: path.join(dir, 'gopath'),
      GOCACHE: path.join(dir, 'gocache'),
      GOFLAGS: '-mod=mod',
      GOPROXY: `file://${path.join(dir, 'proxy')}`,
      GOSUMDB: 'off',
      GOTOOLCHAIN: 'local',
      CGO_ENABLED: '0',
    },
    stdio: 'pipe',
  });
  return binary;
}

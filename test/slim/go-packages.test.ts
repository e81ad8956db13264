/**
 * The ELF evidence slim uses for Go binaries: which of crypto/tls, net and time/tzdata they link
 * and whether they call time.LoadLocation, told from function names in .gopclntab, the same
 * whether the file is parsed whole or streamed through the collector in small chunks (the path
 * files bigger than the whole-retain limit take); and the zoneinfo tree slim keeps for them.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, test } from 'vitest';
import { bufferByteSource, createElfCollector, parseElf } from '../../src/elf/index.js';
import { buildGo, canBuildGo, compileC, programEntry } from './_host-images.js';
import { layer, planHarness, reasonsOf } from './_plan.js';
import { testTmp } from '../helpers/tools.js';

const PLAIN = 'package main\n\nimport "fmt"\n\nfunc main() { fmt.Println("plain") }\n';
const ZONES = 'package main\n\nimport (\n\t"fmt"\n\t"os"\n\t"time"\n)\n\nfunc main() {\n\tl, err := time.LoadLocation(os.Args[1])\n\tfmt.Println(l, err)\n}\n';
const EMBEDDED = ZONES.replace('"time"\n', '"time"\n\t_ "time/tzdata"\n');

/** Builds a stripped CGO_ENABLED=0 program from one main.go. */
function buildStripped(name: string, source: string): string {
  const src = testTmp('slim', 'programs', 'go', `src-${name}`);
  mkdirSync(src, { recursive: true });
  writeFileSync(path.join(src, 'go.mod'), `module example.com/${name}\n\ngo 1.19\n`);
  writeFileSync(path.join(src, 'main.go'), source);
  const out = path.join(src, `${name}-stripped`);
  execFileSync('go', ['build', '-ldflags=-s -w', '-o', out, '.'], {
    cwd: src,
    env: { PATH: process.env.PATH, HOME: testTmp('slim', 'gohome'), GOCACHE: testTmp('slim', 'gocache'), GOPATH: testTmp('slim', 'gopath'), GOFLAGS: '-mod=mod', GOPROXY: 'off', CGO_ENABLED: '0' },
    stdio: 'pipe',
  });
  return out;
}

const plan = planHarness('go-zones');

describe.skipIf(!canBuildGo)('Go package evidence', () => {
  const files: Record<string, string> = {};
  beforeAll(() => {
    const go = buildGo();
    files.tls = go.static;
    files.cgo = go.cgo;
    files.plain = buildStripped('plain', PLAIN);
    files.zones = buildStripped('zones', ZONES);
    files.embedded = buildStripped('embedded', EMBEDDED);
    files.c = compileC('hello');
  }, 600_000);

  test.each([
    ['tls', ['crypto/tls', 'net'], []],
    ['cgo', ['net'], []],
    ['plain', [], []],
    ['zones', [], ['time.LoadLocation']],
    ['embedded', ['time/tzdata'], ['time.LoadLocation']],
    ['c', undefined, undefined],
  ] as const)('%s: packages %j, functions %j, streamed or whole', (name, packages, functions) => {
    const bytes = readFileSync(files[name]!);
    const whole = parseElf(bufferByteSource(bytes));
    expect(whole.goPackages).toEqual(packages);
    expect(whole.goFunctions).toEqual(functions);
    const collector = createElfCollector(bytes.length, { fullRetainLimit: 0 });
    for (let at = 0; at < bytes.length; at += 4093) collector.push(bytes.subarray(at, at + 4093));
    expect(collector.finish()).toEqual(whole);
  });

  test('a Go program calling time.LoadLocation keeps the zoneinfo tree (without right/); one with time/tzdata compiled in, or none, keeps none', async () => {
    const zoneinfo = [
      { path: 'usr/share/zoneinfo/Europe/Paris', content: 'TZif-paris' },
      { path: 'usr/share/zoneinfo/UTC', content: 'TZif-utc' },
      { path: 'usr/share/zoneinfo/right/Europe/Paris', content: 'TZif-right' },
    ];
    const image = (file: string) => ({
      layers: [layer([...zoneinfo, programEntry('app/zones', file)])],
      containerConfig: { Entrypoint: ['/app/zones', 'Europe/Paris'], Cmd: null },
    });
    const zones = await plan(image(files.zones!));
    expect(reasonsOf(zones.plan, '/usr/share/zoneinfo/Europe/Paris')).toEqual([
      '/app/zones (Go) links time.LoadLocation, which reads named zones from it (no time/tzdata compiled in)',
    ]);
    expect(zones.plan.kept.has('/usr/share/zoneinfo/UTC')).toBe(true);
    expect(zones.plan.kept.has('/usr/share/zoneinfo/right/Europe/Paris')).toBe(false);
    for (const other of [files.embedded!, files.plain!]) {
      const { plan: p } = await plan(image(other));
      expect([...p.kept.keys()].filter((file) => file.startsWith('/usr/share/zoneinfo'))).toEqual([]);
    }
  });
});

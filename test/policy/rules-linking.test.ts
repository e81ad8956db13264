import { describe, expect, test } from 'vitest';
import { evaluatePolicy, type CheckResult, type Policy } from '../../src/policy/index.js';
import type { Report } from '../../src/report/index.js';
import { makeBinary, makeDynamicGlibcBinary, makeGlibcLibrary, makeGoBinary, makeMuslBinary, makeReport, oneRule } from './fixtures.js';

function run(report: Report, policy: Policy): CheckResult['results'][number] {
  const result = evaluatePolicy(report, policy, { today: '2026-01-15' });
  return result.results[0]!;
}

describe('entrypoint-static', () => {
  test('a static entrypoint passes', () => {
    const result = run(makeReport(), oneRule('entrypoint-static'));
    expect(result.status).toBe('pass');
    expect(result.message).toBe('/app/server has no PT_INTERP and no NEEDED');
  });

  test('a dynamic entrypoint fails with the file, NEEDED and PT_INTERP as evidence', () => {
    const result = run(makeReport({ binaries: [makeDynamicGlibcBinary()] }), oneRule('entrypoint-static'));
    expect(result.status).toBe('fail');
    expect(result.violations).toEqual([
      {
        rule: 'entrypoint-static',
        path: '/app/server',
        message: '/app/server NEEDED libc.so.6 via PT_INTERP /lib64/ld-linux-x86-64.so.2',
        evidence: 'NEEDED libc.so.6 via PT_INTERP /lib64/ld-linux-x86-64.so.2',
        key: '/app/server dynamic',
      },
    ]);
  });

  test('the binary actually run is checked, through symlinks and shebangs', () => {
    const report = makeReport({
      binaries: [makeMuslBinary({ path: '/usr/bin/python3' })],
      entrypoint: {
        argv: ['/app/run.py'],
        path: '/app/run.py',
        binary: '/usr/bin/python3',
        command: null,
        interpreters: ['/usr/bin/env', '/usr/bin/python3'],
        applet: null,
        startable: true,
        reasons: [],
      },
    });
    const [violation] = run(report, oneRule('entrypoint-static')).violations;
    expect(violation?.message).toBe('/usr/bin/python3 NEEDED libc.so via PT_INTERP /lib/ld-musl-x86_64.so.1 (entrypoint /app/run.py → /usr/bin/env → /usr/bin/python3)');
  });

  test('no entrypoint, or one that runs no ELF, fails with the reason', () => {
    expect(run(makeReport({ entrypoint: null }), oneRule('entrypoint-static')).violations[0]?.message).toBe(
      'the image has no Entrypoint or Cmd: nothing runs',
    );
    const missing = makeReport({
      entrypoint: { argv: ['server'], path: null, binary: null, command: null, interpreters: [], applet: null, startable: false, reasons: ['server: not found in PATH'] },
    });
    const result = run(missing, oneRule('entrypoint-static'));
    expect(result.violations[0]).toMatchObject({ path: 'server', message: "entrypoint 'server' does not run an ELF binary: server: not found in PATH" });
  });
});

describe('no-dynamic', () => {
  const report = makeReport({
    binaries: [makeBinary({ path: '/bin/busybox' }), makeDynamicGlibcBinary({ path: '/app/server' }), makeGlibcLibrary(), makeBinary({ path: '/usr/lib/debug/x.debug', role: 'debug', linkage: 'dynamic', interpreter: '/x' })],
  });

  test('every dynamic executable and shared library is listed; debug files are not', () => {
    const result = run(report, oneRule('no-dynamic'));
    expect(result.violations.map((v) => v.message)).toEqual([
      '/app/server NEEDED libc.so.6 via PT_INTERP /lib64/ld-linux-x86-64.so.2',
      '/lib/x86_64-linux-gnu/libc.so.6 NEEDED ld-linux-x86-64.so.2 via PT_INTERP /lib64/ld-linux-x86-64.so.2',
    ]);
  });

  test('paths: limits the rule to parts of the image', () => {
    const result = run(report, oneRule('no-dynamic', { paths: ['/app/**'] }));
    expect(result.violations.map((v) => v.path)).toEqual(['/app/server']);
    expect(run(report, oneRule('no-dynamic', { paths: ['/bin/*'] })).status).toBe('pass');
  });
});

describe('libc', () => {
  const report = makeReport({
    binaries: [makeBinary({ path: '/bin/static' }), makeMuslBinary(), makeDynamicGlibcBinary(), makeBinary({ path: '/opt/x', libc: 'unknown', linkage: 'dynamic', needed: ['libfoo.so'] })],
  });

  test('binaries with a libc outside the list fail, unknown ones too', () => {
    const result = run(report, oneRule('libc', ['musl', 'none']));
    expect(result.configuration).toBe('musl, none');
    expect(result.violations.map((v) => v.message)).toEqual([
      '/app/server uses libc glibc (NEEDED libc.so.6 via PT_INTERP /lib64/ld-linux-x86-64.so.2); allowed: musl, none',
      '/opt/x uses libc unknown (could not be determined; NEEDED libfoo.so (no PT_INTERP)); allowed: musl, none',
    ]);
  });

  test('a comma-separated string works as in --rule libc=musl,none', () => {
    expect(run(report, oneRule('libc', 'glibc,musl,none')).violations.map((v) => v.path)).toEqual(['/opt/x']);
  });
});

describe('max-glibc', () => {
  test('a binary needing GLIBC_2.34 fails max-glibc 2.31 and passes 2.34', () => {
    const report = makeReport({ binaries: [makeDynamicGlibcBinary()] });
    const failed = run(report, oneRule('max-glibc', '2.31'));
    expect(failed.status).toBe('fail');
    expect(failed.violations[0]?.message).toBe('/app/server needs GLIBC_2.34 from libc.so.6 (above GLIBC_2.31)');
    expect(run(report, oneRule('max-glibc', '2.34')).status).toBe('pass');
    expect(run(report, oneRule('max-glibc', '2.35')).status).toBe('pass');
  });

  test('every library and version above the limit is named; numeric comparison (2.4 < 2.31)', () => {
    const binary = makeDynamicGlibcBinary({
      versionNeeds: { 'libc.so.6': ['GLIBC_2.4', 'GLIBC_2.32', 'GLIBC_2.33'], 'libm.so.6': ['GLIBC_2.29', 'GLIBC_2.38'], 'libfoo.so.1': ['FOO_9.9'] },
      glibcFloor: 'GLIBC_2.38',
    });
    const result = run(makeReport({ binaries: [binary] }), oneRule('max-glibc', '2.31'));
    expect(result.violations[0]?.evidence).toBe('needs GLIBC_2.32, GLIBC_2.33 from libc.so.6; GLIBC_2.38 from libm.so.6 (above GLIBC_2.31)');
  });

  test("glibc's own libraries are not checked", () => {
    expect(run(makeReport({ binaries: [makeGlibcLibrary()] }), oneRule('max-glibc', '2.17')).status).toBe('pass');
  });
});

describe('go-cgo-disabled', () => {
  test('CGO_ENABLED=0 passes, =1 fails, missing cannot be confirmed', () => {
    expect(run(makeReport({ binaries: [makeGoBinary(false)] }), oneRule('go-cgo-disabled')).status).toBe('pass');
    const cgo = run(makeReport({ binaries: [makeGoBinary(true)] }), oneRule('go-cgo-disabled'));
    expect(cgo.violations[0]?.message).toBe(
      '/app/gosrv was built with CGO_ENABLED=1 (go1.22.0): NEEDED libc.so.6 via PT_INTERP /lib64/ld-linux-x86-64.so.2',
    );
    const old = run(makeReport({ binaries: [makeGoBinary(null)] }), oneRule('go-cgo-disabled'));
    expect(old.violations[0]?.evidence).toMatch(/no CGO_ENABLED in its Go build info \(go1.17/);
  });

  test('non-Go binaries are not concerned', () => {
    expect(run(makeReport({ binaries: [makeDynamicGlibcBinary()] }), oneRule('go-cgo-disabled')).status).toBe('pass');
  });
});

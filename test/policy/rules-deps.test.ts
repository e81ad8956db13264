import { describe, expect, test } from 'vitest';
import { evaluatePolicy } from '../../src/policy/index.js';
import type { Binary, Report } from '../../src/report/index.js';
import { makeDynamicGlibcBinary, makeReport, oneRule } from './fixtures.js';

const MISSING = 'libssl.so.3 not found (needed by /app/server; searched /etc/ld.so.cache, /lib/x86_64-linux-gnu, /usr/lib/x86_64-linux-gnu, /lib, /usr/lib)';
const VERSION = "version GLIBC_2.38 not found in /lib/x86_64-linux-gnu/libc.so.6 (required by /app/server); the image's libc provides up to GLIBC_2.36";

function brokenServer(): Binary {
  const base = makeDynamicGlibcBinary();
  return {
    ...base,
    needed: ['libssl.so.3', 'libc.so.6'],
    resolved: [
      ...base.resolved,
      { name: 'libssl.so.3', path: null, via: 'not-found', viaDetail: null, neededBy: '/app/server', chain: [], depth: 1, problem: MISSING },
    ],
    status: 'will-fail',
    problems: [MISSING, VERSION],
  };
}

function result(report: Report) {
  return evaluatePolicy(report, oneRule('no-missing-deps'), { today: '2026-01-15' }).results[0]!;
}

describe('no-missing-deps', () => {
  test('a complete closure passes', () => {
    expect(result(makeReport({ binaries: [makeDynamicGlibcBinary()] })).status).toBe('pass');
  });

  test('a removed library and a missing symbol version each fail, naming the file and what is missing', () => {
    const outcome = result(makeReport({ binaries: [brokenServer()] }));
    expect(outcome.status).toBe('fail');
    expect(outcome.violations.map((v) => v.message)).toEqual([`/app/server will not load: ${MISSING}`, `/app/server will not load: ${VERSION}`]);
    expect(outcome.violations[0]?.key).toBe('/app/server /app/server libssl.so.3');
  });

  test('a not-found dependency absent from problems is still reported', () => {
    const binary = brokenServer();
    binary.problems = [];
    binary.resolved[2]!.problem = null;
    expect(result(makeReport({ binaries: [binary] })).violations.map((v) => v.evidence)).toEqual([
      'will not load: libssl.so.3 not found (needed by /app/server)',
    ]);
  });

  test('a wrong-architecture executable is not a dependency problem', () => {
    const problem = 'exec format error: /app/server is aarch64 but the image platform is linux/amd64';
    const binary = { ...makeDynamicGlibcBinary(), status: 'will-fail' as const, problems: [problem] };
    const report = makeReport({ binaries: [binary], findings: [{ id: 'wrong-architecture', severity: 'error', path: '/app/server', message: problem }] });
    expect(result(report).status).toBe('pass');
  });
});

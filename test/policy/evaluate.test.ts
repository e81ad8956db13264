import { Value } from '@sinclair/typebox/value';
import { describe, expect, test } from 'vitest';
import { CheckResult, evaluatePolicy } from '../../src/policy/index.js';
import { makeEntry, makeReport, policyOf } from './fixtures.js';

const base = makeReport();
const report = makeReport({
  filesystem: {
    ...base.filesystem,
    entries: [
      makeEntry({ path: '/bin/su', mode: 0o4755 }),
      makeEntry({ path: '/usr/bin/passwd', mode: 0o4755 }),
      makeEntry({ path: '/usr/bin/newgrp', mode: 0o4755 }),
      makeEntry({ path: '/app/server', mode: 0o755 }),
    ],
  },
});

function setuid(ignore: unknown[], extra: Record<string, unknown> = {}) {
  return evaluatePolicy(report, policyOf({ rules: { 'no-setuid': { ignore, ...extra } } }), { today: '2026-06-15' });
}

describe('ignores', () => {
  test('an unexpired ignore waives matching violations and keeps its reason', () => {
    const result = setuid([{ path: '/usr/bin/*', reason: 'shadow-utils tools', expires: '2026-06-15' }]);
    const rule = result.results[0]!;
    expect(rule.status).toBe('fail');
    expect(rule.violations.map((v) => v.path)).toEqual(['/bin/su']);
    expect(rule.ignored.map((v) => [v.path, v.ignoredBy, v.reason, v.expires])).toEqual([
      ['/usr/bin/passwd', '/usr/bin/*', 'shadow-utils tools', '2026-06-15'],
      ['/usr/bin/newgrp', '/usr/bin/*', 'shadow-utils tools', '2026-06-15'],
    ]);
    expect(rule.message).toBe('1 violation (2 ignored)');
    expect(rule.notices).toEqual([]);
  });

  test('the rule passes when every violation is ignored', () => {
    const rule = setuid([{ path: '/**', reason: 'base image tools' }]).results[0]!;
    expect(rule.status).toBe('pass');
    expect(rule.message).toBe('no violations (3 ignored)');
  });

  test('an expired ignore no longer applies, and says so', () => {
    const result = setuid([
      { path: '/usr/bin/passwd', reason: 'until the rewrite lands', expires: '2026-06-14' },
      { path: '/bin/su', reason: 'entrypoint needs it' },
    ]);
    const rule = result.results[0]!;
    expect(rule.violations.map((v) => v.path)).toEqual(['/usr/bin/passwd', '/usr/bin/newgrp']);
    expect(rule.notices).toEqual(['ignore of /usr/bin/passwd expired on 2026-06-14 and no longer applies (1 violation no longer ignored): until the rewrite lands']);
    expect(result.passed).toBe(false);
  });

  test('an ignore that matches nothing is pointed out', () => {
    const rule = setuid([{ path: '/opt/**', reason: 'vendor tools' }, { path: '/**', reason: 'all' }]).results[0]!;
    expect(rule.notices).toEqual(['ignore of /opt/** matched no violation: vendor tools']);
  });
});

describe('severity, scope and counts', () => {
  test('a warning rule reports without failing the gate', () => {
    const result = setuid([], { severity: 'warning' });
    expect(result.results[0]!.status).toBe('warn');
    expect(result.passed).toBe(true);
    expect(result.counts).toEqual({ pass: 0, fail: 0, warn: 1, skip: 0 });
  });

  test('paths: narrows the violations', () => {
    const rule = evaluatePolicy(report, policyOf({ rules: { 'no-setuid': { paths: ['/usr/**'] } } })).results[0]!;
    expect(rule.violations.map((v) => v.path)).toEqual(['/usr/bin/passwd', '/usr/bin/newgrp']);
    expect(rule.message).toBe('2 violations under /usr/**');
  });

  test('disabled rules are skipped; the result validates against its schema', () => {
    const result = evaluatePolicy(report, policyOf({ rules: { 'no-setuid': true, 'max-size': 'disabled', 'non-root-user': true, 'require-pie': false } }), {
      today: '2026-06-15',
    });
    expect(result.results.map((r) => [r.rule, r.status, r.configuration])).toEqual([
      ['max-size', 'skip', 'disabled'],
      ['require-pie', 'skip', 'disabled'],
      ['no-setuid', 'fail', 'enabled'],
      ['non-root-user', 'pass', 'enabled'],
    ]);
    expect(result.counts).toEqual({ pass: 1, fail: 1, warn: 0, skip: 2 });
    expect(result.passed).toBe(false);
    expect(result.image).toEqual({ path: 'image.tar', reference: 'example/app:1.0', platform: 'linux/amd64', manifestDigest: `sha256:${'c'.repeat(64)}` });
    expect([...Value.Errors(CheckResult, result)]).toEqual([]);
  });
});

import { spawnSync } from 'node:child_process';
import { describe, expect, test } from 'vitest';
import { escapeData, escapeProperty, evaluatePolicy, renderCheckResult, type CheckResult } from '../../src/policy/index.js';
import { makeDynamicGlibcBinary, makeEntry, makeReport, policyOf } from './fixtures.js';
import { sarifValidator } from './sarif.js';

/** A result with a failure, a warning, a pass, a skip, ignores, an expired ignore and awkward characters. */
function sampleResult(): CheckResult {
  const base = makeReport({ binaries: [makeDynamicGlibcBinary()] });
  const report = makeReport({
    binaries: base.binaries,
    filesystem: {
      ...base.filesystem,
      entries: [
        makeEntry({ path: '/app/server', mode: 0o755 }),
        makeEntry({ path: '/opt/odd <name> & "quotes", 100%: yes', mode: 0o4755 }),
        makeEntry({ path: '/usr/bin/passwd', mode: 0o4755 }),
        makeEntry({ path: '/bin/su', mode: 0o4755 }),
      ],
    },
  });
  const policy = policyOf({
    rules: {
      'entrypoint-static': true,
      'max-size': { value: '1MB', severity: 'warning' },
      'no-missing-deps': true,
      'require-canary': false,
      'no-setuid': {
        ignore: [
          { path: '/usr/bin/passwd', reason: 'password changes', expires: '2099-12-31' },
          { path: '/bin/su', reason: 'temporary', expires: '2000-01-01' },
        ],
      },
    },
  });
  return evaluatePolicy(report, policy, { today: '2026-01-15' });
}

describe('text', () => {
  test('one line per rule, violations below, dive-style summary', () => {
    const text = renderCheckResult(sampleResult(), 'text');
    expect(text).toBe(`imgslim check: example/app:1.0 (image.tar, linux/amd64)
policy: policy.yaml

  FAIL  entrypoint-static: 1 violation
        /app/server NEEDED libc.so.6 via PT_INTERP /lib64/ld-linux-x86-64.so.2
  PASS  no-missing-deps: no violations
  WARN  max-size (1MB) [warning]: 1 violation
        the image is too large: uncompressed size of all layers is 2.50 MB (2,500,000 bytes), above 1MB (1,000,000 bytes)
  SKIP  require-canary: rule disabled
  FAIL  no-setuid: 2 violations (1 ignored)
        /opt/odd <name> & "quotes", 100%: yes is setuid root (mode 4755, owner 0:0)
        /bin/su is setuid root (mode 4755, owner 0:0)
        ignored: /usr/bin/passwd is setuid root (mode 4755, owner 0:0) (password changes, until 2099-12-31)
        note: ignore of /bin/su expired on 2000-01-01 and no longer applies (1 violation no longer ignored): temporary

Result: FAIL [pass:1 fail:2 warn:1 skip:1]
`);
  });
});

describe('json', () => {
  test('rule, severity, status and violations for every rule', () => {
    const json = JSON.parse(renderCheckResult(sampleResult(), 'json')) as CheckResult;
    expect(json.passed).toBe(false);
    expect(json.results.map((r) => [r.rule, r.severity, r.status, r.violations.length])).toEqual([
      ['entrypoint-static', 'error', 'fail', 1],
      ['no-missing-deps', 'error', 'pass', 0],
      ['max-size', 'warning', 'warn', 1],
      ['require-canary', 'error', 'skip', 0],
      ['no-setuid', 'error', 'fail', 2],
    ]);
  });
});

describe('sarif', () => {
  const sarif = JSON.parse(renderCheckResult(sampleResult(), 'sarif'));

  test('validates against the SARIF 2.1.0 schema', () => {
    const validate = sarifValidator();
    expect(validate(sarif), JSON.stringify(validate.errors, null, 2)).toBe(true);
  });

  test('one rule object per policy rule and one result per violation, each with a file location', () => {
    const run = sarif.runs[0];
    expect(run.tool.driver.name).toBe('imgslim');
    expect(run.tool.driver.rules.map((rule: { id: string }) => rule.id)).toEqual(['entrypoint-static', 'no-missing-deps', 'max-size', 'require-canary', 'no-setuid']);
    expect(run.tool.driver.rules[2]).toMatchObject({
      shortDescription: { text: 'The image is no larger than the limit' },
      defaultConfiguration: { level: 'warning', enabled: true },
    });
    expect(run.tool.driver.rules[3].defaultConfiguration.enabled).toBe(false);
    const results = run.results as Array<Record<string, any>>;
    expect(results.map((r) => [r.ruleId, r.ruleIndex, r.level, r.locations[0].physicalLocation.artifactLocation.uri])).toEqual([
      ['entrypoint-static', 0, 'error', 'app/server'],
      ['max-size', 2, 'warning', 'image.tar'],
      ['no-setuid', 4, 'error', 'opt/odd%20%3Cname%3E%20%26%20%22quotes%22%2C%20100%25%3A%20yes'],
      ['no-setuid', 4, 'error', 'bin/su'],
    ]);
    // GitHub code scanning requirements: message text, a region start line, stable fingerprints.
    for (const result of results) {
      expect(result.message.text).not.toBe('');
      expect(result.locations[0].physicalLocation.region.startLine).toBe(1);
      expect(result.partialFingerprints.primaryLocationLineHash).toMatch(/^[0-9a-f]{64}$/);
    }
    expect(decodeURIComponent(results[2]!.locations[0].physicalLocation.artifactLocation.uri)).toBe('opt/odd <name> & "quotes", 100%: yes');
  });

  test('fingerprints do not change with figures or tags', () => {
    const first = sampleResult();
    const second = sampleResult();
    second.image.reference = 'example/app:2.0';
    second.results[2]!.violations[0]!.message = 'the image is too large: 3 MB';
    const hashes = (result: CheckResult) =>
      JSON.parse(renderCheckResult(result, 'sarif')).runs[0].results.map((r: any) => r.partialFingerprints.primaryLocationLineHash);
    expect(hashes(second)).toEqual(hashes(first));
  });
});

describe('junit', () => {
  test('well-formed XML with one testcase per rule and the right counts', () => {
    const xml = renderCheckResult(sampleResult(), 'junit');
    const script = `
import sys, json, xml.dom.minidom as m
d = m.parseString(sys.stdin.buffer.read())
suites = d.documentElement
suite = suites.getElementsByTagName('testsuite')[0]
cases = suite.getElementsByTagName('testcase')
print(json.dumps({
  'root': suites.tagName,
  'totals': [suites.getAttribute(k) for k in ('tests', 'failures', 'errors', 'skipped')],
  'suite': [suite.getAttribute(k) for k in ('tests', 'failures', 'errors', 'skipped')],
  'cases': [[c.getAttribute('name'), [e.tagName for e in c.childNodes if e.nodeType == 1]] for c in cases],
  'failure': cases[4].getElementsByTagName('failure')[0].firstChild.data,
}))`;
    const parsed = spawnSync('/usr/bin/python3', ['-c', script], { input: xml });
    expect(parsed.stderr.toString()).toBe('');
    const facts = JSON.parse(parsed.stdout.toString());
    expect(facts.root).toBe('testsuites');
    expect(facts.totals).toEqual(['5', '2', '0', '1']);
    expect(facts.suite).toEqual(['5', '2', '0', '1']);
    expect(facts.cases).toEqual([
      ['entrypoint-static', ['failure']],
      ['no-missing-deps', ['system-out']],
      ['max-size', ['system-out']],
      ['require-canary', ['skipped']],
      ['no-setuid', ['failure']],
    ]);
    expect(facts.failure).toContain('/opt/odd <name> & "quotes", 100%: yes is setuid root');
    expect(facts.failure).toContain('note: ignore of /bin/su expired on 2000-01-01');
  });

  test('characters XML cannot carry are replaced', () => {
    const result = sampleResult();
    result.results[0]!.violations[0]!.message = 'bad \u0001 byte \uD800 here';
    const xml = renderCheckResult(result, 'junit');
    expect(xml).toContain('bad \uFFFD byte \uFFFD here');
  });
});

describe('github', () => {
  test('escaping follows @actions/core: data escapes %, CR, LF; properties also : and ,', () => {
    expect(escapeData('100% done\r\nnext: a,b')).toBe('100%25 done%0D%0Anext: a,b');
    expect(escapeProperty('100% done\r\nnext: a,b')).toBe('100%25 done%0D%0Anext%3A a%2Cb');
  });

  test('one annotation per failing or warning rule, one per expired ignore, then the text report', () => {
    const output = renderCheckResult(sampleResult(), 'github');
    const annotations = output.split('\n').filter((line) => line.startsWith('::'));
    expect(annotations).toEqual([
      '::error title=imgslim check%3A entrypoint-static%3A 1 violation::The entrypoint binary is statically linked (entrypoint-static):%0A/app/server NEEDED libc.so.6 via PT_INTERP /lib64/ld-linux-x86-64.so.2',
      '::warning title=imgslim check%3A max-size%3A 1 violation::The image is no larger than the limit (max-size 1MB):%0Athe image is too large: uncompressed size of all layers is 2.50 MB (2,500,000 bytes), above 1MB (1,000,000 bytes)',
      '::error title=imgslim check%3A no-setuid%3A 2 violations (1 ignored)::No setuid or setgid files (no-setuid):%0A/opt/odd <name> & "quotes", 100%25: yes is setuid root (mode 4755, owner 0:0)%0A/bin/su is setuid root (mode 4755, owner 0:0)',
      '::warning title=imgslim check%3A no-setuid ignore::ignore of /bin/su expired on 2000-01-01 and no longer applies (1 violation no longer ignored): temporary',
    ]);
    expect(output).toContain('Result: FAIL [pass:1 fail:2 warn:1 skip:1]');
    // Every annotation is a single line: newlines inside messages are escaped.
    for (const line of annotations) expect(line).not.toMatch(/[\r]/);
  });
});

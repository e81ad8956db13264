import { Value } from '@sinclair/typebox/value';
import { describe, expect, test } from 'vitest';
import {
  configurePolicy,
  mergeSettings,
  parsePolicyDocument,
  parseRuleArgument,
  parseYaml,
  PolicySchema,
  RULE_NAMES,
} from '../../src/policy/index.js';
import { UsageError } from '../../src/shared/errors.js';

function load(document: unknown) {
  return configurePolicy(mergeSettings([parsePolicyDocument(document, 'p.yaml')], []), ['p.yaml']);
}

function loadError(document: unknown): UsageError {
  try {
    load(document);
  } catch (error) {
    expect(error).toBeInstanceOf(UsageError);
    return error as UsageError;
  }
  throw new Error('expected a UsageError');
}

const FULL_POLICY = `# every rule, in every form
version: 1
rules:
  entrypoint-static: true
  no-dynamic:
    paths: ["/app/**"]
    severity: warning
  libc: [musl, none]
  max-glibc: "2.31"
  no-missing-deps: true
  go-cgo-disabled: true
  max-size:
    value: 50MB
    measure: compressed
  lowest-efficiency: 0.95
  highest-wasted-bytes: 20MB
  highest-user-wasted-percent: disabled
  require-pie: { enabled: true, severity: warning }
  require-relro: full
  require-nx: true
  require-canary: false
  no-textrel: true
  no-wx: true
  no-rpath: true
  no-insecure-rpath: true
  no-setuid:
    ignore:
      - path: /usr/bin/passwd
        reason: users change their passwords
        expires: 2026-12-31
      - path: /bin/su
        reason: needed by the entrypoint script
  no-world-writable: true
  no-capabilities: true
  non-root-user: true
`;

describe('policy documents', () => {
  test('a policy using every rule and form loads, in catalog order', () => {
    const policy = load(parseYaml(FULL_POLICY, 'p.yaml'));
    expect(policy.rules.map((rule) => rule.settings.rule)).toEqual(RULE_NAMES);
    const byName = Object.fromEntries(policy.rules.map((rule) => [rule.settings.rule, rule]));
    expect(byName['no-dynamic']!.settings).toMatchObject({ severity: 'warning', paths: ['/app/**'] });
    expect(byName['max-size']!.configured?.display).toBe('50MB (compressed)');
    expect(byName['highest-user-wasted-percent']!.configured).toBeNull();
    expect(byName['require-canary']!.settings.enabled).toBe(false);
    expect(byName['no-setuid']!.settings.ignore).toEqual([
      { path: '/usr/bin/passwd', reason: 'users change their passwords', expires: '2026-12-31' },
      { path: '/bin/su', reason: 'needed by the entrypoint script', expires: null },
    ]);
  });

  test('the JSON Schema accepts the same policy', () => {
    const document = parseYaml(FULL_POLICY.replace('lowest-efficiency: 0.95', 'lowest-efficiency: "0.95"'), 'p.yaml');
    expect([...Value.Errors(PolicySchema, document)]).toEqual([]);
  });

  test('YAML numbers keep their text: max-glibc 2.30 is not 2.3', () => {
    const policy = load(parseYaml('rules:\n  max-glibc: 2.30\n  lowest-efficiency: 0.90\n', 'p.yaml'));
    expect(policy.rules.map((rule) => rule.configured?.display)).toEqual(['2.30', '0.9']);
  });

  test('JSON numbers for max-glibc are refused with the reason', () => {
    expect(loadError({ rules: { 'max-glibc': 2.3 } }).message).toBe(
      'p.yaml: rules.max-glibc: must be a quoted version string such as "2.31": as a number, 2.30 would read as 2.3 (got 2.3)',
    );
  });

  test('an unknown rule names the key, suggests the closest and lists the rules', () => {
    const error = loadError({ rules: { 'no-dynamc': true } });
    expect(error.exitCode).toBe(2);
    expect(error.message).toBe(`p.yaml: rules: unknown rule 'no-dynamc' (did you mean 'no-dynamic'?); the rules are: ${RULE_NAMES.join(', ')}`);
  });

  test.each([
    [{ rules: { 'require-relro': 'strong' } }, "p.yaml: rules.require-relro: must be one of full, partial (got 'strong')"],
    [{ rules: { 'max-size': 'huge' } }, `p.yaml: rules.max-size: must be a size such as "50MB" (decimal), "20MiB" (binary) or a byte count (got 'huge')`],
    [{ rules: { 'lowest-efficiency': '1.2' } }, "p.yaml: rules.lowest-efficiency: must be between 0 and 1 (got '1.2')"],
    [{ rules: { libc: ['musl', 'bionic'] } }, 'p.yaml: rules.libc: must be a list of none, musl, glibc (got ["musl","bionic"])'],
    [{ rules: { 'no-setuid': 'sometimes' } }, "p.yaml: rules.no-setuid: must be true or false (got 'sometimes')"],
    [{ rules: { 'no-setuid': { severity: 'fatal' } } }, "p.yaml: rules.no-setuid.severity: must be one of error, warning (got 'fatal')"],
    [{ rules: { 'no-setuid': { ignored: [] } } }, "p.yaml: rules.no-setuid: unknown key 'ignored'; allowed: enabled, severity, ignore, paths"],
    [{ rules: { 'no-setuid': { ignore: [{ path: '/bin/su' }] } } }, 'p.yaml: rules.no-setuid.ignore[0].reason: must say why the path is exempt'],
    [
      { rules: { 'no-setuid': { ignore: [{ path: '/bin/su', reason: 'x', expires: '31/12/2026' }] } } },
      "p.yaml: rules.no-setuid.ignore[0].expires: must be a date YYYY-MM-DD (got '31/12/2026')",
    ],
    [{ rules: { 'no-setuid': { ignore: [{ path: '/bin/[su', reason: 'x' }] } } }, "p.yaml: rules.no-setuid.ignore[0].path: unclosed '[' in path glob '/bin/[su'"],
    [
      { rules: { 'max-size': { value: '1GB', ignore: [] } } },
      "p.yaml: rules.max-size: unknown key 'ignore' (this rule is about the whole image, not files: use severity: warning to relax it); allowed: enabled, value, severity, measure",
    ],
    [{ rules: { 'max-size': { severity: 'warning' } } }, 'p.yaml: rules.max-size: needs a \'value:\' (a size such as "50MB" or "48MiB")'],
    [{ rules: { 'max-size': { value: '1GB', measure: 'zipped' } } }, "p.yaml: rules.max-size.measure: must be one of uncompressed, compressed, filesystem (got 'zipped')"],
    [{ rules: { 'no-dynamic': { paths: [] } } }, 'p.yaml: rules.no-dynamic.paths: must be a list of path globs such as [\'/app/**\'] (got [])'],
    [{ rule: {} }, "p.yaml: unknown key 'rule' (allowed: rules, version, $schema)"],
    [{ rules: ['no-setuid'] }, 'p.yaml: rules: must be a mapping of rule name → setting (got ["no-setuid"])'],
    [{ version: 2, rules: {} }, 'p.yaml: version: this imgslim reads policy version 1 (got 2)'],
    ['rules', "p.yaml: a policy is a mapping with a 'rules:' key (got 'rules')"],
  ])('%j → %s', (document, message) => {
    expect(loadError(document).message).toBe(message);
  });

  test('the JSON Schema rejects what the loader rejects', () => {
    const invalid = [
      { rules: { 'no-dynamc': true } },
      { rules: { 'require-relro': 'strong' } },
      { rules: { 'max-size': 'huge' } },
      { rules: { 'lowest-efficiency': '1.2' } },
      { rules: { 'lowest-efficiency': 1.2 } },
      { rules: { libc: ['musl', 'bionic'] } },
      { rules: { 'max-glibc': 2.31 } },
      { rules: { 'no-setuid': { severity: 'fatal' } } },
      { rules: { 'no-setuid': { ignore: [{ path: '/bin/su' }] } } },
      { rules: { 'max-size': { value: '1GB', ignore: [] } } },
      { rules: { 'max-size': { severity: 'warning' } } },
      { rule: {} },
    ];
    for (const document of invalid) expect(Value.Check(PolicySchema, document), JSON.stringify(document)).toBe(false);
  });

  test('YAML syntax errors and duplicate keys say where', () => {
    expect(() => parseYaml('rules:\n  libc: [musl\n', 'p.yaml')).toThrow(/^p\.yaml: not valid YAML at line \d+, column \d+: /);
    expect(() => parseYaml('rules:\n  libc: musl\n  libc: none\n', 'p.yaml')).toThrow(/not valid YAML at line 3.*unique/i);
  });
});

describe('--rule overrides', () => {
  test('flag rules need no value; value rules do', () => {
    expect(parseRuleArgument('entrypoint-static')).toEqual({ rule: 'entrypoint-static', value: true, argument: 'entrypoint-static' });
    expect(parseRuleArgument('require-pie=off').value).toBe(false);
    expect(parseRuleArgument('libc=musl,none').value).toBe('musl,none');
    expect(() => parseRuleArgument('libc')).toThrow('--rule libc needs a value: --rule libc=VALUE, VALUE being a list of none, musl, glibc (comma-separated on the command line)');
    expect(() => parseRuleArgument('require-pie=maybe')).toThrow("--rule require-pie=maybe: must be true or false (got 'maybe')");
    expect(() => parseRuleArgument('no-such-rule')).toThrow(/^--rule: unknown rule 'no-such-rule'; the rules are: entrypoint-static, /);
  });

  test('an override replaces the value and keeps the file’s severity and ignores', () => {
    const file = parsePolicyDocument({ rules: { libc: { value: 'glibc', severity: 'warning' }, 'no-setuid': true } }, 'p.yaml');
    const merged = mergeSettings([file], [parseRuleArgument('libc=musl,none'), parseRuleArgument('no-setuid=off'), parseRuleArgument('require-nx')]);
    expect(merged.map((s) => [s.rule, s.enabled, s.value, s.severity, s.source])).toEqual([
      ['libc', true, 'musl,none', 'warning', '--rule'],
      ['require-nx', true, true, 'error', '--rule'],
      ['no-setuid', false, false, 'error', '--rule'],
    ]);
  });

  test('a bad override value is reported against --rule', () => {
    const merged = mergeSettings([], [parseRuleArgument('max-size=lots')]);
    expect(() => configurePolicy(merged, ['--rule max-size=lots'])).toThrow(/^--rule max-size: must be a size/);
  });
});

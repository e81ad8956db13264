/** `imgslim check --report`: exit codes, policy sources, outputs, all in-process on saved reports. */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { Ajv } from 'ajv';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { loadPolicy, parseYaml } from '../../src/policy/index.js';
import { repoRoot } from '../helpers/peer-corpus.js';
import { makeBinary, makeDynamicGlibcBinary, makeEfficiencyReport, makeReport } from '../policy/fixtures.js';
import { sarifValidator } from '../policy/sarif.js';
import { runCliInProcess } from '../helpers/cli.js';
import { testTmp } from '../helpers/tools.js';

let dir = '';

beforeAll(() => {
  mkdirSync(testTmp('policy'), { recursive: true });
  dir = mkdtempSync(testTmp('policy', 'cli-'));
  writeFileSync(path.join(dir, 'static.json'), JSON.stringify(makeReport({ binaries: [makeBinary()] })));
  writeFileSync(path.join(dir, 'dynamic.json'), JSON.stringify(makeReport({ binaries: [makeDynamicGlibcBinary()] })));
  writeFileSync(path.join(dir, 'wasteful.json'), JSON.stringify(makeEfficiencyReport({ score: 0.95, wastedBytes: 20_000_001, userWastedPercent: 0.1 })));
  writeFileSync(path.join(dir, 'not-a-report.json'), JSON.stringify({ hello: 'world' }));
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

function check(args: string[], cwd = dir) {
  return runCliInProcess(['check', ...args], { cwd });
}

describe('exit codes', () => {
  test('a static entrypoint passes entrypoint-static (0); a dynamic one fails it (1)', async () => {
    const passed = await check(['--report', 'static.json', '--rule', 'entrypoint-static']);
    expect(passed.code).toBe(0);
    expect(passed.stdout).toContain('PASS  entrypoint-static: /app/server has no PT_INTERP and no NEEDED');
    const failed = await check(['--report', 'dynamic.json', '--rule', 'entrypoint-static']);
    expect(failed.code).toBe(1);
    expect(failed.stdout).toContain('FAIL  entrypoint-static: 1 violation\n        /app/server NEEDED libc.so.6 via PT_INTERP /lib64/ld-linux-x86-64.so.2');
    expect(failed.stdout).toContain('Result: FAIL [fail:1]');
  });

  test('max-glibc fails on a binary needing a newer version', async () => {
    const result = await check(['--report', 'dynamic.json', '--rule', 'max-glibc=2.31']);
    expect(result.code).toBe(1);
    expect(result.stdout).toContain('/app/server needs GLIBC_2.34 from libc.so.6 (above GLIBC_2.31)');
    expect((await check(['--report', 'dynamic.json', '--rule', 'max-glibc=2.34'])).code).toBe(0);
  });

  test('a warning rule reports and passes (0)', async () => {
    writeFileSync(path.join(dir, 'warn.yaml'), 'rules:\n  entrypoint-static:\n    severity: warning\n');
    const result = await check(['--report', 'dynamic.json', '--policy', 'warn.yaml']);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('WARN  entrypoint-static [warning]: 1 violation');
  });

  test('an unknown rule in a policy file is exit 2 and names the key', async () => {
    writeFileSync(path.join(dir, 'typo.yaml'), 'rules:\n  entrypoint-statc: true\n');
    const result = await check(['--report', 'static.json', '--policy', 'typo.yaml']);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/^imgslim: typo\.yaml: rules: unknown rule 'entrypoint-statc' \(did you mean 'entrypoint-static'\?\); the rules are: /);
    expect(result.stdout).toBe('');
  });

  test('a bad value on the command line is exit 2; the policy is checked before the image is read', async () => {
    const result = await check(['missing-image.tar', '--rule', 'max-size=big']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("imgslim: --rule max-size: must be a size such as \"50MB\" (decimal), \"20MiB\" (binary) or a byte count (got 'big')");
  });

  test.each([
    [['--report', 'static.json', '--format', 'xml'], 'check: --format must be one of text, json, sarif, junit, github'],
    [[], 'check: expected one IMAGE (or --report FILE), got 0'],
    [['image.tar', '--report', 'static.json'], 'check: give either IMAGE or --report FILE, not both'],
    [['--report', 'static.json', '--policy', 'nope.yaml'], 'cannot read --policy nope.yaml: no such file or directory'],
    [['--report', 'static.json', '--bogus'], "check: Unknown option '--bogus'"],
  ])('usage errors are exit 2: %j', async (args, message) => {
    const result = await check(args);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(message);
  });

  test('a file that is not a report is exit 3', async () => {
    const result = await check(['--report', 'not-a-report.json', '--rule', 'no-setuid']);
    expect(result.code).toBe(3);
    expect(result.stderr).toContain('not-a-report.json is not an imgslim report');
  });

  test('--help documents the exit codes and every rule', async () => {
    const result = await runCliInProcess(['check', '--help']);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('1   check: a policy rule failed');
    expect(result.stdout).toContain('4   integrity failure');
    for (const rule of ['entrypoint-static', 'highest-user-wasted-percent', 'non-root-user']) expect(result.stdout).toContain(`  ${rule}`);
  });
});

describe('policy sources', () => {
  test('imgslim.policy.yaml in the working directory is used by default', async () => {
    const project = mkdtempSync(path.join(dir, 'project-'));
    writeFileSync(path.join(project, 'imgslim.policy.yaml'), 'rules:\n  libc: [musl, none]\n');
    const result = await check(['--report', path.join(dir, 'dynamic.json')], project);
    expect(result.code).toBe(1);
    expect(result.stdout).toContain('policy: imgslim.policy.yaml\n');
    expect(result.stdout).toContain('FAIL  libc (musl, none): 1 violation');
  });

  test('without any policy the default is no-missing-deps, with a notice on stderr', async () => {
    const result = await check(['--report', 'dynamic.json']);
    expect(result.code).toBe(0);
    expect(result.stderr).toContain('using the default policy (no-missing-deps)');
    expect(result.stdout).toContain('policy: default\n');
    expect(result.stdout).toContain('PASS  no-missing-deps');
  });

  test('--rule overrides the file; JSON policy files work too', async () => {
    writeFileSync(path.join(dir, 'policy.json'), JSON.stringify({ rules: { libc: { value: ['glibc'], severity: 'warning' }, 'entrypoint-static': true } }));
    const result = await check(['--report', 'dynamic.json', '--policy', 'policy.json', '--rule', 'libc=musl', '--rule', 'entrypoint-static=off', '-f', 'json']);
    expect(result.code).toBe(0);
    const json = JSON.parse(result.stdout);
    expect(json.policy).toEqual(['policy.json', '--rule libc=musl', '--rule entrypoint-static=off']);
    expect(json.results.map((r: any) => [r.rule, r.status, r.severity, r.configuration, r.source])).toEqual([
      ['entrypoint-static', 'skip', 'error', 'disabled', '--rule'],
      ['libc', 'warn', 'warning', 'musl', '--rule'],
    ]);
  });

  test("--dive-ci reads dive's file: at the thresholds it passes, one byte over it fails", async () => {
    writeFileSync(path.join(dir, '.dive-ci'), 'rules:\n  lowestEfficiency: 0.95\n  highestWastedBytes: 20MB\n  highestUserWastedPercent: 0.1\n');
    const result = await check(['--report', 'wasteful.json', '--dive-ci', '.dive-ci']);
    expect(result.code).toBe(1);
    expect(result.stdout).toContain('PASS  lowest-efficiency (0.95): efficiency 0.95 ≥ 0.95');
    expect(result.stdout).toContain('FAIL  highest-wasted-bytes (20MB): 1 violation');
    expect(result.stdout).toContain('PASS  highest-user-wasted-percent (0.1)');
  });
});

describe('outputs', () => {
  test('--format sarif --output writes valid SARIF and keeps a text summary on stdout', async () => {
    const result = await check(['--report', 'dynamic.json', '--rule', 'entrypoint-static', '--rule', 'libc=musl', '-f', 'sarif', '-o', 'out.sarif']);
    expect(result.code).toBe(1);
    expect(result.stdout).toContain('Result: FAIL [fail:2]\nsarif results written to out.sarif\n');
    const sarif = JSON.parse(readFileSync(path.join(dir, 'out.sarif'), 'utf8'));
    const validate = sarifValidator();
    expect(validate(sarif), JSON.stringify(validate.errors)).toBe(true);
    expect(sarif.runs[0].results).toHaveLength(2);
  });

  test('junit and github formats go to stdout', async () => {
    const junit = await check(['--report', 'dynamic.json', '--rule', 'entrypoint-static', '-f', 'junit']);
    expect(junit.stdout).toMatch(/^<\?xml version="1.0" encoding="UTF-8"\?>\n<testsuites name="imgslim check" tests="1" failures="1"/);
    const github = await check(['--report', 'dynamic.json', '--rule', 'entrypoint-static', '-f', 'github']);
    expect(github.stdout.split('\n')[0]).toBe(
      '::error title=imgslim check%3A entrypoint-static%3A 1 violation::The entrypoint binary is statically linked (entrypoint-static):%0A/app/server NEEDED libc.so.6 via PT_INTERP /lib64/ld-linux-x86-64.so.2',
    );
  });
});

describe('the policy schema and the documented example', () => {
  test('`imgslim schema policy` prints a draft-07 schema that accepts docs/ci.md’s example, which loads', async () => {
    const printed = await runCliInProcess(['schema', 'policy']);
    expect(printed.code).toBe(0);
    const schema = JSON.parse(printed.stdout);
    expect(Object.keys(schema.properties.rules.properties)).toContain('highest-user-wasted-percent');
    const docs = readFileSync(path.join(repoRoot, 'docs', 'ci.md'), 'utf8');
    const example = /```yaml\n(# imgslim\.policy\.yaml\n[\s\S]*?)```/.exec(docs)?.[1];
    expect(example).toBeDefined();
    const validate = new Ajv({ strict: false }).compile(schema);
    const document = parseYaml(example!, 'docs/ci.md');
    expect(validate(document), JSON.stringify(validate.errors)).toBe(true);
    writeFileSync(path.join(dir, 'docs-example.yaml'), example!);
    const { policy } = await loadPolicy({ cwd: dir, policyFile: 'docs-example.yaml' });
    expect(policy.rules).toHaveLength(13);
    expect(policy.rules.filter((rule) => rule.configured === null).map((rule) => rule.settings.rule)).toEqual(['highest-user-wasted-percent']);
  });
});

import { describe, expect, test } from 'vitest';
import { configurePolicy, evaluatePolicy, parseDiveCiDocument, parseYaml } from '../../src/policy/index.js';
import { makeEfficiencyReport } from './fixtures.js';

/** dive's own sample (wagoodman/dive .data/.dive-ci), including its plugin keys dive ignores. */
const DIVE_SAMPLE = `---
plugins:
  - plugin1

rules:
  # If the efficiency is measured below X%, mark as failed.
  lowestEfficiency: 0.95
  highestWastedBytes: 20Mb
  highestUserWastedPercent: 0.10
  plugin1/rule1: error
`;

function settings(text: string) {
  return parseDiveCiDocument(parseYaml(text, '.dive-ci'), '.dive-ci');
}

describe('.dive-ci', () => {
  test("dive's sample file gives its three rules", () => {
    expect(settings(DIVE_SAMPLE).map((s) => [s.rule, s.enabled, s.value, s.source])).toEqual([
      ['lowest-efficiency', true, '0.95', '--dive-ci .dive-ci'],
      ['highest-wasted-bytes', true, '20Mb', '--dive-ci .dive-ci'],
      ['highest-user-wasted-percent', true, '0.10', '--dive-ci .dive-ci'],
    ]);
  });

  test("missing keys take dive's defaults (0.9, disabled, 0.1), as dive applies them", () => {
    expect(settings('rules:\n  lowestEfficiency: 0.99\n').map((s) => [s.rule, s.enabled, s.value])).toEqual([
      ['lowest-efficiency', true, '0.99'],
      ['highest-wasted-bytes', false, 'disabled'],
      ['highest-user-wasted-percent', true, '0.1'],
    ]);
    expect(settings('').map((s) => s.value)).toEqual(['0.9', 'disabled', '0.1']);
  });

  test("dive's disabled words and v0.13 kebab-case keys", () => {
    const parsed = settings('rules:\n  lowest-efficiency-threshold: "off"\n  highest-wasted-bytes: 1GB\n  highestUserWastedPercent: false\n');
    expect(parsed.map((s) => [s.rule, s.enabled, s.value])).toEqual([
      ['lowest-efficiency', false, 'off'],
      ['highest-wasted-bytes', true, '1GB'],
      ['highest-user-wasted-percent', false, false],
    ]);
  });

  test('invalid values are usage errors naming dive’s key', () => {
    expect(() => settings('rules:\n  highestWastedBytes: lots\n')).toThrow(/^\.dive-ci: rules\.highestWastedBytes: must be a size/);
    expect(() => settings('rules:\n  lowestEfficiency: 1.5\n')).toThrow(".dive-ci: rules.lowestEfficiency: must be between 0 and 1 (got '1.5')");
  });

  test('the sample evaluates like dive at its thresholds', () => {
    const policy = configurePolicy(settings(DIVE_SAMPLE), ['--dive-ci .dive-ci']);
    const atThresholds = evaluatePolicy(makeEfficiencyReport({ score: 0.95, wastedBytes: 20_000_000, userWastedPercent: 0.1 }), policy);
    expect(atThresholds.results.map((r) => r.status)).toEqual(['pass', 'pass', 'pass']);
    const justOver = evaluatePolicy(makeEfficiencyReport({ score: 0.9499, wastedBytes: 20_000_001, userWastedPercent: 0.1001 }), policy);
    expect(justOver.results.map((r) => r.status)).toEqual(['fail', 'fail', 'fail']);
  });
});

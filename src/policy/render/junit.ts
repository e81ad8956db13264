/**
 * JUnit XML (the dialect GitLab's `artifacts:reports:junit` and Jenkins' junit step read): one
 * testcase per rule; a failed rule carries its violations in <failure>, a warning rule in
 * <system-out>, a disabled rule is <skipped>.
 */
import type { CheckResult, RuleResult } from '../result-schema.js';
import { describeImage } from './text.js';

/** Removes characters XML 1.0 cannot carry, then escapes markup. */
export function xmlEscape(text: string): string {
  return text
    .replace(/[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu, '\uFFFD')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;');
}

function attributes(values: Record<string, string | number>): string {
  return Object.entries(values)
    .map(([key, value]) => ` ${key}="${xmlEscape(String(value))}"`)
    .join('');
}

export function renderJunit(result: CheckResult): string {
  const totals = {
    tests: result.results.length,
    failures: result.counts.fail,
    errors: 0,
    skipped: result.counts.skip,
    time: 0,
  };
  const suiteName = `imgslim check ${describeImage(result)}`;
  const properties = [
    ['image', result.image.path],
    ['reference', result.image.reference ?? ''],
    ['platform', result.image.platform],
    ['manifestDigest', result.image.manifestDigest],
    ['policy', result.policy.join(', ')],
  ].map(([name, value]) => `      <property${attributes({ name: name!, value: value! })}/>`);
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites${attributes({ name: 'imgslim check', ...totals })}>`,
    `  <testsuite${attributes({ name: suiteName, ...totals })}>`,
    '    <properties>',
    ...properties,
    '    </properties>',
    ...result.results.flatMap(testcase),
    '  </testsuite>',
    '</testsuites>',
    '',
  ].join('\n');
}

function testcase(rule: RuleResult): string[] {
  const open = `    <testcase${attributes({ classname: 'imgslim.check', name: rule.rule, time: 0 })}>`;
  const details = [
    ...rule.violations.map((violation) => violation.message),
    ...rule.ignored.map((ignored) => `ignored: ${ignored.message} (${ignored.reason}${ignored.expires ? `, until ${ignored.expires}` : ''})`),
    ...rule.notices.map((notice) => `note: ${notice}`),
  ];
  const header = `${rule.title} [${rule.rule}${rule.configuration === 'enabled' ? '' : ` ${rule.configuration}`}, severity ${rule.severity}]: ${rule.message}`;
  const body = xmlEscape([header, ...details].join('\n'));
  switch (rule.status) {
    case 'fail':
      return [open, `      <failure${attributes({ message: rule.message, type: rule.rule })}>${body}</failure>`, '    </testcase>'];
    case 'skip':
      return [open, `      <skipped${attributes({ message: rule.message })}/>`, '    </testcase>'];
    default:
      return [open, `      <system-out>${body}</system-out>`, '    </testcase>'];
  }
}

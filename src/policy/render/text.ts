/** The plain-text check report (dive's CI layout): one line per rule, then its violations. */
import type { CheckResult, RuleResult } from '../result-schema.js';

const LABELS: Record<RuleResult['status'], string> = { pass: 'PASS', fail: 'FAIL', warn: 'WARN', skip: 'SKIP' };

/** What a word of the report means, for a caller that colours it (the CLI on a terminal). */
export type CheckTone = 'ok' | 'error' | 'warning' | 'muted';

export interface TextOptions {
  /** Violations listed per rule before "… and N more" (default 25). */
  maxViolations?: number;
  /** Styles the status words and the verdict (default: plain text). */
  paint?: (text: string, tone: CheckTone) => string;
}

const TONES: Record<RuleResult['status'], CheckTone> = { pass: 'ok', fail: 'error', warn: 'warning', skip: 'muted' };
const plain = (text: string): string => text;

export function renderCheckText(result: CheckResult, options: TextOptions = {}): string {
  const limit = options.maxViolations ?? 25;
  const lines = [`imgslim check: ${describeImage(result)}`, `policy: ${result.policy.join(', ')}`, ''];
  const paint = options.paint ?? plain;
  for (const rule of result.results) lines.push(...ruleLines(rule, limit, paint));
  lines.push('', summaryLine(result, paint));
  return `${lines.join('\n')}\n`;
}

export function describeImage(result: CheckResult): string {
  const { path, reference, platform } = result.image;
  return reference && reference !== path ? `${reference} (${path}, ${platform})` : `${path} (${platform})`;
}

/** `Result: FAIL [pass:3 fail:1 warn:1 skip:1]`, like dive's summary. */
export function summaryLine(result: CheckResult, paint: TextOptions['paint'] = plain): string {
  const parts = (['pass', 'fail', 'warn', 'skip'] as const).filter((key) => result.counts[key] > 0).map((key) => `${key}:${result.counts[key]}`);
  return `Result: ${paint(result.passed ? 'PASS' : 'FAIL', result.passed ? 'ok' : 'error')} [${parts.join(' ') || 'no rules'}]`;
}

function ruleLines(rule: RuleResult, limit: number, paint: NonNullable<TextOptions['paint']>): string[] {
  const configuration = rule.configuration === 'enabled' || rule.status === 'skip' ? '' : ` (${rule.configuration})`;
  const severity = rule.severity === 'warning' && rule.status !== 'skip' ? ' [warning]' : '';
  const lines = [`  ${paint(LABELS[rule.status], TONES[rule.status])}  ${rule.rule}${configuration}${severity}: ${rule.message}`];
  const indent = '        ';
  for (const violation of rule.violations.slice(0, limit)) lines.push(`${indent}${violation.message}`);
  if (rule.violations.length > limit) lines.push(`${indent}… and ${rule.violations.length - limit} more (--format json lists them all)`);
  for (const ignored of rule.ignored.slice(0, limit)) {
    const until = ignored.expires ? `, until ${ignored.expires}` : '';
    lines.push(`${indent}ignored: ${ignored.message} (${ignored.reason}${until})`);
  }
  if (rule.ignored.length > limit) lines.push(`${indent}… and ${rule.ignored.length - limit} more ignored`);
  for (const notice of rule.notices) lines.push(`${indent}note: ${notice}`);
  return lines;
}

/**
 * The Check section (a `check` run on a terminal): the verdict, then one line per rule with its
 * status as dive's CI prints it, each violation under its rule. Enter on a violation's line
 * shows its file in the Files tree.
 */
import type { CheckView, Line, Tone } from '../types.js';
import type { SectionView } from './sections.js';

const STATUS: Record<CheckView['results'][number]['status'], { label: string; tone: Tone }> = {
  pass: { label: 'PASS', tone: 'ok' },
  fail: { label: 'FAIL', tone: 'error' },
  warn: { label: 'WARN', tone: 'warning' },
  skip: { label: 'SKIP', tone: 'muted' },
};

/** `Result: FAIL [pass:3 fail:1 warn:1]`, as the text report ends. */
export function checkVerdict(check: CheckView): string {
  const parts = (['pass', 'fail', 'warn', 'skip'] as const).filter((key) => check.counts[key] > 0).map((key) => `${key}:${check.counts[key]}`);
  return `Result: ${check.passed ? 'PASS' : 'FAIL'} [${parts.join(' ') || 'no rules'}]`;
}

export function checkSection(check: CheckView): SectionView {
  const lines: Line[] = [];
  const full: string[] = [];
  const paths: Array<string | null> = [];
  const add = (line: Line, text: string, path: string | null = null) => {
    lines.push(line); // cut at the terminal edge; the footer shows it whole
    full.push(text);
    paths.push(path);
  };
  add([{ text: checkVerdict(check), tone: check.passed ? 'ok' : 'error', bold: true }], `${checkVerdict(check)} · policy: ${check.policy.join(', ')}`);
  for (const rule of check.results) {
    const status = STATUS[rule.status];
    const configuration = rule.configuration === 'enabled' || rule.status === 'skip' ? '' : ` (${rule.configuration})`;
    const text = `${rule.rule}${configuration}: ${rule.message}`;
    add([{ text: status.label, tone: status.tone, bold: rule.status === 'fail' }, { text: '  ' }, { text }], `${status.label} ${text}`);
    for (const violation of rule.violations) {
      add([{ text: '      ' }, { text: violation.message, tone: status.tone }], violation.message, violation.path);
    }
  }
  return {
    header: [{ text: `policy: ${check.policy.join(', ')}`, tone: 'muted' }],
    lines,
    selectable: true,
    describe: (index) => full[index] ?? null,
    activate: (index) => {
      const path = paths[index];
      return path ? { kind: 'reveal', path } : null;
    },
  };
}

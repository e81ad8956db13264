/**
 * GitHub Actions workflow commands: one `::error`/`::warning` annotation per rule that did not
 * pass (its violations as lines of the message: GitHub keeps only 10 error and 10 warning
 * annotations per step, so one per violation would lose most of them), one per expired
 * ignore, then the text report for the log. Escaping follows @actions/core (command.ts):
 * data escapes `%`, CR, LF; properties also `:` and `,`.
 */
import type { CheckResult, RuleResult } from '../result-schema.js';
import { renderCheckText } from './text.js';

const MAX_LINES = 50;

export function escapeData(text: string): string {
  return text.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

export function escapeProperty(text: string): string {
  return escapeData(text).replace(/:/g, '%3A').replace(/,/g, '%2C');
}

export function workflowCommand(command: 'error' | 'warning' | 'notice', properties: Record<string, string>, message: string): string {
  const props = Object.entries(properties)
    .map(([key, value]) => `${key}=${escapeProperty(value)}`)
    .join(',');
  return `::${command}${props ? ` ${props}` : ''}::${escapeData(message)}`;
}

export function renderGithubAnnotations(result: CheckResult): string {
  const lines: string[] = [];
  for (const rule of result.results) {
    if (rule.status === 'fail' || rule.status === 'warn') {
      lines.push(workflowCommand(rule.status === 'fail' ? 'error' : 'warning', { title: `imgslim check: ${rule.rule}: ${rule.message}` }, ruleMessage(rule)));
    }
    for (const notice of rule.notices) {
      const expired = notice.includes(' expired on ');
      lines.push(workflowCommand(expired ? 'warning' : 'notice', { title: `imgslim check: ${rule.rule} ignore` }, notice));
    }
  }
  return `${lines.join('\n')}${lines.length > 0 ? '\n' : ''}${renderCheckText(result)}`;
}

function ruleMessage(rule: RuleResult): string {
  const messages = rule.violations.map((violation) => violation.message);
  const shown = messages.slice(0, MAX_LINES);
  if (messages.length > MAX_LINES) shown.push(`… and ${messages.length - MAX_LINES} more`);
  return `${rule.title} (${rule.rule}${rule.configuration === 'enabled' ? '' : ` ${rule.configuration}`}):\n${shown.join('\n')}`;
}

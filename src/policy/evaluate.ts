/**
 * Evaluates a policy over a Report: each rule's violations, narrowed to its `paths:` scope,
 * minus those an unexpired `ignore` entry waives. A failed gate is a result, not an error.
 */
import type { Report } from '../report/index.js';
import { VERSION } from '../shared/version.js';
import { compileGlob, type PathMatcher } from '../shared/glob/index.js';
import type { CheckResult, IgnoredViolation, RuleResult, Violation } from './result-schema.js';
import { collapseHardLinks } from './hard-links.js';
import type { IgnoreEntry, Policy, RawViolation } from './types.js';

export interface EvaluateOptions {
  /** Today as `YYYY-MM-DD` (UTC), for ignore expiry; defaults to the clock. */
  today?: string;
}

export function evaluatePolicy(report: Report, policy: Policy, options: EvaluateOptions = {}): CheckResult {
  const today = options.today ?? new Date().toISOString().slice(0, 10);
  const results = policy.rules.map((entry) => evaluateRule(report, entry, today));
  const counts = { pass: 0, fail: 0, warn: 0, skip: 0 };
  for (const result of results) counts[result.status]++;
  return {
    tool: { name: 'imgslim', version: VERSION },
    image: {
      path: report.source.path,
      reference: report.source.reference,
      platform: report.source.platform,
      manifestDigest: report.source.manifestDigest,
    },
    policy: policy.sources,
    passed: counts.fail === 0,
    counts,
    results,
  };
}

function evaluateRule(report: Report, entry: Policy['rules'][number], today: string): RuleResult {
  const { settings, definition, configured } = entry;
  const base = {
    rule: settings.rule,
    title: definition.title,
    severity: settings.severity,
    source: settings.source,
  };
  if (!configured) {
    return { ...base, status: 'skip', configuration: 'disabled', message: 'rule disabled', violations: [], ignored: [], notices: [] };
  }
  const scope = settings.paths.map(compileGlob);
  const found = configured
    .evaluate(report)
    .filter((raw) => raw.path === null || scope.length === 0 || scope.some((matches) => matches(raw.path!)))
    .map((raw) => toViolation(settings.rule, raw));
  const { active: activeNames, ignored, notices } = applyIgnores(found, settings.ignore, today);
  const active = collapseHardLinks(activeNames, report);
  const status = active.length === 0 ? 'pass' : settings.severity === 'error' ? 'fail' : 'warn';
  const scopeText = settings.paths.length > 0 ? ` under ${settings.paths.join(', ')}` : '';
  const ignoredText = ignored.length > 0 ? ` (${ignored.length} ignored)` : '';
  const message =
    active.length === 0
      ? `${configured.passMessage?.(report) ?? `no violations${scopeText}`}${ignoredText}`
      : `${active.length} violation${active.length === 1 ? '' : 's'}${scopeText}${ignoredText}`;
  return { ...base, status, configuration: configured.display, message, violations: active, ignored, notices };
}

function toViolation(rule: Violation['rule'], raw: RawViolation): Violation {
  return { rule, path: raw.path, message: raw.message, evidence: raw.evidence, key: raw.key ?? raw.path ?? rule };
}

function applyIgnores(
  violations: Violation[],
  ignores: IgnoreEntry[],
  today: string,
): { active: Violation[]; ignored: IgnoredViolation[]; notices: string[] } {
  const entries = ignores.map((ignore) => ({ ignore, matches: compileGlob(ignore.path) as PathMatcher, expired: ignore.expires !== null && ignore.expires < today, used: 0 }));
  const active: Violation[] = [];
  const ignored: IgnoredViolation[] = [];
  for (const violation of violations) {
    const matching = violation.path === null ? [] : entries.filter((entry) => entry.matches(violation.path!));
    matching.forEach((entry) => entry.used++);
    const waiver = matching.find((entry) => !entry.expired);
    if (waiver) ignored.push({ ...violation, ignoredBy: waiver.ignore.path, reason: waiver.ignore.reason, expires: waiver.ignore.expires });
    else active.push(violation);
  }
  const notices = entries.flatMap(({ ignore, expired, used }) => {
    if (expired) {
      const hits = used > 0 ? ` (${used} violation${used === 1 ? '' : 's'} no longer ignored)` : '';
      return [`ignore of ${ignore.path} expired on ${ignore.expires} and no longer applies${hits}: ${ignore.reason}`];
    }
    return used === 0 ? [`ignore of ${ignore.path} matched no violation: ${ignore.reason}`] : [];
  });
  return { active, ignored, notices };
}

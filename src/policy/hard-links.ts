/**
 * Hard links are one file under several names: the Report keeps a record per name (rules and
 * ignores match names), but a gate lists one violation per file. Violations of the same rule
 * that differ only in which name of the file they cite collapse into the first one listed, which
 * says how many other names share it.
 */
import type { Report } from '../report/index.js';
import type { Violation } from './result-schema.js';

export function collapseHardLinks(violations: Violation[], report: Report): Violation[] {
  const groupOf = new Map<string, string>();
  for (const binary of report.binaries) {
    if (binary.hardLinks.length === 0) continue;
    groupOf.set(binary.path, [binary.path, ...binary.hardLinks].sort()[0]!);
  }
  if (groupOf.size === 0) return violations;
  const kept = new Map<string, { violation: Violation; others: number }>();
  const result: Array<{ violation: Violation; others: number }> = [];
  for (const violation of violations) {
    const group = violation.path === null ? undefined : groupOf.get(violation.path);
    if (group === undefined) {
      result.push({ violation, others: 0 });
      continue;
    }
    const key = `${group}\u0000${violation.message.split(violation.path!).join('\u0001')}`;
    const first = kept.get(key);
    if (first) first.others++;
    else {
      const entry = { violation, others: 0 };
      kept.set(key, entry);
      result.push(entry);
    }
  }
  return result.map(({ violation, others }) =>
    others === 0 ? violation : { ...violation, message: `${violation.message} (the same file as ${others} other hard link${others === 1 ? '' : 's'})` },
  );
}

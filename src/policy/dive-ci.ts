/**
 * dive's own CI file (`.dive-ci`, read by `dive --ci --ci-config FILE`): its three rules under
 * `rules:` (`lowestEfficiency`, `highestWastedBytes`, `highestUserWastedPercent`, or dive
 * v0.13's kebab-case keys), with dive's defaults for keys the file leaves out (0.9, disabled,
 * 0.1: dive applies them too) and dive's words for a disabled rule. Other keys (dive plugins)
 * are ignored, as dive does.
 */
import { UsageError } from '../shared/errors.js';
import type { RuleName } from './result-schema.js';
import { ruleDefinition } from './rules/catalog.js';
import { isMapping } from './settings.js';
import type { RuleSettings } from './types.js';
import { isDisabledValue, ValueError } from './values.js';

const DIVE_RULES: Array<{ rule: RuleName; keys: string[]; fallback: string }> = [
  { rule: 'lowest-efficiency', keys: ['lowestEfficiency', 'lowest-efficiency-threshold', 'lowest-efficiency'], fallback: '0.9' },
  { rule: 'highest-wasted-bytes', keys: ['highestWastedBytes', 'highest-wasted-bytes'], fallback: 'disabled' },
  { rule: 'highest-user-wasted-percent', keys: ['highestUserWastedPercent', 'highest-user-wasted-percent'], fallback: '0.1' },
];

export function parseDiveCiDocument(document: unknown, file: string): RuleSettings[] {
  if (document !== null && document !== undefined && !isMapping(document)) {
    throw new UsageError(`${file}: a .dive-ci file is a mapping with a 'rules:' key`, { code: 'E_POLICY_VALUE' });
  }
  const top = document ?? {};
  const rules = isMapping(top.rules) ? top.rules : {};
  const source = `--dive-ci ${file}`;
  return DIVE_RULES.map(({ rule, keys, fallback }) => {
    const key = keys.find((candidate) => rules[candidate] !== undefined && rules[candidate] !== null) ?? keys.find((candidate) => top[candidate] != null);
    const value = key === undefined ? fallback : (rules[key] ?? top[key]);
    const settings: RuleSettings = { rule, enabled: !isDisabledValue(value), value, severity: 'error', ignore: [], paths: [], options: {}, source };
    if (settings.enabled) {
      try {
        ruleDefinition(rule).configure(value, {});
      } catch (error) {
        if (error instanceof ValueError) throw new UsageError(`${file}: rules.${key ?? keys[0]}: ${error.message}`, { code: 'E_POLICY_VALUE' });
        throw error;
      }
    }
    return settings;
  });
}

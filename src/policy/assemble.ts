/**
 * Builds the policy to evaluate: the policy file, then `--dive-ci`, then `--rule` overrides
 * (later wins; an override replaces the value and keeps the file's severity, ignore and paths),
 * each rule configured (its value parsed) so every mistake is reported before any image is read.
 */
import { UsageError } from '../shared/errors.js';
import { RULE_NAMES, type RuleName } from './result-schema.js';
import { isRuleName, ruleDefinition } from './rules/catalog.js';
import { unknownRule } from './settings.js';
import type { Policy, RuleSettings } from './types.js';
import { isDisabledValue, parseSwitch, ValueError } from './values.js';

/** `--rule NAME[=VALUE]` parsed: flag rules get a boolean, value rules the text after `=`. */
export interface RuleOverride {
  rule: RuleName;
  value: unknown;
  /** The argument as typed, for messages and the policy summary. */
  argument: string;
}

export function parseRuleArgument(argument: string): RuleOverride {
  const equals = argument.indexOf('=');
  const name = (equals === -1 ? argument : argument.slice(0, equals)).trim();
  const text = equals === -1 ? undefined : argument.slice(equals + 1);
  if (!isRuleName(name)) throw unknownRule(name, '--rule');
  const definition = ruleDefinition(name);
  if (definition.kind === 'flag') {
    if (text === undefined) return { rule: name, value: true, argument };
    try {
      return { rule: name, value: parseSwitch(text), argument };
    } catch (error) {
      throw new UsageError(`--rule ${argument}: ${(error as Error).message}`, { code: 'E_POLICY_VALUE' });
    }
  }
  if (text === undefined) throw new UsageError(`--rule ${name} needs a value: --rule ${name}=VALUE, VALUE being ${definition.valueSyntax}`, { code: 'E_POLICY_VALUE' });
  return { rule: name, value: text, argument };
}

/** Merges settings layers (each a list from one source) and applies the overrides. */
export function mergeSettings(layers: RuleSettings[][], overrides: RuleOverride[]): RuleSettings[] {
  const merged = new Map<RuleName, RuleSettings>();
  for (const layer of layers) for (const settings of layer) merged.set(settings.rule, settings);
  for (const override of overrides) {
    const base = merged.get(override.rule);
    const enabled = override.value !== false && !isDisabledValue(override.value);
    merged.set(override.rule, {
      rule: override.rule,
      enabled,
      value: override.value,
      severity: base?.severity ?? 'error',
      ignore: base?.ignore ?? [],
      paths: base?.paths ?? [],
      options: base?.options ?? {},
      source: '--rule',
    });
  }
  return RULE_NAMES.flatMap((name) => merged.get(name) ?? []);
}

/** Parses every enabled rule's value; errors name where the value came from. */
export function configurePolicy(settings: RuleSettings[], sources: string[]): Policy {
  return {
    sources,
    rules: settings.map((entry) => {
      const definition = ruleDefinition(entry.rule);
      if (!entry.enabled) return { settings: entry, definition, configured: null };
      try {
        return { settings: entry, definition, configured: definition.configure(entry.value, entry.options) };
      } catch (error) {
        if (!(error instanceof ValueError)) throw error;
        const where = entry.source === '--rule' ? `--rule ${entry.rule}` : `${entry.source}: rules.${entry.rule}`;
        throw new UsageError(`${where}: ${error.message}`, { code: 'E_POLICY_VALUE' });
      }
    }),
  };
}

/** The policy when none is given: imgslim's core promise, that every dependency resolves. */
export function defaultSettings(): RuleSettings[] {
  return [{ rule: 'no-missing-deps', enabled: true, value: true, severity: 'error', ignore: [], paths: [], options: {}, source: 'default' }];
}

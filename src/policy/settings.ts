/**
 * A policy document (parsed YAML or JSON) → validated rule settings. Every error names the key
 * and says what is allowed; the caller turns it into a UsageError (exit 2). What is accepted is
 * what schema.ts publishes: values are checked against value-schemas.ts (through values.ts).
 */
import { UsageError } from '../shared/errors.js';
import { compileGlob } from '../shared/glob/index.js';
import { RULE_NAMES, type RuleName, type RuleSeverity } from './result-schema.js';
import { closestRuleName, isRuleName, ruleDefinition } from './rules/catalog.js';
import type { IgnoreEntry, RuleSettings } from './types.js';
import { SEVERITIES } from './value-schemas.js';
import { isDisabledValue, parseChoice, parseDate, parseSwitch, show, ValueError } from './values.js';

const TOP_LEVEL_KEYS = ['rules', 'version', '$schema'];

/** Validates a policy document; `source` names the file in messages. */
export function parsePolicyDocument(document: unknown, source: string): RuleSettings[] {
  if (!isMapping(document)) throw new UsageError(`${source}: a policy is a mapping with a 'rules:' key (got ${show(document)})`);
  for (const key of Object.keys(document)) {
    if (!TOP_LEVEL_KEYS.includes(key)) throw new UsageError(`${source}: unknown key '${key}' (allowed: ${TOP_LEVEL_KEYS.join(', ')})`);
  }
  if (document.$schema !== undefined && typeof document.$schema !== 'string') throw new UsageError(`${source}: $schema: must be a string (got ${show(document.$schema)})`);
  if (document.version !== undefined && document.version !== 1 && document.version !== '1') {
    throw new UsageError(`${source}: version: this imgslim reads policy version 1 (got ${show(document.version)})`);
  }
  const rules = document.rules;
  if (!isMapping(rules)) throw new UsageError(`${source}: rules: must be a mapping of rule name → setting (got ${show(rules)})`);
  return Object.entries(rules).map(([name, value]) => {
    if (!isRuleName(name)) throw unknownRule(name, `${source}: rules`);
    return parseRuleSetting(name, value, source);
  });
}

export function unknownRule(name: string, where: string): UsageError {
  const hint = closestRuleName(name);
  return new UsageError(
    `${where}: unknown rule '${name}'${hint ? ` (did you mean '${hint}'?)` : ''}; the rules are: ${RULE_NAMES.join(', ')}`,
    { code: 'E_POLICY_RULE' },
  );
}

/** One rule's setting: a shorthand value, or the object form with severity, ignore, paths. */
export function parseRuleSetting(name: RuleName, value: unknown, source: string): RuleSettings {
  const key = `${source}: rules.${name}`;
  const definition = ruleDefinition(name);
  const settings: RuleSettings = { rule: name, enabled: true, value: true, severity: 'error', ignore: [], paths: [], options: {}, source };
  try {
    if (!isMapping(value)) return applyShorthand(settings, value);
    const allowed = [
      'enabled',
      ...(definition.kind === 'value' ? ['value'] : []),
      'severity',
      ...(definition.scope === 'files' ? ['ignore', 'paths'] : []),
      ...Object.keys(definition.options ?? {}),
    ];
    for (const field of Object.keys(value)) {
      if (!allowed.includes(field)) throw new ValueError(unknownField(field, allowed, definition.scope));
    }
    settings.enabled = value.enabled === undefined ? true : field('enabled', () => parseSwitch(value.enabled));
    if (definition.kind === 'value') {
      if (value.value === undefined && settings.enabled) throw new ValueError(`needs a 'value:' (${definition.valueSyntax})`);
      settings.value = value.value;
      if (isDisabledValue(value.value)) settings.enabled = false;
      // Checked even when switched off, as the schema does.
      else if (value.value !== undefined) definition.configure(value.value, {});
    }
    if (value.severity !== undefined) settings.severity = field('severity', () => parseChoice(value.severity, SEVERITIES)) as RuleSeverity;
    if (value.ignore !== undefined) settings.ignore = field('ignore', () => parseIgnores(value.ignore));
    if (value.paths !== undefined) settings.paths = field('paths', () => parseGlobList(value.paths));
    for (const [option, choices] of Object.entries(definition.options ?? {})) {
      if (value[option] !== undefined) settings.options[option] = field(option, () => parseChoice(value[option], choices));
    }
    return settings;
  } catch (error) {
    if (error instanceof ValueError) throw new UsageError(`${key}${error.message.startsWith('.') ? '' : ': '}${error.message}`, { code: 'E_POLICY_VALUE' });
    throw error;
  }
}

function applyShorthand(settings: RuleSettings, value: unknown): RuleSettings {
  if (ruleDefinition(settings.rule).kind === 'flag') settings.enabled = parseSwitch(value);
  else {
    settings.value = value;
    settings.enabled = !isDisabledValue(value);
  }
  return settings;
}

/** Runs a field parser, prefixing its error with `.field`. */
function field<T>(name: string, parse: () => T): T {
  try {
    return parse();
  } catch (error) {
    if (error instanceof ValueError) throw new ValueError(`.${name}${error.message.startsWith('[') ? '' : ': '}${error.message}`);
    throw error;
  }
}

function unknownField(field: string, allowed: string[], scope: 'files' | 'image'): string {
  const why = (field === 'ignore' || field === 'paths') && scope === 'image' ? ' (this rule is about the whole image, not files: use severity: warning to relax it)' : '';
  return `unknown key '${field}'${why}; allowed: ${allowed.join(', ')}`;
}

function parseIgnores(value: unknown): IgnoreEntry[] {
  if (!Array.isArray(value)) throw new ValueError(`must be a list of { path, reason, expires } (got ${show(value)})`);
  return value.map((item, index) => {
    if (!isMapping(item)) throw new ValueError(`[${index}]: must be a mapping { path, reason, expires } (got ${show(item)})`);
    for (const key of Object.keys(item)) {
      if (!['path', 'reason', 'expires'].includes(key)) throw new ValueError(`[${index}]: unknown key '${key}'; allowed: path, reason, expires`);
    }
    if (!isNonBlank(item.path)) throw new ValueError(`[${index}].path: must be a path glob such as /usr/bin/passwd`);
    if (!isNonBlank(item.reason)) throw new ValueError(`[${index}].reason: must say why the path is exempt`);
    checkGlob(item.path, `[${index}].path`);
    let expires: string | null = null;
    if (item.expires !== null && item.expires !== undefined) {
      try {
        expires = parseDate(item.expires);
      } catch (error) {
        throw new ValueError(`[${index}].expires: ${(error as Error).message}`);
      }
    }
    return { path: item.path.trim(), reason: item.reason.trim(), expires };
  });
}

function parseGlobList(value: unknown): string[] {
  const list = typeof value === 'string' ? [value] : value;
  if (!Array.isArray(list) || list.length === 0 || !list.every(isNonBlank)) {
    throw new ValueError(`must be a list of path globs such as ['/app/**'] (got ${show(value)})`);
  }
  list.forEach((glob: string, index) => checkGlob(glob, `[${index}]`));
  return list.map((glob: string) => glob.trim());
}

function checkGlob(glob: string, where: string): void {
  try {
    compileGlob(glob.trim());
  } catch (error) {
    throw new ValueError(`${where}: ${(error as Error).message}`);
  }
}

function isNonBlank(value: unknown): value is string {
  return typeof value === 'string' && value.trim() !== '';
}

export function isMapping(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof Date);
}

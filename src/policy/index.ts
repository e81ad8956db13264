/**
 * Policy: rules over a Report, validated at load, evaluated as pure functions, results
 * returned as data and rendered for CI systems (text, JSON, SARIF, JUnit, GitHub annotations).
 */
export { PolicySchema } from './schema.js';
export { CheckResult, RULE_NAMES, RuleName, RuleResult, RuleSeverity, RuleStatus, Violation, IgnoredViolation } from './result-schema.js';
export type { ConfiguredRule, IgnoreEntry, Policy, RawViolation, RuleDefinition, RuleSettings } from './types.js';
export { DEFAULT_POLICY_FILE, loadPolicy, parseYaml, readStructuredFile, type PolicyOptions } from './load.js';
export { configurePolicy, defaultSettings, mergeSettings, parseRuleArgument, type RuleOverride } from './assemble.js';
export { parsePolicyDocument, parseRuleSetting } from './settings.js';
export { parseDiveCiDocument } from './dive-ci.js';
export { evaluatePolicy, type EvaluateOptions } from './evaluate.js';
export { RULES, ruleDefinition, isRuleName } from './rules/catalog.js';
export { parseSize, parseRatio, parseGlibcVersion } from './values.js';
export { CHECK_FORMATS, renderCheckResult, renderCheckText, renderJunit, renderSarif, renderGithubAnnotations, escapeData, escapeProperty, xmlEscape, type CheckFormat } from './render/index.js';

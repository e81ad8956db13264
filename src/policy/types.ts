/** Policy settings (validated at load) and the shape of a rule definition. */
import type { TSchema } from '@sinclair/typebox';
import type { Report } from '../report/index.js';
import type { RuleName, RuleSeverity } from './result-schema.js';

/** A finding of a rule before scopes and ignores apply. */
export interface RawViolation {
  path: string | null;
  message: string;
  evidence: string;
  /** Stable identity across runs; defaults to the path. */
  key?: string;
}

/** A rule with its value parsed: ready to evaluate a Report. */
export interface ConfiguredRule {
  /** The value for display, e.g. `musl, none` or `50MB (uncompressed)`. */
  display: string;
  evaluate(report: Report): RawViolation[];
  /** One line when there is no violation, e.g. `efficiency 0.97 ≥ 0.95`. */
  passMessage?(report: Report): string;
}

export interface RuleDefinition {
  name: RuleName;
  /** A short sentence, e.g. "The entrypoint is statically linked". */
  title: string;
  /** What it checks and how, for SARIF rule help and `check --help`. */
  description: string;
  /** `flag` rules are on/off; `value` rules take a value (`valueSyntax`). */
  kind: 'flag' | 'value';
  valueSyntax: string;
  /** What a `value` rule's value may be (value-schemas.ts): the loader and the published schema both use it. */
  valueSchema?: TSchema;
  /** `files` rules report paths (so `paths:` and `ignore:` apply); `image` rules the image. */
  scope: 'files' | 'image';
  /** Extra keys of the object form, e.g. `measure` for max-size: key → allowed values. */
  options?: Record<string, readonly string[]>;
  /** Parses a value known not to disable the rule; throws ValueError. */
  configure(value: unknown, options: Readonly<Record<string, string>>): ConfiguredRule;
}

export interface IgnoreEntry {
  /** The glob as written. */
  path: string;
  reason: string;
  /** Last day (UTC, inclusive) the entry applies, `YYYY-MM-DD`, or null for no expiry. */
  expires: string | null;
}

export interface RuleSettings {
  rule: RuleName;
  /** False when the policy disables it (`false`, `disabled`, `off`): reported as skipped. */
  enabled: boolean;
  /** The raw value (before parsing) as given, kept so `--rule` can override only the value. */
  value: unknown;
  severity: RuleSeverity;
  ignore: IgnoreEntry[];
  /** Scope globs: only violations under these paths count (empty = everywhere). */
  paths: string[];
  options: Record<string, string>;
  /** Where the value came from: the policy file path, `--rule`, `--dive-ci FILE` or `default`. */
  source: string;
}

/** A validated policy: rules in catalog order, each configured. */
export interface Policy {
  /** Where the settings came from, in order (file, `--dive-ci FILE`, `--rule …`), or `default`. */
  sources: string[];
  rules: Array<{ settings: RuleSettings; definition: RuleDefinition; configured: ConfiguredRule | null }>;
}

/**
 * The result of `imgslim check`, as `--format json` prints it. TypeBox is the source of truth
 * (like the Report): field names are a public API for CI scripts.
 */
import { Type, type Static } from '@sinclair/typebox';
import { StringEnum } from '../shared/string-enum.js';

const Nullable = <T extends ReturnType<typeof Type.String>>(schema: T) => Type.Union([schema, Type.Null()]);

export const RULE_NAMES = [
  'entrypoint-static',
  'no-dynamic',
  'libc',
  'max-glibc',
  'no-missing-deps',
  'go-cgo-disabled',
  'max-size',
  'lowest-efficiency',
  'highest-wasted-bytes',
  'highest-user-wasted-percent',
  'require-pie',
  'require-relro',
  'require-nx',
  'require-canary',
  'no-textrel',
  'no-wx',
  'no-rpath',
  'no-insecure-rpath',
  'no-setuid',
  'no-world-writable',
  'no-capabilities',
  'non-root-user',
] as const;
export const RuleName = StringEnum(...RULE_NAMES);
export type RuleName = Static<typeof RuleName>;

/** `error` fails the gate (exit 1); `warning` is reported and the gate still passes. */
export const RuleSeverity = StringEnum('error', 'warning');
export type RuleSeverity = Static<typeof RuleSeverity>;

/** dive's vocabulary: pass, fail, warn (violations of a warning rule), skip (rule disabled). */
export const RuleStatus = StringEnum('pass', 'fail', 'warn', 'skip');
export type RuleStatus = Static<typeof RuleStatus>;

export const Violation = Type.Object({
  rule: RuleName,
  /** The file in the image the violation is about, or null for the image as a whole. */
  path: Nullable(Type.String()),
  /** One line naming the file and the evidence, e.g. `/app/server NEEDED libc.so.6 via PT_INTERP /lib64/ld-linux-x86-64.so.2`. */
  message: Type.String(),
  /** The facts from the report behind it (the message without the file). */
  evidence: Type.String(),
  /** What identifies this violation across runs (SARIF fingerprints): stable when figures change. */
  key: Type.String(),
});
export type Violation = Static<typeof Violation>;

export const IgnoredViolation = Type.Composite([
  Violation,
  Type.Object({ ignoredBy: Type.String(), reason: Type.String(), expires: Nullable(Type.String()) }),
]);
export type IgnoredViolation = Static<typeof IgnoredViolation>;

export const RuleResult = Type.Object({
  rule: RuleName,
  title: Type.String(),
  severity: RuleSeverity,
  status: RuleStatus,
  /** The rule's value as configured, e.g. `musl, none`, `50MB`, `enabled`, `disabled`. */
  configuration: Type.String(),
  /** Where the configuration came from: a policy file, `--rule`, `--dive-ci FILE` or `default`. */
  source: Type.String(),
  /** One line: what was checked and the outcome. */
  message: Type.String(),
  violations: Type.Array(Violation),
  /** Violations an unexpired `ignore` entry waived, with its reason. */
  ignored: Type.Array(IgnoredViolation),
  /** Expired ignores (which no longer apply) and ignores that matched nothing. */
  notices: Type.Array(Type.String()),
});
export type RuleResult = Static<typeof RuleResult>;

export const CheckResult = Type.Object(
  {
    tool: Type.Object({ name: Type.Literal('imgslim'), version: Type.String() }),
    image: Type.Object({
      path: Type.String(),
      reference: Nullable(Type.String()),
      platform: Type.String(),
      manifestDigest: Type.String(),
    }),
    /** Where the rules came from, in the order they were applied. */
    policy: Type.Array(Type.String()),
    /** False when a rule of severity `error` failed. */
    passed: Type.Boolean(),
    counts: Type.Object({ pass: Type.Integer(), fail: Type.Integer(), warn: Type.Integer(), skip: Type.Integer() }),
    results: Type.Array(RuleResult),
  },
  { $id: 'https://imgslim.dev/schema/check-result.json', title: 'imgslim check result' },
);
export type CheckResult = Static<typeof CheckResult>;

/**
 * SARIF 2.1.0 for GitHub code scanning (upload-sarif) and other SARIF viewers: one
 * reportingDescriptor per policy rule, one result per violation. GitHub requires a location
 * with `artifactLocation.uri` and `region.startLine` on every result: a file in the image is
 * its path without the leading `/` (as container scanners report image files), a finding about
 * the whole image points at the image path given on the command line. The fingerprint
 * (`partialFingerprints.primaryLocationLineHash`) is computed here from the rule and what the
 * violation is about, since upload-sarif can only hash lines of files in the repository (and
 * keeps a fingerprint that is already there). Ignored violations are left out.
 */
import { createHash } from 'node:crypto';
import type { Log, ReportingDescriptor, Result } from 'sarif';
import { ruleDefinition } from '../rules/catalog.js';
import type { CheckResult, RuleResult, Violation } from '../result-schema.js';

export const SARIF_SCHEMA = 'https://json.schemastore.org/sarif-2.1.0.json';

export function renderSarif(result: CheckResult): string {
  const rules = result.results.map(descriptor);
  const results = result.results.flatMap((rule, ruleIndex) => rule.violations.map((violation) => sarifResult(rule, ruleIndex, violation, result)));
  const log: Log = {
    $schema: SARIF_SCHEMA,
    version: '2.1.0',
    runs: [
      {
        tool: { driver: { name: 'imgslim', version: result.tool.version, semanticVersion: result.tool.version, rules } },
        results,
        invocations: [{ executionSuccessful: true }],
        properties: { image: result.image, policy: result.policy, passed: result.passed, counts: result.counts },
      },
    ],
  };
  return `${JSON.stringify(log, null, 2)}\n`;
}

function descriptor(rule: RuleResult): ReportingDescriptor {
  const definition = ruleDefinition(rule.rule);
  const configured = rule.status === 'skip' ? 'disabled' : `${rule.configuration} (severity ${rule.severity})`;
  const help = `${definition.description}\n\nValue: ${definition.valueSyntax}. Configured: ${configured}, from ${rule.source}.`;
  return {
    id: rule.rule,
    name: rule.rule,
    shortDescription: { text: definition.title },
    fullDescription: { text: definition.description },
    help: { text: help, markdown: help },
    defaultConfiguration: { level: rule.severity === 'error' ? 'error' : 'warning', enabled: rule.status !== 'skip' },
    properties: { tags: ['imgslim', 'container-image', ...(SECURITY_RULES.has(rule.rule) ? ['security'] : [])], precision: 'very-high' },
  };
}

const SECURITY_RULES = new Set([
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
]);

function sarifResult(rule: RuleResult, ruleIndex: number, violation: Violation, result: CheckResult): Result {
  const uri = violation.path === null ? artifactUri(result.image.path) : artifactUri(violation.path.replace(/^\/+/, ''));
  return {
    ruleId: rule.rule,
    ruleIndex,
    level: rule.severity === 'error' ? 'error' : 'warning',
    message: { text: violation.message },
    locations: [
      {
        physicalLocation: { artifactLocation: { uri }, region: { startLine: 1 } },
        ...(violation.path === null ? {} : { message: { text: `${violation.path} in ${result.image.reference ?? result.image.path}` } }),
      },
    ],
    partialFingerprints: { primaryLocationLineHash: fingerprint(rule.rule, violation.key) },
    properties: { evidence: violation.evidence, path: violation.path },
  };
}

/** A relative URI reference for a path: each segment percent-encoded, `/` kept. */
function artifactUri(path: string): string {
  const uri = path
    .split('/')
    .map((segment) => encodeURIComponent(segment))
    .join('/');
  return uri === '' ? '.' : uri;
}

/** Stable across runs and tags: the rule and what the violation is about (not its figures). */
function fingerprint(rule: string, key: string): string {
  return createHash('sha256').update(`imgslim\0${rule}\0${key}`).digest('hex');
}

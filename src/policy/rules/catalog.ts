/** Every rule, in the order results are reported (RULE_NAMES order). */
import { RULE_NAMES, type RuleName } from '../result-schema.js';
import type { RuleDefinition } from '../types.js';
import { noMissingDeps } from './deps.js';
import { noCapabilities, noSetuid, nonRootUser, noWorldWritable } from './files.js';
import { noRpath, noTextrel, noWx, requireCanary, requireNx, requirePie, requireRelro } from './hardening.js';
import { entrypointStatic, goCgoDisabled, libc, maxGlibc, noDynamic } from './linking.js';
import { noInsecureRpath } from './rpath.js';
import { highestUserWastedPercent, highestWastedBytes, lowestEfficiency, maxSize } from './size.js';

const DEFINITIONS: Record<RuleName, RuleDefinition> = {
  'entrypoint-static': entrypointStatic,
  'no-dynamic': noDynamic,
  libc,
  'max-glibc': maxGlibc,
  'no-missing-deps': noMissingDeps,
  'go-cgo-disabled': goCgoDisabled,
  'max-size': maxSize,
  'lowest-efficiency': lowestEfficiency,
  'highest-wasted-bytes': highestWastedBytes,
  'highest-user-wasted-percent': highestUserWastedPercent,
  'require-pie': requirePie,
  'require-relro': requireRelro,
  'require-nx': requireNx,
  'require-canary': requireCanary,
  'no-textrel': noTextrel,
  'no-wx': noWx,
  'no-rpath': noRpath,
  'no-insecure-rpath': noInsecureRpath,
  'no-setuid': noSetuid,
  'no-world-writable': noWorldWritable,
  'no-capabilities': noCapabilities,
  'non-root-user': nonRootUser,
};

export const RULES: readonly RuleDefinition[] = RULE_NAMES.map((name) => DEFINITIONS[name]);

export function isRuleName(name: string): name is RuleName {
  return Object.hasOwn(DEFINITIONS, name);
}

export function ruleDefinition(name: RuleName): RuleDefinition {
  return DEFINITIONS[name];
}

/** The closest rule name to a misspelt one (edit distance ≤ 3), for "did you mean" hints. */
export function closestRuleName(name: string): RuleName | null {
  let best: RuleName | null = null;
  let bestDistance = 4;
  for (const candidate of RULE_NAMES) {
    const distance = editDistance(name.toLowerCase(), candidate);
    if (distance < bestDistance) [best, bestDistance] = [candidate, distance];
  }
  return best;
}

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      current[j] = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    previous = current;
  }
  return previous[b.length]!;
}

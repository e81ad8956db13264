/**
 * Reading policy files: YAML (numbers keep their text, as Go's YAML does for dive's string
 * fields, so `max-glibc: 2.30` stays "2.30") or JSON (`.json`); the default policy file; and
 * the whole policy from command-line options.
 */
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { isScalar, parseDocument, visit } from 'yaml';
import { UsageError } from '../shared/errors.js';
import { systemErrorText } from '../shared/system-error.js';
import { configurePolicy, defaultSettings, mergeSettings, parseRuleArgument } from './assemble.js';
import { parseDiveCiDocument } from './dive-ci.js';
import { parsePolicyDocument } from './settings.js';
import type { Policy, RuleSettings } from './types.js';

export const DEFAULT_POLICY_FILE = 'imgslim.policy.yaml';

export interface PolicyOptions {
  /** Directory relative paths resolve against (and where the default file is looked for). */
  cwd: string;
  /** `--policy FILE`; when absent, `imgslim.policy.yaml` in `cwd` if it exists. */
  policyFile?: string;
  /** `--dive-ci FILE`. */
  diveCiFile?: string;
  /** `--rule NAME[=VALUE]`, in order. */
  rules?: string[];
}

/** The policy from the options; `isDefault` when nothing was given and the built-in one applies. */
export async function loadPolicy(options: PolicyOptions): Promise<{ policy: Policy; isDefault: boolean }> {
  const overrides = (options.rules ?? []).map(parseRuleArgument);
  const layers: RuleSettings[][] = [];
  const sources: string[] = [];
  const policyFile = options.policyFile ?? (existsSync(path.resolve(options.cwd, DEFAULT_POLICY_FILE)) ? DEFAULT_POLICY_FILE : undefined);
  if (policyFile !== undefined) {
    layers.push(parsePolicyDocument(await readStructuredFile(options.cwd, policyFile, '--policy'), policyFile));
    sources.push(policyFile);
  }
  if (options.diveCiFile !== undefined) {
    layers.push(parseDiveCiDocument(await readStructuredFile(options.cwd, options.diveCiFile, '--dive-ci'), options.diveCiFile));
    sources.push(`--dive-ci ${options.diveCiFile}`);
  }
  sources.push(...overrides.map((override) => `--rule ${override.argument}`));
  const isDefault = sources.length === 0;
  const settings = isDefault ? defaultSettings() : mergeSettings(layers, overrides);
  return { policy: configurePolicy(settings, isDefault ? ['default'] : sources), isDefault };
}

/** Reads and parses a YAML or JSON file; any problem is a usage error naming the file. */
export async function readStructuredFile(cwd: string, file: string, option: string): Promise<unknown> {
  const text = await readFile(path.resolve(cwd, file), 'utf8').catch((error: unknown) => {
    throw new UsageError(`cannot read ${option} ${file}: ${systemErrorText(error)}`, { code: 'E_POLICY_FILE', cause: error });
  });
  return file.endsWith('.json') ? parseJson(text, file) : parseYaml(text, file);
}

function parseJson(text: string, file: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new UsageError(`${file}: not valid JSON: ${(error as Error).message}`, { code: 'E_POLICY_FILE', cause: error });
  }
}

/** YAML with plain numeric scalars kept as their source text (`2.30`, `0.10`, `20`). */
export function parseYaml(text: string, file: string): unknown {
  const document = parseDocument(text, { prettyErrors: true, uniqueKeys: true });
  const error = document.errors[0];
  if (error) {
    const where = error.linePos?.[0] ? ` at line ${error.linePos[0].line}, column ${error.linePos[0].col}` : '';
    throw new UsageError(`${file}: not valid YAML${where}: ${error.message.split('\n')[0]}`, { code: 'E_POLICY_FILE', cause: error });
  }
  visit(document, {
    Scalar(_key, node) {
      if (typeof node.value === 'number' && node.type === 'PLAIN' && node.source !== undefined && isScalar(node)) node.value = node.source;
    },
  });
  return document.toJS({ maxAliasCount: 1000 });
}

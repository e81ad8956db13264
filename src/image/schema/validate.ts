/**
 * Validation of untrusted image JSON at the boundary, with the validators compiled ahead of time
 * (`_compiled.ts`): a value that passes has the types definitions.ts states, so code above never
 * re-checks them. A value that fails gives one InputError naming the first field at fault.
 */
import { InputError } from '../../shared/errors.js';
import { jsonSchemas, validators } from './_compiled.js';
import { describeJsonValue, firstViolation, type JsonSchema } from './explain.js';

export type ImageSchemaName = 'descriptor' | 'index' | 'manifest' | 'config' | 'ociLayout' | 'dockerSave';

const CHECKS = validators as Record<ImageSchemaName, (value: unknown) => boolean>;
const SCHEMAS = jsonSchemas as Record<ImageSchemaName, JsonSchema>;

/** What each document is called when the value as a whole is wrong. */
const WHOLE: Record<ImageSchemaName, string> = {
  descriptor: 'the descriptor',
  index: 'the index',
  manifest: 'the manifest',
  config: 'the config',
  ociLayout: 'the oci-layout file',
  dockerSave: 'its content',
};

const CODE: Record<ImageSchemaName, string> = {
  descriptor: 'E_MANIFEST',
  index: 'E_MANIFEST',
  manifest: 'E_MANIFEST',
  config: 'E_CONFIG',
  ociLayout: 'E_LAYOUT',
  dockerSave: 'E_MANIFEST',
};

/** Whether `value` matches the schema `name`. */
export function matchesImageSchema(name: ImageSchemaName, value: unknown): boolean {
  return CHECKS[name](value);
}

/** Throws InputError (`label: <field> is <value>, expected <what>`) unless `value` matches the schema `name`. */
export function checkImageSchema(name: ImageSchemaName, value: unknown, label: string): void {
  if (CHECKS[name](value)) return;
  throw new InputError(`${label}: ${explainImageSchema(name, value)}`, { code: CODE[name] });
}

/** The words for the first violation (for values the validator rejected). */
export function explainImageSchema(name: ImageSchemaName, value: unknown): string {
  const found = firstViolation(SCHEMAS[name], value);
  if (!found) return `${WHOLE[name]} does not match its schema`;
  const what = found.path === '' ? WHOLE[name] : found.path;
  return found.missing ? `${what} is missing (expected ${found.expected})` : `${what} is ${describeJsonValue(found.value)}, expected ${found.expected}`;
}

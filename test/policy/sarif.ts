/** A SARIF 2.1.0 validator: the OASIS schema shipped by @microsoft/jest-sarif, compiled with ajv as draft-07. */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { Ajv, type ValidateFunction } from 'ajv';
import addFormatsModule from 'ajv-formats';
import { repoRoot } from '../helpers/peer-corpus.js';

const SCHEMA_FILE = path.join(repoRoot, 'node_modules', '@microsoft', 'jest-sarif', 'lib', 'schemas', 'sarif-2.1.0-rtm.5.json');

let validator: ValidateFunction | undefined;

/**
 * The schema is written as draft-04 (`id`); its keywords are the draft-07 subset, so only the header
 * changes. One of its patterns (language tags) is not valid with the `u` flag: compile without it.
 */
export function sarifValidator(): ValidateFunction {
  if (validator) return validator;
  const { id, $schema: _draft04, ...schema } = JSON.parse(readFileSync(SCHEMA_FILE, 'utf8')) as Record<string, unknown>;
  const ajv = new Ajv({ allErrors: true, strict: false, unicodeRegExp: false });
  const addFormats = addFormatsModule as unknown as (ajv: Ajv) => Ajv;
  addFormats(ajv);
  validator = ajv.compile({ ...schema, $id: String(id), $schema: 'http://json-schema.org/draft-07/schema#' });
  return validator;
}

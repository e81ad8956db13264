/**
 * Validators for the official SBOM JSON schemas vendored under test/fixtures/schemas (see the
 * README there for where each file comes from), compiled with ajv and ajv-formats.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { Ajv, type ValidateFunction } from 'ajv';
import addFormatsModule from 'ajv-formats';
import { repoRoot } from './peer-corpus.js';

const SCHEMAS = path.join(repoRoot, 'test', 'fixtures', 'schemas');

function readSchema(...parts: string[]): Record<string, unknown> {
  return JSON.parse(readFileSync(path.join(SCHEMAS, ...parts), 'utf8')) as Record<string, unknown>;
}

function newAjv(): Ajv {
  // strict: false — the schemas use annotation keywords ajv does not know (`meta:enum`, `deprecated`).
  const ajv = new Ajv({ allErrors: true, strict: false });
  (addFormatsModule as unknown as (ajv: Ajv) => Ajv)(ajv);
  // Formats ajv-formats lacks: an IRI reference is a URI reference that may hold non-ASCII text.
  ajv.addFormat('iri-reference', (value: string) => !/\s/.test(value) && URL.canParse(value, 'http://base.invalid/'));
  ajv.addFormat('idn-email', (value: string) => /^[^\s@]+@[^\s@]+$/u.test(value));
  return ajv;
}

let cyclonedx: ValidateFunction | undefined;

/** CycloneDX 1.6 (bom-1.6 with the spdx and jsf schemas it references by relative `$ref`). */
export function cyclonedxValidator(): ValidateFunction {
  if (cyclonedx) return cyclonedx;
  const ajv = newAjv();
  // The referenced schemas are registered under the URLs the BOM schema's relative `$ref`s resolve to.
  for (const file of ['spdx.SNAPSHOT.schema.json', 'jsf-0.82.SNAPSHOT.schema.json']) {
    ajv.addSchema({ ...readSchema('cyclonedx-1.6', file), $id: `http://cyclonedx.org/schema/${file}` });
  }
  cyclonedx = ajv.compile(readSchema('cyclonedx-1.6', 'bom-1.6.SNAPSHOT.schema.json'));
  return cyclonedx;
}

/** Errors of `validate` on `document`, as readable lines (empty when valid). */
export function schemaErrors(validate: ValidateFunction, document: unknown): string[] {
  if (validate(document)) return [];
  return (validate.errors ?? []).slice(0, 20).map((error) => `${error.instancePath || '/'} ${error.message ?? ''} ${JSON.stringify(error.params)}`);
}

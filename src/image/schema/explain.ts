/**
 * The first place a value breaks a (plain JSON) schema, in words: `config.Env[1] is number 1,
 * expected a string`. Only runs after a compiled validator said no, so it may be slow; it walks
 * the keywords definitions.ts uses (type, const, pattern, minLength, minimum, maximum,
 * properties, required, patternProperties, items, anyOf) and our `expected` wording.
 */

export interface JsonSchema {
  type?: string;
  const?: unknown;
  pattern?: string;
  minLength?: number;
  minimum?: number;
  maximum?: number;
  properties?: Record<string, JsonSchema>;
  required?: string[];
  patternProperties?: Record<string, JsonSchema>;
  items?: JsonSchema;
  anyOf?: JsonSchema[];
  expected?: string;
}

export interface SchemaViolation {
  /** `manifests[0].annotations["a"]`; empty for the value itself. */
  path: string;
  value: unknown;
  expected: string;
  missing: boolean;
}

export function firstViolation(schema: JsonSchema, value: unknown, path = ''): SchemaViolation | null {
  if (schema.anyOf) {
    const results = schema.anyOf.map((branch) => firstViolation(branch, value, path));
    if (results.some((result) => result === null)) return null;
    // Explain against the branch of the value's own type (a wrong string inside an array of strings).
    const sameType = schema.anyOf.findIndex((branch) => ofType(branch, value));
    return sameType >= 0 ? results[sameType]! : violation(schema, value, path);
  }
  if (schema.type !== undefined && !typeMatches(schema.type, value)) return violation(schema, value, path);
  if ('const' in schema && value !== schema.const) return violation(schema, value, path);
  if (typeof value === 'string') {
    if (schema.pattern !== undefined && !new RegExp(schema.pattern).test(value)) return violation(schema, value, path);
    if (schema.minLength !== undefined && value.length < schema.minLength) return violation(schema, value, path);
  }
  if (typeof value === 'number') {
    if ((schema.minimum !== undefined && value < schema.minimum) || (schema.maximum !== undefined && value > schema.maximum)) {
      return violation(schema, value, path);
    }
  }
  if (Array.isArray(value) && schema.items) {
    for (let i = 0; i < value.length; i++) {
      const found = firstViolation(schema.items, value[i], `${path}[${i}]`);
      if (found) return found;
    }
  }
  if (isPlainObject(value)) return objectViolation(schema, value, path);
  return null;
}

function objectViolation(schema: JsonSchema, value: Record<string, unknown>, path: string): SchemaViolation | null {
  for (const key of schema.required ?? []) {
    if (value[key] === undefined) return { path: join(path, key), value: undefined, expected: schema.properties?.[key]?.expected ?? 'a value', missing: true };
  }
  for (const [key, property] of Object.entries(schema.properties ?? {})) {
    if (!Object.hasOwn(value, key) || value[key] === undefined) continue;
    const found = firstViolation(property, value[key], join(path, key));
    if (found) return found;
  }
  for (const [pattern, property] of Object.entries(schema.patternProperties ?? {})) {
    const keys = new RegExp(pattern);
    for (const [key, item] of Object.entries(value)) {
      if (!keys.test(key)) continue;
      const found = firstViolation(property, item, `${path}[${JSON.stringify(key)}]`);
      if (found) return found;
    }
  }
  return null;
}

function violation(schema: JsonSchema, value: unknown, path: string): SchemaViolation {
  return { path, value, expected: schema.expected ?? schema.type ?? 'another value', missing: false };
}

/** Whether the schema (or one branch of it) is for values of the value's type. */
function ofType(schema: JsonSchema, value: unknown): boolean {
  if (schema.anyOf) return schema.anyOf.some((branch) => ofType(branch, value));
  return schema.type !== undefined && typeMatches(schema.type, value);
}

function typeMatches(type: string, value: unknown): boolean {
  switch (type) {
    case 'object':
      return isPlainObject(value);
    case 'array':
      return Array.isArray(value);
    case 'integer':
      return Number.isInteger(value);
    case 'number':
      return typeof value === 'number' && Number.isFinite(value);
    case 'null':
      return value === null;
    default:
      return typeof value === type;
  }
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

function join(path: string, key: string): string {
  if (IDENTIFIER.test(key)) return path === '' ? key : `${path}.${key}`;
  return `${path}[${JSON.stringify(key)}]`;
}

/** `null`, `an array`, `an object`, `number 3`, `string "abc"` (long strings cut). */
export function describeJsonValue(value: unknown): string {
  if (value === null) return 'null';
  if (value === undefined) return 'missing';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'object') return 'an object';
  if (typeof value === 'string') return `string ${JSON.stringify(value.length > 60 ? `${value.slice(0, 60)}…` : value)}`;
  return `${typeof value} ${String(value)}`;
}

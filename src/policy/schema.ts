/**
 * The policy file's JSON Schema (`imgslim schema policy`), for editors and CI linting. The
 * loader (settings.ts) is the authority and gives the precise messages; this schema accepts a
 * subset of what it accepts (canonical spellings), never more.
 */
import { Type, type TSchema } from '@sinclair/typebox';
import type { RuleName } from './result-schema.js';
import { RULES } from './rules/catalog.js';
import type { RuleDefinition } from './types.js';

const Severity = Type.Union([Type.Literal('error'), Type.Literal('warning')], {
  description: '`error` (default) fails the gate with exit 1; `warning` reports and passes.',
});

const Ignore = Type.Object(
  {
    path: Type.String({ minLength: 1, description: 'Path glob in the image: * and ? within a segment, ** across segments, {a,b}, [abc].' }),
    reason: Type.String({ minLength: 1, description: 'Why the path is exempt (shown in every output).' }),
    expires: Type.Optional(
      Type.Union([Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$' }), Type.Null()], {
        description: 'Last day (UTC) the exemption applies, YYYY-MM-DD; after it the violation counts again and the output says so.',
      }),
    ),
  },
  { additionalProperties: false },
);

const Paths = Type.Union([Type.String({ minLength: 1 }), Type.Array(Type.String({ minLength: 1 }), { minItems: 1 })], {
  description: 'Only violations under these path globs count.',
});

const Disabled = Type.Union([Type.Literal(false), Type.Literal('disabled'), Type.Literal('off')]);

const SIZE_PATTERN = '^\\s*[0-9][0-9,]*(\\.[0-9]*)?\\s*([kKmMgGtTpPeE][iI]?[bB]?|[bB])?\\s*$';
const RATIO_PATTERN = '^\\s*(\\+?(0(\\.[0-9]*)?|1(\\.0*)?|\\.[0-9]+)|(100(\\.0*)?|[0-9]{1,2}(\\.[0-9]*)?)%)\\s*$';
const LIBC_WORD = '(none|musl|glibc)';

const Size = Type.Union([Type.Integer({ minimum: 0 }), Type.String({ pattern: SIZE_PATTERN })]);
const Ratio = Type.Union([Type.Number({ minimum: 0, maximum: 1 }), Type.String({ pattern: RATIO_PATTERN })]);

const VALUES: Partial<Record<RuleName, TSchema>> = {
  libc: Type.Union([
    Type.Array(Type.Union([Type.Literal('none'), Type.Literal('musl'), Type.Literal('glibc')]), { minItems: 1 }),
    Type.String({ pattern: `^\\s*${LIBC_WORD}(\\s*,\\s*${LIBC_WORD})*\\s*$` }),
  ]),
  'max-glibc': Type.String({ pattern: '^\\s*(GLIBC_)?[0-9]+(\\.[0-9]+){1,2}\\s*$' }),
  'max-size': Size,
  'lowest-efficiency': Ratio,
  'highest-wasted-bytes': Size,
  'highest-user-wasted-percent': Ratio,
  'require-relro': Type.Union([Type.Literal('full'), Type.Literal('partial')]),
};

function ruleSchema(definition: RuleDefinition): TSchema {
  const common: Record<string, TSchema> = { enabled: Type.Optional(Type.Boolean()), severity: Type.Optional(Severity) };
  if (definition.scope === 'files') Object.assign(common, { ignore: Type.Optional(Type.Array(Ignore)), paths: Type.Optional(Paths) });
  for (const [option, choices] of Object.entries(definition.options ?? {})) {
    common[option] = Type.Optional(Type.Union(choices.map((choice) => Type.Literal(choice))));
  }
  const description = `${definition.title}. ${definition.description} Value: ${definition.valueSyntax}.`;
  if (definition.kind === 'flag') {
    return Type.Union([Type.Boolean(), Type.Object(common, { additionalProperties: false })], { description });
  }
  const value = VALUES[definition.name];
  if (!value) throw new Error(`no value schema for rule ${definition.name}`);
  const valueOrDisabled = Type.Union([value, Disabled]);
  return Type.Union([valueOrDisabled, Type.Object({ value: valueOrDisabled, ...common }, { additionalProperties: false })], { description });
}

export const PolicySchema = Type.Object(
  {
    $schema: Type.Optional(Type.String()),
    version: Type.Optional(Type.Union([Type.Literal(1), Type.Literal('1')])),
    rules: Type.Object(Object.fromEntries(RULES.map((definition) => [definition.name, Type.Optional(ruleSchema(definition))])), {
      additionalProperties: false,
      description: 'Rule name → setting: a value (true for on/off rules) or { value, severity, ignore, paths }.',
    }),
  },
  { additionalProperties: false, $id: 'https://imgslim.dev/schema/policy.json', title: 'imgslim policy' },
);

/**
 * The policy file's JSON Schema (`imgslim schema policy`), for editors and CI linting. It is
 * built from the same value schemas the loader checks (value-schemas.ts, each rule's
 * `valueSchema`), so both accept the same documents; the loader alone also compiles path globs.
 */
import { Type, type TSchema } from '@sinclair/typebox';
import { RULES } from './rules/catalog.js';
import type { RuleDefinition } from './types.js';
import { Choice, Disabled, FalseSwitch, IgnoreList, Paths, Severity, Switch } from './value-schemas.js';

function ruleSchema(definition: RuleDefinition): TSchema {
  const common: Record<string, TSchema> = { severity: Type.Optional(Severity) };
  if (definition.scope === 'files') Object.assign(common, { ignore: Type.Optional(IgnoreList), paths: Type.Optional(Paths) });
  for (const [option, choices] of Object.entries(definition.options ?? {})) common[option] = Type.Optional(Choice(choices));
  const description = `${definition.title}. ${definition.description} Value: ${definition.valueSyntax}.`;
  if (definition.kind === 'flag') {
    return Type.Union([Switch, Type.Object({ enabled: Type.Optional(Switch), ...common }, { additionalProperties: false })], { description });
  }
  if (!definition.valueSchema) throw new Error(`rule ${definition.name} has no valueSchema`);
  const valueOrDisabled = Type.Union([definition.valueSchema, Disabled]);
  return Type.Union(
    [
      valueOrDisabled,
      Type.Object({ value: valueOrDisabled, enabled: Type.Optional(Switch), ...common }, { additionalProperties: false }),
      // Switched off, the value may be left out.
      Type.Object({ enabled: FalseSwitch, value: Type.Optional(valueOrDisabled), ...common }, { additionalProperties: false }),
    ],
    { description },
  );
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

/**
 * The syntax of every policy value, once: the loader checks a value against these schemas
 * before converting it (values.ts), and `imgslim schema policy` publishes the same schemas
 * (schema.ts), so the two accept exactly the same documents. The one check a JSON Schema cannot
 * express is a path glob's own syntax (an unclosed `[` or `{`, more than 256 alternatives): the
 * loader compiles each glob and refuses those.
 */
import { Type, type TSchema } from '@sinclair/typebox';

/** A pattern matching any of `words`, ignoring case and surrounding blanks (JSON Schema regexes have no `i` flag). */
function wordsIgnoringCase(words: readonly string[]): string {
  const anyCase = (word: string) => [...word].map((c) => (/[a-z]/i.test(c) ? `[${c.toLowerCase()}${c.toUpperCase()}]` : c)).join('');
  return `^\\s*(${words.map(anyCase).join('|')})\\s*$`;
}

/** dive's words for a disabled rule (`isRuleDisabled` in dive's ci/rules.go), plus YAML `false`. */
export const DISABLED_WORDS = ['', 'disabled', 'off', 'false'] as const;
export const TRUE_WORDS = ['true', 'on', 'yes', 'enabled', '1'] as const;
export const FALSE_WORDS = ['false', 'off', 'no', 'disabled', '0'] as const;

export const Disabled = Type.Union([Type.Literal(false), Type.String({ pattern: wordsIgnoringCase(DISABLED_WORDS) })], {
  description: 'Disables the rule: false, "off", "disabled", "false" or "" (any case).',
});

/** true/false, or their command-line spellings (on/off, yes/no, enabled/disabled, 1/0, any case). */
export const Switch = Type.Union([Type.Boolean(), Type.String({ pattern: wordsIgnoringCase([...TRUE_WORDS, ...FALSE_WORDS]) })]);
export const FalseSwitch = Type.Union([Type.Literal(false), Type.String({ pattern: wordsIgnoringCase(FALSE_WORDS) })]);

/**
 * Size units (case-insensitive) and how many integer digits each allows, so that every size
 * fits in a safe integer (below 2^53): `999,999,999,999,999`, `999,999 GiB`, `999 TiB`; no PB or EB.
 */
export const SIZE_UNITS: ReadonlyArray<{ letter: string; power: number; digits: number }> = [
  { letter: '', power: 0, digits: 15 },
  { letter: 'k', power: 1, digits: 12 },
  { letter: 'm', power: 2, digits: 9 },
  { letter: 'g', power: 3, digits: 6 },
  { letter: 't', power: 4, digits: 3 },
];

function sizePattern(): string {
  const alternatives = SIZE_UNITS.map(({ letter, digits }) => {
    const groups = digits / 3 - 1;
    const integer = groups > 0 ? `([0-9]{1,${digits}}|[0-9]{1,3}(,[0-9]{3}){1,${groups}})` : `[0-9]{1,${digits}}`;
    const unit = letter === '' ? '[bB]?' : `[${letter}${letter.toUpperCase()}][iI]?[bB]?`;
    return `${integer}(\\.[0-9]*)?\\s*${unit}`;
  });
  return `^\\s*(${alternatives.join('|')})\\s*$`;
}

export const Size = Type.Union([Type.Integer({ minimum: 0, maximum: Number.MAX_SAFE_INTEGER }), Type.String({ pattern: sizePattern() })], {
  description: 'Bytes, or a number and a unit: kB/MB/GB/TB (decimal; k, M, G, T alike) or KiB/MiB/GiB/TiB (binary; Ki, Mi…), any case; at most 15 digits of bytes (999 TB or TiB).',
});

/** A decimal from 0 to 1 (`0.9`, `.5`, `1`) or a percentage from 0% to 100%; no exponents. */
export const RATIO_PATTERN = '^\\s*\\+?(0?\\.[0-9]+|0(\\.[0-9]*)?|1(\\.0*)?|(\\.[0-9]+|[0-9]{1,2}(\\.[0-9]*)?|100(\\.0*)?)%)\\s*$';
export const Ratio = Type.Union([Type.Number({ minimum: 0, maximum: 1 }), Type.String({ pattern: RATIO_PATTERN })], {
  description: 'A ratio from 0 to 1 such as 0.9, or a percentage such as "90%".',
});

export const GLIBC_VERSION_PATTERN = '^\\s*(GLIBC_)?([0-9]+(\\.[0-9]+){1,2})\\s*$';
export const GlibcVersion = Type.String({ pattern: GLIBC_VERSION_PATTERN, description: 'A quoted glibc version such as "2.31" or "GLIBC_2.31".' });

/** One of `choices`, exactly. */
export function Choice(choices: readonly string[]): TSchema {
  return Type.Union(choices.map((choice) => Type.Literal(choice)));
}

/** One or more of `choices`: a list, or a comma-separated string; blanks around each word are ignored. */
export function ChoiceList(choices: readonly string[]): TSchema {
  const word = `\\s*(${choices.join('|')})\\s*`;
  return Type.Union([
    Type.Array(Type.String({ pattern: `^${word}$` }), { minItems: 1 }),
    Type.String({ pattern: `^${word}(,${word})*$` }),
  ]);
}

/** A calendar date that exists, `YYYY-MM-DD` (29 February only in leap years). */
const DATE_PATTERN =
  '^([0-9]{4}-((0[13578]|1[02])-(0[1-9]|[12][0-9]|3[01])|(0[469]|11)-(0[1-9]|[12][0-9]|30)|02-(0[1-9]|1[0-9]|2[0-8]))' +
  '|([0-9]{2}(0[48]|[2468][048]|[13579][26])|([02468][048]|[13579][26])00)-02-29)$';
export const CalendarDate = Type.String({ pattern: DATE_PATTERN });

/** A string with something other than blanks in it. */
export const NonBlank = Type.String({ pattern: '\\S' });

export const SEVERITIES = ['error', 'warning'] as const;
export const Severity = Type.Union(
  SEVERITIES.map((severity) => Type.Literal(severity)),
  { description: '`error` (default) fails the gate with exit 1; `warning` reports and passes.' },
);

export const Ignore = Type.Object(
  {
    path: Type.String({ pattern: '\\S', description: 'Path glob in the image, the dialect of slim --keep: * and ? within a segment, ** across segments, {a,b}, [abc] (docs/decisions.md, "Globs").' }),
    reason: Type.String({ pattern: '\\S', description: 'Why the path is exempt (shown in every output).' }),
    expires: Type.Optional(
      Type.Union([CalendarDate, Type.Null()], {
        description: 'Last day (UTC) the exemption applies, YYYY-MM-DD; after it the violation counts again and the output says so.',
      }),
    ),
  },
  { additionalProperties: false },
);
export const IgnoreList = Type.Array(Ignore);

export const Paths = Type.Union([NonBlank, Type.Array(NonBlank, { minItems: 1 })], {
  description: 'Only violations under these path globs count.',
});

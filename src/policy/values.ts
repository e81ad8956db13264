/**
 * Parsers for rule values. Each throws a ValueError whose message says what is allowed; the
 * policy loader prefixes it with the key (`rules.max-size`) and turns it into a UsageError.
 * What each accepts is its schema in value-schemas.ts; the parser only converts and explains.
 */
import type { TSchema } from '@sinclair/typebox';
import { Value } from '@sinclair/typebox/value';
import {
  CalendarDate,
  Choice,
  ChoiceList,
  Disabled,
  GLIBC_VERSION_PATTERN,
  GlibcVersion,
  Ratio,
  SIZE_UNITS,
  Size,
  Switch,
  TRUE_WORDS,
} from './value-schemas.js';

/** A value that does not fit its rule; the message completes "rules.NAME: …". */
export class ValueError extends Error {
  override name = 'ValueError';
}

/** Whether `value` has the syntax `schema` (value-schemas.ts) describes. */
export function fits(schema: TSchema, value: unknown): boolean {
  return Value.Check(schema, value);
}

export function isDisabledValue(value: unknown): boolean {
  return fits(Disabled, value);
}

/** `true`/`false`, or their command-line spellings (on/off, yes/no, enabled/disabled, 1/0). */
export function parseSwitch(value: unknown): boolean {
  if (!fits(Switch, value)) throw new ValueError(`must be true or false (got ${show(value)})`);
  return typeof value === 'boolean' ? value : (TRUE_WORDS as readonly string[]).includes(String(value).trim().toLowerCase());
}

/**
 * A size the way dive reads `highestWastedBytes` (go-humanize `ParseBytes`): a number, then an
 * optional unit, case-insensitive. SI units are decimal (`kB`, `MB`, `GB`… and `k`, `M`, `G`),
 * IEC units binary (`KiB`, `MiB`… and `Ki`, `Mi`); no unit means bytes; fractions truncate.
 */
export function parseSize(value: unknown): number {
  if (!fits(Size, value)) {
    if (typeof value === 'string' && /^\s*([0-9]+|[0-9]{1,3}(,[0-9]{3})+)(\.[0-9]*)?\s*([kmgtpe]i?b?|b)?\s*$/i.test(value)) throw new ValueError(`is too large: at most 15 digits of bytes, such as "999TB" (got ${show(value)})`);
    throw new ValueError(`must be a size such as "50MB" (decimal), "20MiB" (binary) or a byte count (got ${show(value)})`);
  }
  if (typeof value === 'number') return value;
  const match = /^([0-9.,]+)\s*([a-z]*)$/i.exec(String(value).trim())!;
  return Math.trunc(Number(match[1]!.replace(/,/g, '')) * UNIT_BYTES[match[2]!.toLowerCase()]!);
}

const UNIT_BYTES: Record<string, number> = (() => {
  const table: Record<string, number> = {};
  for (const { letter, power } of SIZE_UNITS) {
    const decimal = 1000 ** power;
    const binary = 1024 ** power;
    Object.assign(table, { [letter]: decimal, [`${letter}b`]: decimal });
    if (letter !== '') Object.assign(table, { [`${letter}i`]: binary, [`${letter}ib`]: binary });
  }
  return table;
})();

/** Whether a size string used binary units, to print the measured size the same way. */
export function usesBinaryUnits(text: string): boolean {
  return /[0-9.,\s]([kmgtpe])i(b)?$/i.test(text.trim());
}

/**
 * A ratio between 0 and 1 as dive reads `lowestEfficiency` and `highestUserWastedPercent`
 * (Go `ParseFloat`, range-checked, without exponents); `"10%"` is accepted as 0.1.
 */
export function parseRatio(value: unknown): number {
  if (!fits(Ratio, value)) {
    const decimal = typeof value === 'number' ? Number.isFinite(value) : typeof value === 'string' && /^\s*[+-]?([0-9]+\.?[0-9]*|\.[0-9]+)%?\s*$/.test(value);
    if (decimal) throw new ValueError(`must be between 0 and 1 (got ${show(value)})`);
    throw new ValueError(`must be a ratio between 0 and 1 such as 0.9, or a percentage such as "90%" (got ${show(value)})`);
  }
  if (typeof value === 'number') return value;
  const text = String(value).trim();
  return text.endsWith('%') ? Number(text.slice(0, -1)) / 100 : Number(text);
}

/** A glibc version `2.31` (or `GLIBC_2.31`) as numeric components. */
export function parseGlibcVersion(value: unknown): number[] {
  if (typeof value === 'number') {
    throw new ValueError(`must be a quoted version string such as "2.31": as a number, 2.30 would read as 2.3 (got ${value})`);
  }
  if (!fits(GlibcVersion, value)) throw new ValueError(`must be a glibc version such as "2.31" (got ${show(value)})`);
  return new RegExp(GLIBC_VERSION_PATTERN).exec(value as string)![2]!.split('.').map(Number);
}

/** One or more of `allowed`, as a YAML/JSON list or a comma-separated string. */
export function parseChoiceList<T extends string>(value: unknown, allowed: readonly T[]): T[] {
  if (!fits(ChoiceList(allowed), value)) throw new ValueError(`must be a list of ${allowed.join(', ')} (got ${show(value)})`);
  const items: string[] = Array.isArray(value) ? value : String(value).split(',');
  return [...new Set(items.map((item) => item.trim() as T))];
}

export function parseChoice<T extends string>(value: unknown, allowed: readonly T[]): T {
  if (!fits(Choice(allowed), value)) throw new ValueError(`must be one of ${allowed.join(', ')} (got ${show(value)})`);
  return value as T;
}

/** A calendar date `YYYY-MM-DD` that exists. */
export function parseDate(value: unknown): string {
  if (!fits(CalendarDate, value)) throw new ValueError(`must be a date YYYY-MM-DD (got ${show(value)})`);
  return value as string;
}

/** A value as it appears in messages. */
export function show(value: unknown): string {
  if (typeof value === 'string') return `'${value}'`;
  if (value === undefined) return 'nothing';
  const json = JSON.stringify(value);
  return json === undefined ? String(value) : json.length > 60 ? `${json.slice(0, 57)}...` : json;
}

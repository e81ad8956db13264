/**
 * Parsers for rule values. Each throws a ValueError whose message says what is allowed; the
 * policy loader prefixes it with the key (`rules.max-size`) and turns it into a UsageError.
 */

/** A value that does not fit its rule; the message completes "rules.NAME: …". */
export class ValueError extends Error {
  override name = 'ValueError';
}

/** dive's words for a disabled rule (`isRuleDisabled` in dive's ci/rules.go), plus YAML `false`. */
const DISABLED_WORDS = new Set(['', 'disabled', 'off', 'false']);

export function isDisabledValue(value: unknown): boolean {
  if (value === false) return true;
  return typeof value === 'string' && DISABLED_WORDS.has(value.trim().toLowerCase());
}

const TRUE_WORDS = new Set(['true', 'on', 'yes', 'enabled', '1']);
const FALSE_WORDS = new Set(['false', 'off', 'no', 'disabled', '0']);

/** `true`/`false`, or their command-line spellings (on/off, yes/no, enabled/disabled, 1/0). */
export function parseSwitch(value: unknown): boolean {
  if (typeof value === 'boolean') return value;
  if (typeof value === 'string') {
    const word = value.trim().toLowerCase();
    if (TRUE_WORDS.has(word)) return true;
    if (FALSE_WORDS.has(word)) return false;
  }
  throw new ValueError(`must be true or false (got ${show(value)})`);
}

/**
 * A size the way dive reads `highestWastedBytes` (go-humanize `ParseBytes`): a number, then an
 * optional unit, case-insensitive. SI units are decimal (`kB`, `MB`, `GB`… and `k`, `M`, `G`),
 * IEC units binary (`KiB`, `MiB`… and `Ki`, `Mi`); no unit means bytes; fractions truncate.
 */
export function parseSize(value: unknown): number {
  if (typeof value === 'number' && Number.isInteger(value) && value >= 0 && value <= Number.MAX_SAFE_INTEGER) return value;
  if (typeof value !== 'string') throw new ValueError(`must be a size such as "50MB" or "20MiB" (got ${show(value)})`);
  const match = /^([0-9][0-9,]*(?:\.[0-9]*)?)\s*([a-z]*)$/i.exec(value.trim());
  const number = match ? Number(match[1]!.replace(/,/g, '')) : Number.NaN;
  const unit = SIZE_UNITS[match?.[2]?.toLowerCase() ?? '?'];
  if (!match || !Number.isFinite(number) || unit === undefined) {
    throw new ValueError(`must be a size such as "50MB" (decimal), "20MiB" (binary) or a byte count (got ${show(value)})`);
  }
  const bytes = Math.trunc(number * unit);
  if (bytes > Number.MAX_SAFE_INTEGER) throw new ValueError(`is too large (got ${show(value)})`);
  return bytes;
}

const SIZE_UNITS: Record<string, number> = (() => {
  const table: Record<string, number> = { '': 1, b: 1 };
  'kmgtpe'.split('').forEach((letter, index) => {
    const decimal = 1000 ** (index + 1);
    const binary = 1024 ** (index + 1);
    Object.assign(table, { [letter]: decimal, [`${letter}b`]: decimal, [`${letter}i`]: binary, [`${letter}ib`]: binary });
  });
  return table;
})();

/** Whether a size string used binary units, to print the measured size the same way. */
export function usesBinaryUnits(text: string): boolean {
  return /[0-9.,\s]([kmgtpe])i(b)?$/i.test(text.trim());
}

/**
 * A ratio between 0 and 1 as dive reads `lowestEfficiency` and `highestUserWastedPercent`
 * (Go `ParseFloat`, range-checked); `"10%"` is accepted as 0.1.
 */
export function parseRatio(value: unknown): number {
  let ratio = Number.NaN;
  if (typeof value === 'number') ratio = value;
  else if (typeof value === 'string') {
    const text = value.trim();
    const percent = /^([+]?(?:\d+\.?\d*|\.\d+))%$/.exec(text);
    if (percent) ratio = Number(percent[1]) / 100;
    else if (/^[+-]?(?:\d+\.?\d*|\.\d+)(?:e[+-]?\d+)?$/i.test(text)) ratio = Number(text);
  }
  if (!Number.isFinite(ratio)) throw new ValueError(`must be a ratio between 0 and 1 such as 0.9, or a percentage such as "90%" (got ${show(value)})`);
  if (ratio < 0 || ratio > 1) throw new ValueError(`must be between 0 and 1 (got ${show(value)})`);
  return ratio;
}

/** A glibc version `2.31` (or `GLIBC_2.31`) as numeric components. */
export function parseGlibcVersion(value: unknown): number[] {
  if (typeof value === 'number') {
    throw new ValueError(`must be a quoted version string such as "2.31": as a number, 2.30 would read as 2.3 (got ${value})`);
  }
  const match = typeof value === 'string' ? /^(?:GLIBC_)?(\d+(?:\.\d+){1,2})$/.exec(value.trim()) : null;
  if (!match) throw new ValueError(`must be a glibc version such as "2.31" (got ${show(value)})`);
  return match[1]!.split('.').map(Number);
}

/** Compares dotted numeric versions component by component (missing components are 0). */
export function compareVersions(a: readonly number[], b: readonly number[]): number {
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    const diff = (a[i] ?? 0) - (b[i] ?? 0);
    if (diff !== 0) return Math.sign(diff);
  }
  return 0;
}

/** `GLIBC_2.34` → [2, 34]; anything else (GLIBC_PRIVATE, other libraries' versions) → null. */
export function glibcVersionOf(versionName: string): number[] | null {
  const match = /^GLIBC_(\d+(?:\.\d+)*)$/.exec(versionName);
  return match ? match[1]!.split('.').map(Number) : null;
}

/** One or more of `allowed`, as a YAML/JSON list or a comma-separated string. */
export function parseChoiceList<T extends string>(value: unknown, allowed: readonly T[]): T[] {
  const items = Array.isArray(value) ? value : typeof value === 'string' ? value.split(',') : null;
  const words = items?.map((item) => (typeof item === 'string' ? item.trim() : item));
  if (!words || words.length === 0 || words.some((word) => typeof word !== 'string' || !(allowed as readonly string[]).includes(word))) {
    throw new ValueError(`must be a list of ${allowed.join(', ')} (got ${show(value)})`);
  }
  return [...new Set(words as T[])];
}

export function parseChoice<T extends string>(value: unknown, allowed: readonly T[]): T {
  if (typeof value === 'string' && (allowed as readonly string[]).includes(value.trim())) return value.trim() as T;
  throw new ValueError(`must be one of ${allowed.join(', ')} (got ${show(value)})`);
}

/** A calendar date `YYYY-MM-DD` that exists. */
export function parseDate(value: unknown): string {
  const text = value instanceof Date && !Number.isNaN(value.getTime()) ? value.toISOString().slice(0, 10) : value;
  if (typeof text === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(text)) {
    const date = new Date(`${text}T00:00:00Z`);
    if (!Number.isNaN(date.getTime()) && date.toISOString().slice(0, 10) === text) return text;
  }
  throw new ValueError(`must be a date YYYY-MM-DD (got ${show(value)})`);
}

/** A value as it appears in messages. */
export function show(value: unknown): string {
  if (typeof value === 'string') return `'${value}'`;
  if (value === undefined) return 'nothing';
  const json = JSON.stringify(value);
  return json === undefined ? String(value) : json.length > 60 ? `${json.slice(0, 57)}...` : json;
}

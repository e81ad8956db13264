/**
 * Go's modinfo text (the reverse of runtime/debug BuildInfo.String): `path`, `mod`, `dep`,
 * `=>` replacement and `build` lines, with Go-quoted build keys and values.
 */
import type { GoBuildInfo } from './types.js';

type Module = GoBuildInfo['deps'][number];

export interface ParsedModinfo {
  path: string;
  main: { path: string; version: string; sum: string } | null;
  deps: Module[];
  settings: Array<[string, string]>;
  /** The first malformed line, as Go's ParseBuildInfo reports it; parsing stops there. */
  error: string | null;
}

const needsQuotedKey = (key: string) => key.length === 0 || /[= \t\r\n"`]/.test(key);
const needsQuotedValue = (value: string) => /[ \t\r\n"`]/.test(value);

export function parseModinfo(data: string): ParsedModinfo {
  const result: ParsedModinfo = { path: '', main: null, deps: [], settings: [], error: null };
  let last: { replace: Module['replace'] } | null = null;
  let lineNumber = 1;
  const fail = (message: string) => {
    result.error = `could not parse Go build info: line ${lineNumber}: ${message}`;
    return result;
  };
  const lines = data.split('\n');
  lines.pop(); // text after the last newline is ignored, as Go does
  for (const line of lines) {
    if (line.startsWith('path\t')) result.path = line.slice(5);
    else if (line.startsWith('mod\t') || line.startsWith('dep\t')) {
      const elem = line.slice(4).split('\t');
      if (elem.length !== 2 && elem.length !== 3) return fail(`expected 2 or 3 columns; got ${elem.length}`);
      const module: Module = { path: elem[0] ?? '', version: elem[1] ?? '', sum: elem[2] || null, replace: null };
      if (line.startsWith('mod\t')) {
        result.main = { path: module.path, version: module.version, sum: module.sum ?? '' };
        last = { replace: null };
      } else {
        result.deps.push(module);
        last = module;
      }
    } else if (line.startsWith('=>\t')) {
      const elem = line.slice(3).split('\t');
      if (elem.length !== 3) return fail(`expected 3 columns for replacement; got ${elem.length}`);
      if (!last) return fail('replacement with no module on previous line');
      last.replace = { path: elem[0] ?? '', version: elem[1] ?? '', sum: elem[2] || null };
      last = null;
    } else if (line.startsWith('build\t')) {
      const setting = parseBuildLine(line.slice(6));
      if (typeof setting === 'string') return fail(setting);
      result.settings.push(setting);
    }
    lineNumber++;
  }
  return result;
}

function parseBuildLine(kv: string): [string, string] | string {
  if (kv.length < 1) return "build line missing '='";
  let key: string;
  let rawValue: string;
  const first = kv[0];
  if (first === '=') return 'build line with missing key';
  if (first === '`' || first === '"') {
    const length = quotedPrefixLength(kv);
    if (length === null) return 'invalid quoted key in build line';
    if (kv.length === length) return "build line missing '=' after quoted key";
    if (kv[length] !== '=') return `unexpected character after quoted key: '${kv[length]}'`;
    key = unquoteGo(kv.slice(0, length)) ?? '';
    rawValue = kv.slice(length + 1);
  } else {
    const eq = kv.indexOf('=');
    if (eq < 0) return "build line missing '=' after key";
    key = kv.slice(0, eq);
    rawValue = kv.slice(eq + 1);
    if (needsQuotedKey(key)) return `unquoted key "${key}" must be quoted`;
  }
  let value = rawValue;
  if (rawValue.startsWith('`') || rawValue.startsWith('"')) {
    const unquoted = unquoteGo(rawValue);
    if (unquoted === null) return 'invalid quoted value in build line';
    value = unquoted;
  } else if (needsQuotedValue(rawValue)) return `unquoted value "${rawValue}" must be quoted`;
  return [key, value];
}

/** Length of the Go string literal at the start of `s` (strconv.QuotedPrefix), or null. */
export function quotedPrefixLength(s: string): number | null {
  const quote = s[0];
  if (quote === '`') {
    const end = s.indexOf('`', 1);
    return end < 0 ? null : end + 1;
  }
  if (quote !== '"') return null;
  for (let i = 1; i < s.length; i++) {
    if (s[i] === '\n') return null;
    if (s[i] === '\\') i++;
    else if (s[i] === '"') return unquoteGo(s.slice(0, i + 1)) === null ? null : i + 1;
  }
  return null;
}

const SIMPLE_ESCAPES: Record<string, number> = { a: 7, b: 8, f: 12, n: 10, r: 13, t: 9, v: 11, '\\': 92, '"': 34 };

/** strconv.Unquote for "…" and `…` literals (the forms BuildInfo.String writes); null when invalid. */
export function unquoteGo(literal: string): string | null {
  const bytes = unquoteGoBytes(literal);
  return bytes === null ? null : Buffer.from(bytes).toString('utf8');
}

/** The bytes a Go string literal denotes (`\x`/octal escapes are raw bytes); null when invalid. */
export function unquoteGoBytes(literal: string): Uint8Array | null {
  if (literal.length < 2) return null;
  const quote = literal[0];
  if (quote !== literal[literal.length - 1]) return null;
  const body = literal.slice(1, -1);
  if (quote === '`') return body.includes('`') ? null : Buffer.from(body.replaceAll('\r', ''), 'utf8');
  if (quote !== '"' || body.includes('\n')) return null;
  const bytes: number[] = [];
  const pushText = (text: string) => bytes.push(...Buffer.from(text, 'utf8'));
  for (let i = 0; i < body.length; i++) {
    const c = body[i] as string;
    if (c === '"') return null;
    if (c !== '\\') {
      const code = body.codePointAt(i) ?? 0;
      const char = String.fromCodePoint(code);
      pushText(char);
      i += char.length - 1;
      continue;
    }
    const e = body[++i];
    if (e === undefined) return null;
    if (e in SIMPLE_ESCAPES) bytes.push(SIMPLE_ESCAPES[e] as number);
    else if (e === 'x' || e === 'u' || e === 'U') {
      const digits = e === 'x' ? 2 : e === 'u' ? 4 : 8;
      const hexText = body.slice(i + 1, i + 1 + digits);
      if (!new RegExp(`^[0-9a-fA-F]{${digits}}$`).test(hexText)) return null;
      const value = parseInt(hexText, 16);
      if (e === 'x') bytes.push(value);
      else if (value > 0x10ffff || (value >= 0xd800 && value < 0xe000)) return null;
      else pushText(String.fromCodePoint(value));
      i += digits;
    } else if (e >= '0' && e <= '7') {
      const octal = body.slice(i, i + 3);
      if (!/^[0-7]{3}$/.test(octal) || parseInt(octal, 8) > 255) return null;
      bytes.push(parseInt(octal, 8));
      i += 2;
    } else return null;
  }
  return Uint8Array.from(bytes);
}

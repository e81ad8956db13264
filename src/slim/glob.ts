/**
 * `--keep` patterns: shell-style globs over absolute image paths. A star or `?` stays inside one
 * component, a double star spans any number of them (`/usr/` + double star matches `/usr/a/b`,
 * `/a/` + double star + `/b` matches `/a/b` too), `[…]` is a character class (`[!…]` or `[^…]`
 * negated), a backslash escapes.
 */
import { UsageError } from '../shared/errors.js';

export function hasGlob(pattern: string): boolean {
  return /[*?[]/.test(pattern.replace(/\\./g, ''));
}

/** An anchored RegExp for `pattern` (which must be absolute). */
export function globToRegExp(pattern: string): RegExp {
  let source = '';
  for (let i = 0; i < pattern.length; i++) {
    const char = pattern[i]!;
    if (char === '\\' && i + 1 < pattern.length) {
      source += escapeRegExp(pattern[++i]!);
    } else if (char === '*') {
      if (pattern[i + 1] === '*') {
        i++;
        const wholeSegment = pattern[i - 2] === '/' || i - 1 === 0;
        if (wholeSegment && pattern[i + 1] === '/') {
          i++;
          source += '(?:[^/]*/)*'; // `a/**/b`: zero or more directories
        } else source += '.*';
      } else source += '[^/]*';
    } else if (char === '?') {
      source += '[^/]';
    } else if (char === '[') {
      const end = classEnd(pattern, i);
      if (end < 0) source += '\\[';
      else {
        source += characterClass(pattern.slice(i + 1, end));
        i = end;
      }
    } else source += escapeRegExp(char);
  }
  try {
    return new RegExp(`^${source}$`, 'u');
  } catch (error) {
    throw new UsageError(`--keep ${pattern}: not a valid pattern`, { cause: error });
  }
}

/** Index of the `]` closing the class opened at `start` (a `]` right after `[`, `[!` or `[^` is literal), or -1. */
function classEnd(pattern: string, start: number): number {
  let i = start + 1;
  if (pattern[i] === '!' || pattern[i] === '^') i++;
  if (pattern[i] === ']') i++;
  for (; i < pattern.length; i++) {
    if (pattern[i] === '\\') i++;
    else if (pattern[i] === ']') return i;
  }
  return -1;
}

function characterClass(body: string): string {
  let negated = false;
  if (body.startsWith('!') || body.startsWith('^')) {
    negated = true;
    body = body.slice(1);
  }
  let out = '';
  for (let i = 0; i < body.length; i++) {
    const char = body[i]!;
    if (char === '\\' && i + 1 < body.length) out += escapeClass(body[++i]!);
    else if (char === '-' && i > 0 && i < body.length - 1) out += '-';
    else out += escapeClass(char);
  }
  // A class never matches '/': globs match within one component.
  return negated ? `[^/${out}]` : `(?!/)[${out}]`;
}

function escapeRegExp(char: string): string {
  return /[.*+?^${}()|[\]\\/]/.test(char) ? `\\${char}` : char;
}

function escapeClass(char: string): string {
  return /[\]\\^[-]/.test(char) ? `\\${char}` : char;
}

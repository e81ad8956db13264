/**
 * Brace expansion, done once when a glob is compiled: `/bin/{su,sudo}` becomes `/bin/su` and
 * `/bin/sudo`, nested groups included (`{a,b{c,d}}`). Both the number of patterns a glob expands
 * to and the nesting depth are bounded, so a hostile pattern costs an error, never time.
 */
import { GlobSyntaxError } from './_errors.js';

/** At most this many patterns after expansion. */
export const MAX_ALTERNATIVES = 256;
/** At most this many braces open inside one another. */
const MAX_DEPTH = 16;

/** The patterns `glob` stands for; braces inside `[…]` or after a backslash are literal. */
export function expandBraces(glob: string, original = glob, depth = 0): string[] {
  if (depth > MAX_DEPTH) throw new GlobSyntaxError(original, `braces nested more than ${MAX_DEPTH} deep`);
  let results = [''];
  let literalFrom = 0;
  let i = 0;
  while (i < glob.length) {
    const char = glob[i]!;
    if (char === '\\') i += 2;
    else if (char === '[') i = skipClass(glob, i);
    else if (char === '{') {
      const close = closingBrace(glob, i, original);
      const literal = glob.slice(literalFrom, i);
      const alternatives = splitAlternatives(glob.slice(i + 1, close)).flatMap((alternative) => expandBraces(alternative, original, depth + 1));
      if (results.length * alternatives.length > MAX_ALTERNATIVES) {
        throw new GlobSyntaxError(original, `braces expand to more than ${MAX_ALTERNATIVES} patterns`);
      }
      results = results.flatMap((head) => alternatives.map((alternative) => head + literal + alternative));
      i = close + 1;
      literalFrom = i;
    } else i++;
  }
  const tail = glob.slice(literalFrom);
  return results.map((head) => head + tail);
}

/** Index just past a `[…]` class starting at `start`, or `start + 1` when it never closes. */
export function skipClass(glob: string | readonly string[], start: number): number {
  let i = start + 1;
  if (glob[i] === '!' || glob[i] === '^') i++;
  if (glob[i] === ']') i++;
  for (; i < glob.length; i++) {
    if (glob[i] === '\\') i++;
    else if (glob[i] === ']') return i + 1;
  }
  return start + 1;
}

function closingBrace(glob: string, open: number, original: string): number {
  let depth = 0;
  for (let i = open; i < glob.length; i++) {
    const char = glob[i]!;
    if (char === '\\') i++;
    else if (char === '[') i = skipClass(glob, i) - 1;
    else if (char === '{') depth++;
    else if (char === '}' && --depth === 0) return i;
  }
  throw new GlobSyntaxError(original, "unclosed '{'");
}

/** Splits a group's body at its own commas (not those of nested groups, classes or escapes). */
function splitAlternatives(body: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let from = 0;
  for (let i = 0; i < body.length; i++) {
    const char = body[i]!;
    if (char === '\\') i++;
    else if (char === '[') i = skipClass(body, i) - 1;
    else if (char === '{') depth++;
    else if (char === '}') depth--;
    else if (char === ',' && depth === 0) {
      parts.push(body.slice(from, i));
      from = i + 1;
    }
  }
  parts.push(body.slice(from));
  return parts;
}

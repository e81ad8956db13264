/**
 * A brace-free glob parsed into path segments, each a list of tokens matched against one path
 * component. A segment that is exactly `**` is a globstar; a segment of literals only is kept
 * as its text, to be compared as a string.
 */
import { skipClass } from './_braces.js';
import { GlobSyntaxError } from './_errors.js';

export type Token =
  | { kind: 'char'; char: string }
  | { kind: 'any' }
  | { kind: 'star' }
  | { kind: 'class'; negated: boolean; ranges: Array<[number, number]> };

export type Segment = { kind: 'globstar' } | { kind: 'literal'; text: string } | { kind: 'tokens'; tokens: Token[] };

/** What an unclosed `[` is: an error (`--keep`, policy paths), or a literal `[` as glob(3) takes it. */
export type UnclosedBracket = 'error' | 'literal';

/** Segments of `glob`, a pattern with its braces expanded, split at each `/` outside a class. */
export function parseSegments(glob: string, original: string, unclosed: UnclosedBracket): Segment[] {
  const points = Array.from(glob);
  const segments: Segment[] = [];
  let tokens: Token[] = [];
  let raw = '';
  const finish = () => {
    segments.push(toSegment(tokens, raw));
    tokens = [];
    raw = '';
  };
  for (let i = 0; i < points.length; i++) {
    const char = points[i]!;
    if (char === '/') {
      finish();
      continue;
    }
    raw += char === '*' ? '*' : '.';
    if (char === '\\' && i + 1 < points.length) tokens.push({ kind: 'char', char: points[++i]! });
    else if (char === '*') {
      if (tokens.at(-1)?.kind !== 'star') tokens.push({ kind: 'star' });
    } else if (char === '?') tokens.push({ kind: 'any' });
    else if (char === '[') {
      const end = skipClass(points, i) - 1;
      if (end === i) {
        if (unclosed === 'error') throw new GlobSyntaxError(original, "unclosed '['");
        tokens.push({ kind: 'char', char: '[' });
      } else {
        tokens.push(parseClass(points.slice(i + 1, end)));
        i = end;
      }
    } else tokens.push({ kind: 'char', char });
  }
  finish();
  return segments;
}

function toSegment(tokens: Token[], raw: string): Segment {
  if (raw === '**') return { kind: 'globstar' };
  if (tokens.every((token) => token.kind === 'char')) return { kind: 'literal', text: tokens.map((token) => (token as { char: string }).char).join('') };
  return { kind: 'tokens', tokens };
}

/** `[…]` body (code points): a leading `!` or `^` negates, `a-z` is a range, a backslash escapes. */
function parseClass(body: string[]): Token {
  let from = 0;
  const negated = body[0] === '!' || body[0] === '^';
  if (negated) from = 1;
  const members: Array<{ point: number; dash: boolean }> = [];
  for (let i = from; i < body.length; i++) {
    const escaped = body[i] === '\\' && i + 1 < body.length;
    if (escaped) i++;
    members.push({ point: body[i]!.codePointAt(0)!, dash: !escaped && body[i] === '-' });
  }
  const ranges: Array<[number, number]> = [];
  for (let i = 0; i < members.length; i++) {
    if (members[i + 1]?.dash && i + 2 < members.length) {
      ranges.push([members[i]!.point, members[i + 2]!.point]);
      i += 2;
    } else ranges.push([members[i]!.point, members[i]!.point]);
  }
  return { kind: 'class', negated, ranges };
}

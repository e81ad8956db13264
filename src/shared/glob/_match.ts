/**
 * Matching without backtracking blow-ups: the classic wildcard loop that remembers only the last
 * star, once over the characters of a path component (for `*`) and once over the components of
 * a path (for `**`). Each loop is O(pattern × subject), so a glob never costs more than the
 * product of its length and the path's, whatever its stars (a RegExp built from `*d*d*d…Q`
 * backtracks exponentially).
 */
import type { Segment, Token } from './_parse.js';

/** Whether one path component (as code points) matches a segment's tokens. */
export function matchTokens(tokens: readonly Token[], name: readonly string[]): boolean {
  let t = 0;
  let n = 0;
  let star = -1;
  let resume = 0;
  while (n < name.length) {
    const token = tokens[t];
    if (token !== undefined && token.kind !== 'star' && matchesOne(token, name[n]!)) {
      t++;
      n++;
    } else if (token?.kind === 'star') {
      star = t++;
      resume = n;
    } else if (star >= 0) {
      t = star + 1;
      n = ++resume;
    } else return false;
  }
  while (tokens[t]?.kind === 'star') t++;
  return t === tokens.length;
}

function matchesOne(token: Token, char: string): boolean {
  switch (token.kind) {
    case 'char':
      return token.char === char;
    case 'any':
      return true;
    case 'class': {
      const point = char.codePointAt(0)!;
      return token.ranges.some(([low, high]) => point >= low && point <= high) !== token.negated;
    }
    default:
      return false;
  }
}

/** Whether one path component matches one non-globstar segment. */
export function matchSegment(segment: Segment, name: string): boolean {
  if (segment.kind === 'literal') return segment.text === name;
  if (segment.kind === 'tokens') return matchTokens(segment.tokens, Array.from(name));
  return true;
}

/** Whether a path's components match a pattern's segments, `**` standing for any number of them. */
export function matchSegments(segments: readonly Segment[], names: readonly string[]): boolean {
  let s = 0;
  let n = 0;
  let star = -1;
  let resume = 0;
  while (n < names.length) {
    const segment = segments[s];
    if (segment !== undefined && segment.kind !== 'globstar' && matchSegment(segment, names[n]!)) {
      s++;
      n++;
    } else if (segment?.kind === 'globstar') {
      star = s++;
      resume = n;
    } else if (star >= 0) {
      s = star + 1;
      n = ++resume;
    } else return false;
  }
  while (segments[s]?.kind === 'globstar') s++;
  return s === segments.length;
}

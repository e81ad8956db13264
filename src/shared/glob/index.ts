/**
 * The one glob dialect of imgslim: `slim --keep` and the policy's `paths:` and `ignore:` entries
 * compile their patterns here, matched against absolute paths in the image.
 *
 * - A pattern is anchored at the root; a leading `/` is optional. A trailing `/` means "everything
 *   below": `/usr/` is `/usr/**`.
 * - `*` matches any run of characters inside one path component (dot files included), `?` one
 *   character, `[abc]`, `[a-z]`, `[!abc]` or `[^abc]` one character of (or not of) a class; none
 *   of them matches `/`. A `]` right after `[` (or `[!`) is a member; an unclosed `[` is an error.
 * - `**` as a whole component matches any number of components, none included (`/a/**\/b`
 *   matches `/a/b`); at the end it matches one or more (`/usr/**` is everything below `/usr`, not
 *   `/usr` itself). Elsewhere (`lib**`) it is a `*`.
 * - `{a,b}` are alternatives, nestable (`{a,b{c,d}}`); `{a}` is `a`. A glob expands to at most
 *   256 patterns; an unclosed `{` is an error.
 * - A backslash makes the next character literal.
 *
 * Matching never backtracks exponentially: time is at most the product of the pattern's and the
 * path's lengths (see `_match.ts`).
 */
import { expandBraces } from './_braces.js';
import { GlobSyntaxError } from './_errors.js';
import { matchSegments, matchTokens } from './_match.js';
import { parseSegments, type Segment, type UnclosedBracket } from './_parse.js';

export { MAX_ALTERNATIVES } from './_braces.js';
export { GlobSyntaxError };

export type PathMatcher = (path: string) => boolean;

/** A matcher for absolute image paths; throws GlobSyntaxError (a usage error) for a malformed glob. */
export function compileGlob(glob: string): PathMatcher {
  if (glob === '') throw new GlobSyntaxError(glob, 'an empty pattern');
  let anchored = glob.startsWith('/') ? glob : `/${glob}`;
  if (anchored.length > 1 && anchored.endsWith('/') && !anchored.endsWith('\\/')) anchored += '**';
  const alternatives = expandBraces(anchored, glob).map((pattern) => oneOrMoreAtEnd(parseSegments(pattern.slice(1), glob, 'error')));
  return (path) => {
    const names = (path.startsWith('/') ? path.slice(1) : path).split('/');
    return alternatives.some((segments) => matchSegments(segments, names));
  };
}

/**
 * A matcher for one path component (a name in a directory), with `*`, `?` and `[…]` only: the
 * glob(3) pieces that ld.so.conf `include` lines and runtime layouts use. glob(3) takes an
 * unclosed `[` literally, and so does this by default.
 */
export function compileNameGlob(glob: string, unclosed: UnclosedBracket = 'literal'): (name: string) => boolean {
  const [segment, ...more] = parseSegments(glob, glob, unclosed);
  if (more.length > 0 || segment === undefined) throw new GlobSyntaxError(glob, "a '/'");
  if (segment.kind === 'literal') return (name) => name === segment.text;
  if (segment.kind === 'globstar') return () => true;
  return (name) => matchTokens(segment.tokens, Array.from(name));
}

/** Whether `glob` holds a wildcard, class or brace that is not escaped. */
export function hasGlob(glob: string): boolean {
  return /[*?[{]/.test(glob.replace(/\\./g, ''));
}

/** A trailing `**` matches one or more components: it becomes `*` then `**`. */
function oneOrMoreAtEnd(segments: Segment[]): Segment[] {
  if (segments.at(-1)?.kind !== 'globstar') return segments;
  return [...segments.slice(0, -1), { kind: 'tokens', tokens: [{ kind: 'star' }] }, { kind: 'globstar' }];
}

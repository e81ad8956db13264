/**
 * Path globs for `paths:` scopes and `ignore:` entries, matched against absolute paths in the
 * image: `*` and `?` stay within one path segment, `**` spans segments (`/usr/**` matches
 * everything below /usr, `/**\/*.so` any .so), `[abc]`/`[!abc]` classes, `{a,b}` alternatives.
 * A pattern without a leading `/` is anchored at the root; a trailing `/` means "and below".
 */
import { ValueError } from './values.js';

export type PathMatcher = (path: string) => boolean;

export function compileGlob(pattern: string): PathMatcher {
  const regex = globToRegExp(pattern);
  return (path) => regex.test(path);
}

export function globToRegExp(pattern: string): RegExp {
  let glob = pattern.trim();
  if (glob === '') throw new ValueError('a path glob must not be empty');
  if (!glob.startsWith('/')) glob = `/${glob}`;
  if (glob.length > 1 && glob.endsWith('/')) glob = `${glob}**`;
  return new RegExp(`^${translate(glob, pattern)}$`, 'u');
}

function translate(glob: string, original: string): string {
  let out = '';
  let braces = 0;
  for (let i = 0; i < glob.length; i++) {
    const char = glob[i]!;
    if (char === '*') {
      if (glob[i + 1] === '*') {
        const segmentStart = i === 0 || glob[i - 1] === '/';
        const segmentEnd = i + 2 === glob.length || glob[i + 2] === '/';
        i++;
        if (segmentStart && glob[i + 1] === '/') {
          // `**/` matches zero or more whole directories.
          out += '(?:[^/]*/)*';
          i++;
        } else out += segmentStart && segmentEnd ? '.*' : '[^/]*';
      } else out += '[^/]*';
    } else if (char === '?') out += '[^/]';
    else if (char === '[') {
      const end = glob.indexOf(']', i + 2);
      if (end === -1) throw new ValueError(`unclosed '[' in path glob '${original}'`);
      const body = glob.slice(i + 1, end).replace(/\\/g, '\\\\').replace(/]/g, '\\]').replace(/^!/, '^');
      out += `(?!/)[${body}]`;
      i = end;
    } else if (char === '{') {
      braces++;
      out += '(?:';
    } else if (char === '}' && braces > 0) {
      braces--;
      out += ')';
    } else if (char === ',' && braces > 0) out += '|';
    else if (char === '\\' && i + 1 < glob.length) out += escapeRegExp(glob[++i]!);
    else out += escapeRegExp(char);
  }
  if (braces > 0) throw new ValueError(`unclosed '{' in path glob '${original}'`);
  return out;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}

/**
 * dpkg's per-package file lists: `info/<pkg>[:arch].list` (every path the package installed,
 * `/.` for the root), `info/<pkg>.md5sums` and distroless' `status.d/<pkg>.md5sums`
 * (`<md5>  <path relative to />` per regular file), and `info/<pkg>.conffiles`. Pure over text.
 */

/** Paths of a `.list` file (`/.` dropped; trailing slashes and `/./` removed). */
export function parseDpkgList(text: string): string[] {
  const paths: string[] = [];
  for (const raw of text.split('\n')) {
    const path = normalizeListed(raw.replace(/\r$/, ''));
    if (path) paths.push(path);
  }
  return paths;
}

/** Paths of an md5sums file (files only; the digest is not kept). */
export function parseMd5sums(text: string): string[] {
  const paths: string[] = [];
  for (const raw of text.split('\n')) {
    const line = raw.replace(/\r$/, '');
    // md5sum(1) format: 32 hex digits, two separators (space, or space and `*` for binary mode), the path.
    const match = /^[0-9a-fA-F]{32} [ *](.+)$/.exec(line);
    if (!match) continue;
    const path = normalizeListed(`/${match[1]!.replace(/^\/+/, '')}`);
    if (path) paths.push(path);
  }
  return paths;
}

/** Paths of a `.conffiles` file (one absolute path per line; `remove-on-upgrade` lines skipped). */
export function parseConffilesList(text: string): string[] {
  const paths: string[] = [];
  for (const raw of text.split('\n')) {
    const words = raw.trim().split(/\s+/);
    if (words[0] === 'remove-on-upgrade') continue;
    const path = normalizeListed(words[0] ?? '');
    if (path) paths.push(path);
  }
  return paths;
}

/** `/usr/bin/` → `/usr/bin`, `/./etc` → `/etc`; null for `/.`, empty and relative lines. */
export function normalizeListed(path: string): string | null {
  if (!path.startsWith('/')) return null;
  const parts: string[] = [];
  for (const part of path.split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..') parts.pop();
    else parts.push(part);
  }
  return parts.length > 0 ? `/${parts.join('/')}` : null;
}

/**
 * Entry-name normalisation and the limits a container runtime meets when it creates paths.
 * A leading `/` is cleaned away and the name applied relative to the root, as containerd and
 * Docker do (kaniko writes `/` and `/app/x`); a name that is empty or escapes the root through
 * `..` is rejected, never applied.
 * Everything is iterative: a 444749-character name with 222372 components is one pass.
 */
import { InputError } from '../shared/errors.js';

/** Linux PATH_MAX (4096, including the terminating NUL): the longest path a syscall accepts. */
export const PATH_MAX = 4096;
/** Linux NAME_MAX: the longest single component (ext4, xfs, overlayfs). */
export const NAME_MAX = 255;

/** `/a/b` form of a tar entry name: leading `/`, `./`, `//` and trailing `/` dropped, `a/../b` folded. */
export function normalizeEntryPath(name: string): string {
  if (name === '') throw new InputError('tar entry with an empty name', { code: 'E_UNSAFE_PATH' });
  if (name.includes('\0')) throw new InputError(`tar entry name contains a NUL byte: ${quote(name)}`, { code: 'E_UNSAFE_PATH' });
  const parts: string[] = [];
  for (const part of name.split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..') {
      if (parts.length === 0) {
        throw new InputError(`tar entry ${quote(name)} escapes the image root through '..'; refusing to apply it`, {
          code: 'E_UNSAFE_PATH',
        });
      }
      parts.pop();
      continue;
    }
    parts.push(part);
  }
  return '/' + parts.join('/');
}

/**
 * A hard-link target as containerd's hardlinkRootPath treats it: relative to the root whether
 * or not it starts with `/`, and `..` clamped at the root (it can never leave the image).
 */
export function normalizeLinkTarget(linkname: string): string {
  const parts: string[] = [];
  for (const part of linkname.split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..') parts.pop();
    else parts.push(part);
  }
  return '/' + parts.join('/');
}

/** Throws when Linux could not create `path` (ENAMETOOLONG), as every runtime then fails to unpack the layer. */
export function checkPathLimits(path: string, what = 'path'): void {
  const bytes = utf8Length(path);
  if (bytes >= PATH_MAX) {
    const depth = countComponents(path);
    throw new InputError(
      `${what} ${preview(path)} is ${bytes} bytes long with ${depth} components; Linux limits paths to ${PATH_MAX - 1} bytes (PATH_MAX), so no container runtime can create it`,
      { code: 'E_PATH_TOO_LONG' },
    );
  }
  let start = 1;
  while (start <= path.length) {
    let end = path.indexOf('/', start);
    if (end === -1) end = path.length;
    const componentBytes = utf8Length(path, start, end);
    if (componentBytes > NAME_MAX) {
      throw new InputError(
        `${what} ${preview(path)} has a ${componentBytes}-byte component; Linux limits names to ${NAME_MAX} bytes (NAME_MAX)`,
        { code: 'E_PATH_TOO_LONG' },
      );
    }
    start = end + 1;
  }
}

/** A layer in messages: numbered from 1, as the progress labels (`layer 2/3 sha256:…`) and every other message number them. */
export function layerName(index: number): string {
  return `layer ${index + 1}`;
}

/** Components of a normalised absolute path (`/` has none). */
export function pathComponents(path: string): string[] {
  return path === '/' ? [] : path.slice(1).split('/');
}

export function parentOf(path: string): string {
  const slash = path.lastIndexOf('/');
  return slash <= 0 ? '/' : path.slice(0, slash);
}

export function baseOf(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1);
}

export function joinPath(dir: string, name: string): string {
  return dir === '/' ? `/${name}` : `${dir}/${name}`;
}

/** Byte (UTF-8) order, the order Go's sort.Strings and `ls` under LC_ALL=C use. */
export function compareBytewise(a: string, b: string): number {
  const length = Math.min(a.length, b.length);
  for (let i = 0; i < length; i++) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (x === y) continue;
    // UTF-16 order differs from code-point order only when one side is a surrogate.
    const xs = x >= 0xd800 && x <= 0xdfff;
    const ys = y >= 0xd800 && y <= 0xdfff;
    if (xs !== ys) return xs ? 1 : -1;
    return x - y;
  }
  return a.length - b.length;
}

/** Sorts in place in byte order; the native sort when no string holds a character ≥ U+D800 (then UTF-16 order is byte order). */
export function sortBytewise(strings: string[]): string[] {
  return strings.some((text) => HIGH_CHARACTER.test(text)) ? strings.sort(compareBytewise) : strings.sort();
}

const HIGH_CHARACTER = /[\ud800-\uffff]/;

export function utf8Length(text: string, start = 0, end = text.length): number {
  let bytes = 0;
  for (let i = start; i < end; i++) {
    const code = text.charCodeAt(i);
    if (code < 0x80) bytes += 1;
    else if (code < 0x800) bytes += 2;
    else if (code >= 0xd800 && code <= 0xdbff && i + 1 < end) {
      bytes += 4;
      i++;
    } else bytes += 3;
  }
  return bytes;
}

function countComponents(path: string): number {
  let count = 0;
  for (let i = 0; i < path.length; i++) if (path.charCodeAt(i) === 0x2f) count++;
  return count;
}

function preview(path: string): string {
  return path.length > 80 ? `${path.slice(0, 40)}…${path.slice(-30)}` : path;
}

function quote(name: string): string {
  return JSON.stringify(name.length > 120 ? `${name.slice(0, 60)}…${name.slice(-40)}` : name);
}

/**
 * Search-path strings as each loader splits and expands them: glibc's `fillin_rpath` and
 * `_dl_dst_substitute` (elf/dl-load.c), musl's `path_open` and `fixup_rpath` (ldso/dynlink.c).
 */
import path from 'node:path/posix';

/** What glibc substitutes for $ORIGIN, $PLATFORM and $LIB in one object's strings. */
export interface DstValues {
  origin: string | null;
  platform: string | null;
  lib: string;
}

/** The RPATH/RUNPATH string as written: parsers hand over `:`-split entries. */
export function joinEntries(entries: readonly string[]): string {
  return entries.join(':');
}

/**
 * glibc: `decompose_rpath` + `fillin_rpath`. An empty string means no path at all; an empty
 * element is the working directory; an element whose DST has no value is dropped; trailing
 * slashes are trimmed. Returns absolute directories (relative ones taken from `cwd`).
 */
export function glibcSearchDirs(value: string, separators: RegExp, dst: DstValues, cwd: string): string[] {
  if (value === '') return [];
  const dirs: string[] = [];
  for (const element of value.split(separators)) {
    let dir = element;
    if (element !== '') {
      const expanded = expandGlibcDst(element, dst);
      if (expanded === null || expanded === '') continue;
      dir = expanded;
    }
    const absolute = absolutize(dir, cwd);
    if (!dirs.includes(absolute)) dirs.push(absolute);
  }
  return dirs;
}

/**
 * `_dl_dst_substitute`: `$NAME` or `${NAME}` for ORIGIN, PLATFORM and LIB (a name must not run
 * on into identifier characters); any other `$` is literal. null when a known DST has no value.
 */
export function expandGlibcDst(input: string, dst: DstValues): string | null {
  let out = '';
  for (let i = 0; i < input.length; i++) {
    const c = input[i]!;
    if (c !== '$') {
      out += c;
      continue;
    }
    const token = matchDst(input, i + 1);
    if (!token) {
      out += '$';
      continue;
    }
    const value = token.name === 'ORIGIN' ? dst.origin : token.name === 'PLATFORM' ? dst.platform : dst.lib;
    if (value === null) return null;
    out += value;
    i += token.length;
  }
  return out;
}

function matchDst(input: string, at: number): { name: 'ORIGIN' | 'PLATFORM' | 'LIB'; length: number } | null {
  const curly = input[at] === '{';
  const start = curly ? at + 1 : at;
  for (const name of ['ORIGIN', 'PLATFORM', 'LIB'] as const) {
    if (!input.startsWith(name, start)) continue;
    const next = input[start + name.length] ?? '';
    if (curly ? next !== '}' : /[A-Za-z0-9_]/.test(next)) continue;
    return { name, length: name.length + (curly ? 2 : 0) };
  }
  return null;
}

/**
 * musl `fixup_rpath`: only `$ORIGIN` and `${ORIGIN}` expand; any other `$` makes musl ignore
 * the whole path. Returns the expanded string, or null when it is ignored.
 */
export function expandMuslOrigin(value: string, origin: string): string | null {
  let out = '';
  for (let i = 0; i < value.length; i++) {
    if (value[i] !== '$') {
      out += value[i];
      continue;
    }
    if (value.startsWith('$ORIGIN', i)) i += 6;
    else if (value.startsWith('${ORIGIN}', i)) i += 8;
    else return null;
    out += origin;
  }
  return out;
}

/** musl `path_open`: elements separated by `:` or newlines, empty ones skipped. */
export function muslSearchDirs(value: string, cwd: string): string[] {
  return value
    .split(/[:\n]/)
    .filter((element) => element !== '')
    .map((element) => absolutize(element, cwd));
}

/** The value of KEY in a config Env list; glibc's ld.so keeps the last, musl's getenv the first. */
export function envValue(env: readonly string[], key: string, which: 'first' | 'last'): string | null {
  let found: string | null = null;
  for (const entry of env) {
    if (!entry.startsWith(`${key}=`)) continue;
    found = entry.slice(key.length + 1);
    if (which === 'first') break;
  }
  return found;
}

/** `dir` made absolute against the working directory, without resolving `..` (the lookup does that). */
export function absolutize(dir: string, cwd: string): string {
  if (dir.startsWith('/')) return dir.length > 1 ? dir.replace(/\/+$/, '') : dir;
  const base = cwd.startsWith('/') ? cwd : `/${cwd}`;
  return dir === '' ? base : `${base.replace(/\/+$/, '')}/${dir.replace(/\/+$/, '')}`;
}

/** `dir/name` without doubling the slash. */
export function joinPath(dir: string, name: string): string {
  return dir.endsWith('/') ? `${dir}${name}` : `${dir}/${name}`;
}

/** The directory part of an absolute path as ld.so keeps it for $ORIGIN (`/` stays `/`). */
export function originOf(file: string): string {
  const dir = path.dirname(file);
  return dir === '.' ? '/' : dir;
}

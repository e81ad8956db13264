/**
 * musl's search for one DT_NEEDED name (ldso/dynlink.c `load_library`):
 *   `lib{c,pthread,rt,m,dl,util,xnet}.*` and the loader's own name are the loader itself;
 *   a name with `/` is opened as is; otherwise LD_LIBRARY_PATH, then the DT_RUNPATH (else
 *   DT_RPATH) of the requester and of each object up the needed-by chain, then the lines of
 *   `<prefix>/etc/ld-musl-<arch>.path`, or `/lib:/usr/local/lib:/usr/lib` when it is absent.
 * Empty entries are skipped; the first file found is used, whatever its class.
 */
import type { ElfInfo, FileLookup } from '../types.js';
import { muslPathFile } from './_image-state.js';
import type { LoadedObject } from './_link-map.js';
import { probe } from './_probe.js';
import { absolutize, expandMuslOrigin, joinEntries, joinPath, muslSearchDirs, originOf } from './_search-path.js';
import type { SearchOutcome } from './_glibc.js';
import type { ResolveVia } from './types.js';

const RESERVED = ['c.', 'pthread.', 'rt.', 'm.', 'dl.', 'util.', 'xnet.'];
const DEFAULT_SYS_PATH = '/lib:/usr/local/lib:/usr/lib';
const NAME_MAX = 255;

export interface MuslSearch {
  lookup: FileLookup;
  process: ElfInfo;
  /** The loader's name as the program names it (PT_INTERP): musl's `ldso.name`. */
  ldsoName: string;
  /** LDSO_ARCH, from the loader's file name. */
  arch: string | null;
  ldLibraryPath: string | null;
  cwd: string;
}

/** Names musl answers with itself instead of loading a file. */
export function isMuslBuiltin(name: string, ldsoName: string): boolean {
  if (name.startsWith('lib') && RESERVED.some((prefix) => name.startsWith(prefix, 3))) return true;
  return name === ldsoName || name === ldsoName.slice(ldsoName.lastIndexOf('/') + 1);
}

export function searchMusl(name: string, requester: LoadedObject, search: MuslSearch): SearchOutcome {
  if (name.includes('/')) {
    const realname = absolutize(name, search.cwd);
    return firstMatch([{ via: 'path', label: 'path', dirs: [] }], name, search, realname);
  }
  if (name.length > NAME_MAX) return { kind: 'failed', reason: `the name is longer than NAME_MAX (${NAME_MAX})`, otherClass: [], searched: [] };
  return firstMatch(sources(requester, search), name, search, null);
}

interface Source {
  via: ResolveVia;
  label: string;
  dirs: string[];
}

function sources(requester: LoadedObject, search: MuslSearch): Source[] {
  const list: Source[] = [];
  if (search.ldLibraryPath) list.push({ via: 'ld-library-path', label: 'LD_LIBRARY_PATH', dirs: muslSearchDirs(search.ldLibraryPath, search.cwd) });
  for (let object: LoadedObject | null = requester; object; object = object.loader) {
    const dynamic = object.elf.dynamic;
    if (!dynamic) continue;
    const runpath = dynamic.runpath.length > 0;
    const value = joinEntries(runpath ? dynamic.runpath : dynamic.rpath);
    if (value === '') continue;
    // The main program's $ORIGIN comes from /proc/self/exe (symlinks resolved); a library's from the path it was opened as.
    const expanded = expandMuslOrigin(value, originOf(object.role === 'main' ? object.path : object.realname));
    if (expanded === null) continue;
    list.push({ via: runpath ? 'runpath' : 'rpath', label: `${runpath ? 'RUNPATH' : 'RPATH'} of ${object.path}`, dirs: muslSearchDirs(expanded, search.cwd) });
  }
  const file = search.arch ? `${prefixOf(search.ldsoName)}/etc/ld-musl-${search.arch}.path` : null;
  const content = file ? muslPathFile(search.lookup, file) : null;
  if (file && content !== null) list.push({ via: 'musl-path', label: file, dirs: muslSearchDirs(content, '/') });
  else list.push({ via: 'default-path', label: 'musl default path', dirs: muslSearchDirs(DEFAULT_SYS_PATH, '/') });
  return list;
}

function firstMatch(list: Source[], name: string, search: MuslSearch, path: string | null): SearchOutcome {
  const searched: string[] = [];
  for (const source of list) {
    const candidates = path !== null ? [path] : source.dirs.map((dir) => joinPath(dir, name));
    if (path === null) searched.push(`${source.label} ${source.dirs.join(':') || '(empty)'}`);
    for (const [index, realname] of candidates.entries()) {
      const result = probe(search.lookup, realname, search.process, 'musl');
      if (result.kind === 'missing') continue;
      if (result.kind === 'found') return { kind: 'found', probe: result, realname, via: source.via, viaDetail: path ?? source.dirs[index]! };
      const via = result.chain.length > 1 ? ` (${result.chain[0]})` : '';
      return { kind: 'failed', reason: `${result.path}${via}: ${result.kind === 'unloadable' ? result.reason : 'not loadable'}`, otherClass: [], searched };
    }
  }
  return { kind: 'failed', reason: '', otherClass: [], searched: path !== null ? [path] : searched };
}

/** musl: the path file lives under the parent of the loader's directory (`/lib/ld-musl-…` → ``, `/usr/lib/…` → `/usr`). */
function prefixOf(ldsoName: string): string {
  if (!ldsoName.startsWith('/')) return '';
  let t = 0;
  let z = 0;
  for (let s = 0; s < ldsoName.length; s++) {
    if (ldsoName[s] === '/') {
      z = t;
      t = s;
    }
  }
  return ldsoName.slice(0, z);
}

/**
 * The loader's list of loaded objects: the main program, the interpreter and every library in
 * load order, with the names each answers to. glibc matches a DT_NEEDED against the names an
 * object was loaded under and its SONAME (`_dl_lookup_map`), and after opening a file against
 * the file identity (`_dl_map_object_from_fd`); musl against the file name it was found as
 * (`shortname`) and the identity (dev/ino). The final path stands in for the file identity.
 */
import type { ElfInfo } from '../types.js';

export interface LoadedObject {
  /** Final path after symlinks: the file identity. */
  path: string;
  /** The path it was opened as (glibc l_name, musl p->name): $ORIGIN of a library is its directory. */
  realname: string;
  chain: string[];
  elf: ElfInfo;
  /** The object whose DT_NEEDED loaded it (glibc l_loader, musl needed_by); null for the main program. */
  loader: LoadedObject | null;
  depth: number;
  role: 'main' | 'interpreter' | 'library';
  /** glibc: l_name, every name it was requested as, and its SONAME. */
  names: Set<string>;
  /** musl: the file name it was found as by a search. */
  shortname: string | null;
}

export class LinkMap {
  readonly objects: LoadedObject[] = [];
  private readonly byFinalPath = new Map<string, LoadedObject>();
  /** Each name to the first object in load order that answers to it (see addName). */
  private readonly byAnyName = new Map<string, LoadedObject>();
  private readonly byShort = new Map<string, LoadedObject>();

  add(object: LoadedObject): LoadedObject {
    this.objects.push(object);
    if (!this.byFinalPath.has(object.path)) this.byFinalPath.set(object.path, object);
    for (const name of object.names) this.index(name, object);
    if (object.shortname !== null && !this.byShort.has(object.shortname)) this.byShort.set(object.shortname, object);
    return object;
  }

  /**
   * glibc: `object` was requested as `name` too. A name is only ever added after byName found
   * no object for it, so the first object to claim a name is also the first in load order.
   */
  addName(object: LoadedObject, name: string): void {
    object.names.add(name);
    this.index(name, object);
  }

  /** musl: `object` was found by a search under this file name. */
  setShortname(object: LoadedObject, name: string): void {
    object.shortname = name;
    if (!this.byShort.has(name)) this.byShort.set(name, object);
  }

  byPath(path: string): LoadedObject | undefined {
    return this.byFinalPath.get(path);
  }

  /** glibc `_dl_lookup_map`: the first object in load order answering to `name`. */
  byName(name: string): LoadedObject | undefined {
    return this.byAnyName.get(name);
  }

  /** musl: an object found by a search under this file name. */
  byShortname(name: string): LoadedObject | undefined {
    return this.byShort.get(name);
  }

  private index(name: string, object: LoadedObject): void {
    if (!this.byAnyName.has(name)) this.byAnyName.set(name, object);
  }
}

/** The names glibc will match an object under from the start: l_name and its SONAME. */
export function initialNames(realname: string, elf: ElfInfo): Set<string> {
  const names = new Set<string>();
  if (realname !== '') names.add(realname);
  const soname = elf.dynamic?.soname;
  if (soname) names.add(soname);
  return names;
}

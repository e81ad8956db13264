/**
 * PT_INTERP as the kernel handles it (fs/binfmt_elf.c): the named file is opened in the
 * container's root (relative to the working directory when relative) and must be an ELF
 * object of the program's class and machine; a missing one makes execve fail with ENOENT,
 * the famously confusing "no such file or directory".
 */
import type { ElfInfo, FileLookup } from '../types.js';
import { describeClass, interpreterFlavour } from './_machine.js';
import { initialNames, type LoadedObject } from './_link-map.js';
import { absolutize } from './_search-path.js';
import { detectImageLibc } from './libc.js';
import type { LoaderFlavour, ResolvedDependency } from './types.js';

export interface InterpreterResult {
  dep: ResolvedDependency;
  /** The loaded interpreter, when it can run the program. */
  object: LoadedObject | null;
  flavour: LoaderFlavour;
}

export function resolveInterpreter(main: LoadedObject, lookup: FileLookup, cwd: string): InterpreterResult {
  const interpreter = main.elf.interpreter!;
  const found = lookup.resolve(absolutize(interpreter, cwd));
  let flavour: LoaderFlavour = interpreterFlavour(interpreter);
  if (flavour === 'other' && found) {
    const real = interpreterFlavour(found.path);
    if (real !== 'other') flavour = real;
  }
  const dep: ResolvedDependency = {
    name: interpreter,
    path: found?.kind === 'file' ? found.path : null,
    via: 'interpreter',
    viaDetail: null,
    neededBy: main.path,
    chain: found?.chain ?? [],
    depth: 1,
    problem: null,
  };
  const fail = (problem: string): InterpreterResult => ({ dep: { ...dep, problem }, object: null, flavour });
  if (!found) return fail(`interpreter ${interpreter} is not in the image${otherLibcNote(flavour, main.elf, lookup)}`);
  if (found.kind !== 'file') return fail(`interpreter ${interpreter} is ${found.kind === 'directory' ? 'a directory' : 'not a regular file'}: the kernel cannot load it`);
  const elf = lookup.elf(found.path);
  if (!elf) return fail(`interpreter ${interpreter} (${found.path}) is not an ELF file: the kernel cannot load it`);
  if (elf.class !== main.elf.class || elf.machine !== main.elf.machine || elf.endian !== main.elf.endian) {
    return fail(`interpreter ${interpreter} is ${describeClass(elf)} but ${main.path} is ${describeClass(main.elf)}: wrong class/machine, the kernel cannot load it`);
  }
  const object: LoadedObject = {
    path: found.path,
    realname: interpreter,
    chain: found.chain,
    elf,
    loader: null,
    depth: 1,
    role: 'interpreter',
    names: initialNames(interpreter, elf),
    shortname: null,
  };
  return { dep, object, flavour };
}

/** Why the interpreter is missing when the image has the other libc (or a loader for another machine). */
function otherLibcNote(flavour: LoaderFlavour, elf: ElfInfo, lookup: FileLookup): string {
  const same = detectImageLibc(lookup, elf.machine);
  if (flavour === 'glibc' && !same.glibc && same.musl) return ` — a glibc binary on a musl image: the image has ${same.musl.loader}`;
  if (flavour === 'musl' && !same.musl && same.glibc) return ` — a musl binary on a glibc image: the image has ${same.glibc.loader}`;
  if (!same.glibc && !same.musl) {
    const any = detectImageLibc(lookup);
    const loader = any.glibc?.loader ?? any.musl?.loader;
    if (loader) return `: exec fails with "no such file or directory" (the image's loader ${loader} is for another machine)`;
  }
  return ': exec fails with "no such file or directory"';
}

/** Hardening review of a parsed ELF (the Report's Hardening shape); rules in docs/decisions/elf.md. */
import type { Hardening, Libc } from './facts.js';
import { isPieExecutable, role } from './classify.js';
import { PT_INTERP } from './segments.js';
import type { ElfInfo } from './types.js';

const CANARY = new Set(['__stack_chk_fail', '__stack_chk_guard', '__intel_security_cookie']);
const FORTIFY = /^__\w+_chk$/;
/** C libraries without _FORTIFY_SOURCE `__*_chk` entry points. */
const NO_FORTIFY: ReadonlySet<Libc> = new Set(['none', 'musl']);

/** Whether hardening reads an imported name: the stack protector's, or a FORTIFY `__*_chk` entry point. */
export function isHardeningImport(name: string): boolean {
  // Every CANARY name and FORTIFY match starts with "__": most names are out after two bytes.
  return name.charCodeAt(0) === 95 && name.charCodeAt(1) === 95 && (CANARY.has(name) || FORTIFY.test(name));
}

export function hardening(info: ElfInfo, libc: Libc): Hardening {
  const dynamic = info.dynamic;
  const isStatic = !dynamic || (dynamic.needed.length === 0 && info.interpreter === null && info.importCount === 0);
  const canary = info.imports.some((name) => CANARY.has(name)) || (isStatic && (info.symtabMarkers ?? []).length > 0);
  const fortified = info.imports.some((name) => FORTIFY.test(name) && !CANARY.has(name) && name !== '__stack_chk_fail');
  const isLibrary = role(info) === 'library';
  return {
    relro: !info.relro ? 'none' : dynamic?.bindNow ? 'full' : 'partial',
    canary,
    nx: info.gnuStack === 'nx',
    // Shared objects are position-independent by construction; executables need ET_DYN marked PIE.
    pie: info.type === 'DYN' && (isLibrary || isPieExecutable(info) || info.segments.some((s) => s.type === PT_INTERP)),
    fortify: fortified ? 'yes' : isStatic || NO_FORTIFY.has(libc) ? 'n/a' : 'no',
    textrel: dynamic?.textrel ?? false,
    wx: info.wx,
    stripped: !info.hasSymtab,
    rpath: (dynamic?.rpath.length ?? 0) > 0,
    runpath: (dynamic?.runpath.length ?? 0) > 0,
  };
}

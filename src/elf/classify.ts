/**
 * Pure classification of a parsed ELF: linkage, role (elfutils elfclassify rules), the C
 * library it was built against, the glibc version floor and toolchain hints.
 */
import type { ElfRole, Libc, Linkage } from './facts.js';
import { DF_1_PIE } from './dynamic.js';
import { PT_DYNAMIC, PT_INTERP, PT_LOAD } from './segments.js';
import type { ElfInfo } from './types.js';

const hasSegment = (info: ElfInfo, type: number) => info.segments.some((s) => s.type === type);

/** DF_1_PIE, or DT_DEBUG on an ET_DYN (binutils' PIE marker before DF_1_PIE existed). */
export function isPieExecutable(info: ElfInfo): boolean {
  if (info.type !== 'DYN' || !info.dynamic) return false;
  return (info.dynamic.flags1 & DF_1_PIE) !== 0 || info.dynamic.hasDebug;
}

/**
 * `dynamic`: it has a program interpreter or DT_NEEDED entries, or is a shared object;
 * `static-pie`: self-relocating ET_DYN marked PIE with neither; `static` otherwise.
 */
export function linkage(info: ElfInfo): Linkage {
  if (hasSegment(info, PT_INTERP) || (info.dynamic?.needed.length ?? 0) > 0) return 'dynamic';
  if (info.type === 'DYN' && info.dynamic) return isPieExecutable(info) ? 'static-pie' : 'dynamic';
  return 'static';
}

/** elfclassify: a loadable ET_EXEC/ET_DYN with PT_LOAD that is not debug-only. */
function isLoadable(info: ElfInfo): boolean {
  return (info.type === 'EXEC' || info.type === 'DYN') && hasSegment(info, PT_LOAD) && !info.debugOnly;
}

/** elfclassify's is_shared: a loadable ET_DYN with PT_DYNAMIC that is not a (PIE) program. */
function isShared(info: ElfInfo): boolean {
  if (!isLoadable(info) || info.type === 'EXEC' || !hasSegment(info, PT_DYNAMIC)) return false;
  if (info.dynamic && (info.dynamic.flags1 & DF_1_PIE) !== 0) return false;
  if (info.dynamic?.soname) return true;
  if (hasSegment(info, PT_INTERP)) return false;
  return !info.dynamic?.hasDebug;
}

/** What the file is, following elfutils elfclassify (an ET_DYN with PT_INTERP and no SONAME is a program). */
export function role(info: ElfInfo): ElfRole {
  if (info.type === 'CORE') return 'core';
  if (info.debugOnly) return 'debug';
  if (info.type === 'REL') return 'object';
  if (!isLoadable(info)) return 'other';
  return isShared(info) ? 'library' : 'executable';
}

const GLIBC_SONAMES = new Set(['libc.so.6', 'libc.so.6.1', 'libc.so.0.1', 'libc.so.0.3']);

/** Which libc the object was built against, from PT_INTERP, DT_NEEDED and version needs. */
export function libcOf(info: ElfInfo, imageLibc?: 'glibc' | 'musl' | null): Libc {
  const needed = info.dynamic?.needed ?? [];
  const interp = info.interpreter ?? '';
  const interpName = interp.slice(interp.lastIndexOf('/') + 1);
  const soname = info.dynamic?.soname ?? '';
  // glibc's own objects (ld.so, libc.so.6) define GLIBC_* versions; musl's libc.so is its loader.
  if (info.dynamic?.verdef.some((name) => name.startsWith('GLIBC_'))) return 'glibc';
  if (/^(libc\.musl-.*\.so\.1|ld-musl-.*\.so\.1)$/.test(soname)) return 'musl';
  if (!hasSegment(info, PT_INTERP) && needed.length === 0) return info.type === 'EXEC' || info.type === 'DYN' ? 'none' : 'unknown';
  if (info.dynamic?.verneed.some((need) => need.versions.some((v) => v.name.startsWith('GLIBC_')))) return 'glibc';
  if (/^ld-musl-.*\.so\.1$/.test(interpName) || needed.some((n) => /^libc\.musl-.*\.so\.1$/.test(n))) return 'musl';
  if (/^ld-uClibc/.test(interpName) || interpName === 'linker' || interpName === 'linker64' || /^ld-elf(32)?\.so\./.test(interpName)) return 'other';
  if (info.osabi === 6 || /^\/usr\/lib\/(.*\/)?ld\.so\.1$/.test(interp)) return 'other'; // Solaris/illumos
  if (needed.some((n) => GLIBC_SONAMES.has(n))) return 'glibc';
  if (needed.includes('libc.so.0') || needed.includes('libc.so.1') || needed.some((n) => /^libc\.so\.[7-9]$/.test(n))) return 'other';
  if (/^(ld-linux.*\.so\.\d|ld64\.so\.\d|ld\.so\.1|ld-kfreebsd-.*\.so\.1|ld\.so)$/.test(interpName)) return 'glibc';
  if (needed.includes('libc.so')) return imageLibc === 'musl' ? 'musl' : 'unknown';
  return imageLibc ?? 'unknown';
}

const GLIBC_VERSION = /^GLIBC_(\d+)\.(\d+)(?:\.(\d+))?$/;

/** `GLIBC_2.34` → [2, 34, 0]; anything else (GLIBC_PRIVATE, other libraries' versions) → null. */
export function glibcVersionParts(name: string): number[] | null {
  const m = GLIBC_VERSION.exec(name);
  return m ? [Number(m[1]), Number(m[2]), Number(m[3] ?? 0)] : null;
}

/** The highest `GLIBC_x.y[.z]` among version names (numeric comparison; the first of equals), or null. */
export function highestGlibcVersion(names: Iterable<string>): { name: string; parts: number[] } | null {
  let best: { name: string; parts: number[] } | null = null;
  for (const name of names) {
    const parts = glibcVersionParts(name);
    if (parts && (!best || compareVersionParts(parts, best.parts) > 0)) best = { name, parts };
  }
  return best;
}

/** The highest `GLIBC_x.y[.z]` the object requires (numeric comparison), or null. */
export function glibcFloor(info: ElfInfo): string | null {
  return highestGlibcVersion((info.dynamic?.verneed ?? []).flatMap((need) => need.versions.map(({ name }) => name)))?.name ?? null;
}

/** The highest `GLIBC_x.y[.z]` the object defines (glibc's own libc.so.6 and ld.so: the glibc they provide), or null. */
export function glibcProvided(info: ElfInfo): string | null {
  return highestGlibcVersion(info.dynamic?.verdef ?? [])?.name ?? null;
}

/** Compares version components numerically (missing components are 0). */
export function compareVersionParts(a: readonly number[], b: readonly number[]): number {
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    const d = (a[i] ?? 0) - (b[i] ?? 0);
    if (d !== 0) return d;
  }
  return 0;
}

const TOOLCHAIN_PATTERNS = [/^GCC: /, /clang version/, /^rustc version/, /^Linker: /, /^GHC /, /^ldc version/, /^Intel/, /^NVIDIA|^nvc/, /^zig /, /^LLD /];

/**
 * Toolchain hints: `.comment` strings naming a compiler or linker (GCC, clang, rustc, LLD…),
 * other `.comment` strings after them, and `go1.x` for Go binaries.
 */
export function toolchainHints(info: ElfInfo): string[] {
  const known = info.comment.filter((c) => TOOLCHAIN_PATTERNS.some((p) => p.test(c)));
  const rest = info.comment.filter((c) => !known.includes(c));
  const hints = [...known, ...rest];
  if (info.go && !hints.includes(info.go.version)) hints.push(info.go.version);
  return hints;
}

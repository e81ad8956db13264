/**
 * One Binary record per ELF regular file of the final filesystem: facts, classification,
 * hardening, the loader-faithful dependency closure and whether it will load.
 */
import {
  createResolveMemo,
  detectImageLibc,
  glibcFloor,
  glibcProvided,
  hardening,
  libcOf,
  linkage,
  resolveClosure,
  toolchainHints,
  role,
  type ElfInfo,
  type FileLookup,
  type ResolveMemo,
} from '../elf/index.js';
import type { Binary, GoInfo, ImageConfigSummary, PackageRef } from '../report/index.js';
import type { ImageFs } from './image-fs.js';
import { foreignReason, notExecutableReason } from './never-loaded.js';
import { machineMismatch } from './platform-machine.js';

export interface BinaryAnalysis {
  binaries: Binary[];
  /** Missing symbol versions per binary path (subset of its problems). */
  versionProblems: Map<string, string[]>;
  loaderWarnings: Map<string, string[]>;
  imageLibc: ReturnType<typeof detectImageLibc>;
}

export function analyzeBinaries(fs: ImageFs, config: ImageConfigSummary, packageOf?: (path: string) => PackageRef | null): BinaryAnalysis {
  const imageLibc = detectImageLibc(fs);
  const libcHint = imageLibc.glibc ? 'glibc' : imageLibc.musl ? 'musl' : undefined;
  const binaries: Binary[] = [];
  const versionProblems = new Map<string, string[]>();
  const loaderWarnings = new Map<string, string[]>();
  // The merged filesystem no longer changes: every closure may share the loader searches.
  const context: BinaryContext = { lookup: fs, env: config.env ?? [], workingDir: config.workingDir, libcHint, config, packageOf, memo: createResolveMemo() };
  // musl's libc.so is its own loader and may have no SONAME: name it by where the image's loader is.
  const muslLoader = imageLibc.musl ? fs.resolve(imageLibc.musl.loader)?.path : undefined;
  const elfPaths = fs.merged.sortedPaths().filter((path) => {
    const entry = fs.entry(path);
    return entry !== undefined && (entry.type === 'file' || entry.type === 'hardlink') && fs.elf(path) !== null;
  });
  const namesOfInode = new Map<number, string[]>();
  for (const path of elfPaths) {
    const inode = fs.entry(path)!.inode;
    namesOfInode.set(inode, [...(namesOfInode.get(inode) ?? []), path]);
  }
  for (const path of elfPaths) {
    const entry = fs.entry(path)!;
    const elf = fs.elf(path)!;
    const hardLinks = namesOfInode.get(entry.inode)!.filter((name) => name !== path);
    const { binary, versionProblems: missing, warnings } = describeBinary(
      { path, hardLinks, size: entry.size, layer: entry.layer, digest: fs.payload(path)?.digest ?? null, sha1: fs.payload(path)?.sha1 ?? null },
      elf,
      context,
    );
    if (missing.length > 0) versionProblems.set(path, missing);
    if (warnings.length > 0) loaderWarnings.set(path, warnings);
    if (path === muslLoader) binary.libc = 'musl';
    binaries.push(binary);
  }
  const loadedPaths = new Set(binaries.flatMap((binary) => binary.resolved.flatMap((dep) => (dep.path ? [dep.path] : []))));
  for (const binary of binaries) binary.neverLoaded ??= notExecutableReason(binary, fs.entry(binary.path)!.mode, loadedPaths);
  return { binaries, versionProblems, loaderWarnings, imageLibc };
}

export interface BinaryContext {
  /** Where dependencies are looked up; null resolves nothing (a file on disk without --root). */
  lookup: FileLookup | null;
  env: string[];
  workingDir: string | null;
  libcHint: 'glibc' | 'musl' | undefined;
  /** The image config, for the platform check of executables. */
  config?: ImageConfigSummary;
  /** The installed package that owns a path. */
  packageOf?: (path: string) => PackageRef | null;
  /** Shared by the closures of every binary described over the same (unchanging) lookup. */
  memo?: ResolveMemo;
}

/** The Binary record of one ELF file, with its closure resolved through `context.lookup`. */
export function describeBinary(
  file: { path: string; hardLinks?: string[]; size: number; layer: number; digest: string | null; sha1?: string | null },
  elf: ElfInfo,
  context: BinaryContext,
): { binary: Binary; versionProblems: string[]; warnings: string[] } {
  const kind = role(elf);
  const libc = libcOf(elf, context.libcHint);
  const loadable = kind === 'executable' || kind === 'library';
  const resolution =
    loadable && context.lookup && isDynamic(elf)
      ? resolveClosure(file.path, elf, context.lookup, { env: context.env, workingDir: context.workingDir, memo: context.memo })
      : null;
  const problems = [...(resolution?.problems ?? [])];
  const mismatch = kind === 'executable' && context.config ? machineMismatch(elf, context.config) : null;
  if (mismatch) problems.unshift(mismatch);
  const binary: Binary = {
    path: file.path,
    hardLinks: file.hardLinks ?? [],
    size: file.size,
    layer: file.layer,
    digest: file.digest,
    sha1: file.sha1 ?? null,
    class: elf.class === 64 ? 'ELF64' : 'ELF32',
    endian: elf.endian,
    machine: elf.machineName,
    osabi: elf.osabiName,
    type: elf.type,
    role: kind,
    linkage: linkage(elf),
    libc,
    interpreter: elf.interpreter,
    needed: elf.dynamic?.needed ?? [],
    soname: elf.dynamic?.soname ?? null,
    rpath: elf.dynamic?.rpath ?? [],
    runpath: elf.dynamic?.runpath ?? [],
    versionNeeds: Object.fromEntries((elf.dynamic?.verneed ?? []).map((need) => [need.file, need.versions.map((v) => v.name)])),
    versionDefs: elf.dynamic?.verdef ?? [],
    glibcFloor: glibcFloor(elf),
    glibcProvided: glibcProvided(elf),
    muslVersion: elf.muslVersion ?? null,
    resolved: resolution?.deps ?? [],
    vdso: vdsoUse(elf, resolution?.deps ?? [], context.lookup),
    go: goInfo(elf),
    toolchain: toolchainHints(elf),
    buildId: elf.buildId,
    package: context.packageOf?.(file.path) ?? null,
    hardening: hardening(elf, libc),
    neverLoaded: foreignReason(elf, context.config),
    status: !loadable ? 'unknown' : problems.length > 0 ? 'will-fail' : context.lookup || !isDynamic(elf) ? 'ok' : 'unknown',
    problems,
    diagnostics: elf.diagnostics,
  };
  return { binary, versionProblems: resolution?.versionProblems ?? [], warnings: resolution?.warnings ?? [] };
}

function isDynamic(elf: ElfInfo): boolean {
  return elf.interpreter !== null || (elf.dynamic !== null && elf.dynamic.needed.length > 0);
}

/** Whether the object, or a library it loads, looks up vDSO symbols (the kernel maps the vDSO: never a file). */
function vdsoUse(elf: ElfInfo, deps: Binary['resolved'], lookup: FileLookup | null): Binary['vdso'] {
  if (elf.vdsoEvidence) return { uses: true, evidence: elf.vdsoEvidence };
  for (const dep of deps) {
    if (dep.via === 'vdso') return { uses: true, evidence: `NEEDED ${dep.name} (kernel-provided)` };
    const evidence = dep.path && lookup ? lookup.elf(dep.path)?.vdsoEvidence : null;
    if (evidence && dep.path) return { uses: true, evidence: `${dep.path} ${evidence}` };
  }
  return { uses: false, evidence: null };
}

function goInfo(elf: ElfInfo): GoInfo | null {
  if (!elf.go) return null;
  const cgo = elf.go.settings.CGO_ENABLED;
  return { ...elf.go, cgoEnabled: cgo === '1' ? true : cgo === '0' ? false : null };
}

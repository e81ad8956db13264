/**
 * ELF facts as parsed from bytes, and the port the loader-faithful resolver reads the
 * image through. Nothing here touches the host filesystem.
 */

/** Random access to one file's bytes. `read` returns undefined where bytes are unavailable (past EOF or not retained). */
export interface ByteSource {
  readonly size: number;
  read(offset: number, length: number): Uint8Array | undefined;
}

export interface ElfSegment {
  type: number;
  flags: number;
  offset: number;
  vaddr: number;
  filesz: number;
  memsz: number;
  align: number;
}

export interface VersionNeed {
  /** Library file name (vn_file), e.g. `libc.so.6`. */
  file: string;
  versions: Array<{ name: string; hash: number; flags: number; other: number }>;
}

export interface ElfDynamic {
  needed: string[];
  soname: string | null;
  rpath: string[];
  runpath: string[];
  /** DT_FLAGS and DT_FLAGS_1 (0 when absent). */
  flags: number;
  flags1: number;
  bindNow: boolean;
  textrel: boolean;
  /** DT_DEBUG present (the PIE fallback signal). */
  hasDebug: boolean;
  verneed: VersionNeed[];
  /** Names from DT_VERDEF, the base entry (the SONAME) first. */
  verdef: string[];
}

/** An undefined dynamic symbol with its GNU version requirement (from DT_VERSYM + DT_VERNEED). */
export interface ImportedSymbol {
  name: string;
  /** STB_WEAK: the program still loads when no object defines it. */
  weak: boolean;
  /** Required version, e.g. `GLIBC_2.34`; null when unversioned. */
  version: string | null;
  /** The DT_VERNEED file that must provide `version`, e.g. `libc.so.6`. */
  library: string | null;
}

export interface GoBuildInfo {
  version: string;
  path: string | null;
  /** `path@version` of the main module. */
  mainModule: string | null;
  settings: Record<string, string>;
  deps: Array<{
    path: string;
    version: string;
    sum: string | null;
    replace: { path: string; version: string; sum: string | null } | null;
  }>;
}

export interface ElfInfo {
  class: 32 | 64;
  endian: 'little' | 'big';
  osabi: number;
  osabiName: string;
  machine: number;
  /** Human name: `x86-64`, `AArch64`, `i386`, `ARM`, `RISC-V`, `PowerPC64`, `s390x`, `MIPS`, `SPARC V9`… */
  machineName: string;
  /** e_type. */
  type: 'EXEC' | 'DYN' | 'REL' | 'CORE' | 'NONE' | 'OTHER';
  entry: number;
  /** e_entry exactly, as `0x…` (`entry` rounds values beyond 2^53, e.g. IA-64's 0x40000000000004e0). */
  entryHex?: string;
  flags: number;
  /** Real program header count (PN_XNUM resolved). */
  phnum: number;
  shnum: number;
  /** Program headers (the first few thousand at most; see diagnostics when capped). */
  segments: ElfSegment[];
  /** PT_INTERP string; null when absent, empty or unreadable (see diagnostics). */
  interpreter: string | null;
  /** PT_DYNAMIC contents; null when there is no usable dynamic segment. */
  dynamic: ElfDynamic | null;
  /** PT_GNU_STACK: absent, present without PF_X (`nx`) or with PF_X (`exec`). */
  gnuStack: 'absent' | 'nx' | 'exec';
  /** PT_GNU_RELRO present. */
  relro: boolean;
  /** A PT_LOAD segment that is both writable and executable. */
  wx: boolean;
  hasTls: boolean;
  /** A .symtab section is present (not stripped). */
  hasSymtab: boolean;
  /** Section headers say this is a separate debug file (PT_INTERP/.dynamic are SHT_NOBITS). */
  debugOnly: boolean;
  /**
   * Undefined (imported) dynamic symbol names, each once, in symbol-table order. A layer scan for
   * the Report alone (planFacts off) keeps only the names the Report reads (analysis' reportImports).
   */
  imports: string[];
  /** Number of distinct imported names, whatever `imports` keeps. */
  importCount: number;
  /** Number of defined dynamic symbols (exports). */
  exportCount: number;
  /** `.comment` strings. */
  comment: string[];
  /** GNU build-id as hex. */
  buildId: string | null;
  /** Libraries named by `.note.dlopen` (FDO dlopen metadata), flattened. */
  dlopenNotes: string[];
  go: GoBuildInfo | null;
  /** Go binaries: which of the standard packages imgslim looks for (`crypto/tls`, `net`, `time/tzdata`) they link. */
  goPackages?: string[];
  /** Go binaries: which of the functions imgslim looks for (`time.LoadLocation`) they link. */
  goFunctions?: string[];
  /** musl's libc.so (its loader too): the version it embeds and prints as `Version 1.2.3`; absent for other objects. */
  muslVersion?: string | null;
  /**
   * Absolute paths compiled into read-only data (C string literals: `/etc/nginx/nginx.conf`, a
   * command line's first word, the directory before a `%` conversion; /proc, /sys, /dev, /tmp
   * and /run left out), `\n`-joined so a file costs one string; bounded (rodata-strings.ts).
   */
  compiledPaths?: string;
  /**
   * Programs that run programs by name (import execvp, execlp, execvpe, posix_spawnp, system or
   * popen): the bare command names in read-only data (`gzip`, `git-upload-pack`), `\n`-joined,
   * their own imported symbol and library names left out; bounded.
   */
  compiledNames?: string;
  /** Evidence that the object looks up vDSO symbols, e.g. `__vdso_clock_gettime`; null when none. */
  vdsoEvidence: string | null;
  /** Imports with their weak binding and version requirement, in symbol-table order (same names as `imports`). */
  importDetails?: ImportedSymbol[];
  /** Stack-protector symbols (`__stack_chk_fail`, `__stack_chk_guard`) named in `.symtab`'s string table. */
  symtabMarkers?: string[];
  /** Problems met while parsing; parsing never throws on corrupt input. */
  diagnostics: string[];
}

/** A path resolved inside the image root. */
export interface LookupResult {
  /** Absolute path of the final (non-symlink) entry. */
  path: string;
  /** Every path visited, the requested one first and `path` last (length 1 when no symlink was followed). */
  chain: string[];
  kind: 'file' | 'directory' | 'other';
}

/**
 * Read-only view of the image's final filesystem for the resolver. Symlinks are followed
 * inside the image root (an absolute target is relative to the root), never on the host.
 */
export interface FileLookup {
  resolve(path: string): LookupResult | null;
  /** Parsed ELF of a regular file at a resolved path, or null when it is not an ELF file. */
  elf(path: string): ElfInfo | null;
  /** Contents of a small captured file (ld.so.conf, ld.so.cache, ld-musl-*.path…), or null. */
  readFile(path: string): Uint8Array | null;
  /** Names in a directory (for `include` globs), or null when it is not a directory. */
  list(dir: string): string[] | null;
}

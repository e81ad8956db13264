/**
 * ELF: facts parsed from bytes (loader-first, never trusting corrupt input), streaming
 * retention for layer scans, classification and hardening, Go build info; and the
 * loader-faithful dependency resolver (./resolve).
 */
export type {
  ByteSource,
  ElfDynamic,
  ElfInfo,
  ElfSegment,
  FileLookup,
  GoBuildInfo,
  ImportedSymbol,
  LookupResult,
  VersionNeed,
} from './types.js';
export { bufferByteSource, fileByteSource } from './byte-source.js';
export { isElf, parseElf, tryParseElf, type ParseOptions } from './parse.js';
export * from './resolve/index.js';
export { compareVersionParts, glibcFloor, glibcProvided, glibcVersionParts, highestGlibcVersion, isPieExecutable, libcOf, linkage, role, toolchainHints } from './classify.js';
export { hardening, isHardeningImport } from './hardening.js';
export { createElfCollector, DEFAULT_FULL_RETAIN_LIMIT, ScratchBuffer, type CollectorOptions, type ElfCollector } from './collector.js';
export { RetentionArena } from './retention-arena.js';
export { LINKAGES, LIBCS, ELF_ROLES, type Linkage, type Libc, type ElfRole, type Hardening } from './facts.js';
export { VIRTUAL_TREES } from './rodata-strings.js';

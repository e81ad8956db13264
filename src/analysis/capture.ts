/**
 * What the layer scan keeps of a file's content while it streams by: the parsed ELF of ELF
 * files, the bytes of the few small configuration files that loaders, libc and the entrypoint
 * resolution read, and the first line of scripts. Everything else is only counted.
 */
import { isHardeningImport, type ElfInfo } from '../elf/index.js';
import { isPackageDatabaseFile } from '../packages/index.js';
import type { PerlLoads } from './perl-source.js';

export interface EntryPayload {
  elf?: ElfInfo;
  /** Whole content of a captured configuration file. */
  content?: Uint8Array;
  /** The `#!` line of a script, without `#!` and the newline. */
  shebang?: string;
  /** What a perl module or script loads (`.pm`/`.pl` files and `#!…perl` scripts up to MAX_CAPTURED_FILE). */
  perl?: PerlLoads;
  /** `sha256:<hex>` of the content, when the scan hashes it (see ContentDigests). */
  digest?: string;
  /** `sha1:<hex>` of an ELF file's content, when the scan hashes ELF files for an SBOM (SPDX 2.3 requires a file's SHA-1). */
  sha1?: string;
}

/**
 * Whose content the layer scan hashes: nobody's (the default: hashing costs ~6% of a scan), ELF
 * files' (for SBOMs: SHA-256 and SHA-1, the two syft records by default), or every regular
 * file's (for diff: SHA-256).
 */
export type ContentDigests = 'none' | 'elf' | 'all';

/** The import behind a binary's `dlopen` finding (findings.ts). */
export const DLOPEN_IMPORT = 'dlopen';

/**
 * The imported names the Report reads: DLOPEN_IMPORT (findings.ts) and the canary and FORTIFY entry
 * points (hardening). A scan without planFacts keeps only these (ElfInfo.importCount still
 * counts them all): the others were 30 % of the bytes the layer workers sent the main thread
 * for the bench image (docs/benchmarks.md).
 */
export function reportImports(imports: string[]): string[] {
  return imports.filter((name) => name === DLOPEN_IMPORT || isHardeningImport(name));
}

/**
 * Every name reportImports keeps starts with one of these (isHardeningImport's names all start
 * with "__"): a scan without planFacts has only these decoded (ParseOptions.importPrefixes).
 */
export const REPORT_IMPORT_PREFIXES: readonly string[] = [DLOPEN_IMPORT, '__'];

/** Largest configuration file kept whole (ld.so.cache of a big distro is ~200 KiB). */
export const MAX_CAPTURED_FILE = 4 * 1024 * 1024;
/** Longest shebang line read (Linux reads 256 bytes since 5.1). */
export const MAX_SHEBANG = 256;

const CAPTURED_EXACT = new Set([
  '/etc/ld.so.conf',
  '/etc/ld.so.cache',
  '/etc/ld.so.preload',
  '/etc/nsswitch.conf',
  '/etc/passwd',
  '/etc/group',
  '/etc/hosts',
  '/etc/os-release',
  '/usr/lib/os-release',
  '/etc/alpine-release',
  '/etc/debian_version',
  '/etc/redhat-release',
  '/etc/host.conf',
  '/etc/resolv.conf',
  '/etc/gai.conf',
]);

/** Whether the content of the regular file at `path` is captured whole. */
export function isCapturedConfig(path: string, size: number): boolean {
  if (isPackageDatabaseFile(path, size)) return true;
  if (size > MAX_CAPTURED_FILE) return false;
  if (CAPTURED_EXACT.has(path)) return true;
  if (path.startsWith('/etc/ld.so.conf.d/')) return true;
  return /^\/etc\/ld-musl-[^/]+\.path$/.test(path);
}

/** Perl modules and library files, whose loads the scan reads (perl-source.ts). */
export function isPerlSourcePath(path: string): boolean {
  return /\.(?:pm|pl)$/.test(path);
}

/** Largest text file kept whole for slim's configuration rules (includes, paths, accounts). */
export const MAX_CAPTURED_TEXT = 64 * 1024;
const TEXT_CONFIG = /\.(?:conf|cnf|cfg|ini|xml|load)$/;

/**
 * Whether a small regular file's text is kept for slim's rules when it is not ELF: configuration
 * files under /etc and `*.conf`-like files anywhere (nginx's modules-available/*.conf), and every
 * small script (what a kept script opens is named in it).
 */
export function isCapturedText(path: string, size: number): 'config' | 'script' | false {
  if (size > MAX_CAPTURED_TEXT) return false;
  return path.startsWith('/etc/') || TEXT_CONFIG.test(path) ? 'config' : 'script';
}

const ELF_MAGIC = [0x7f, 0x45, 0x4c, 0x46];

export function startsWithElfMagic(head: Uint8Array): boolean {
  return head.length >= 4 && ELF_MAGIC.every((byte, i) => head[i] === byte);
}

export function startsWithShebang(head: Uint8Array): boolean {
  return head.length >= 2 && head[0] === 0x23 && head[1] === 0x21;
}

/** The interpreter line of a script (`/usr/bin/env python3`), from the first bytes of the file. */
export function parseShebang(head: Uint8Array): string | null {
  if (!startsWithShebang(head)) return null;
  let end = head.indexOf(0x0a);
  if (end < 0) end = Math.min(head.length, MAX_SHEBANG);
  const line = Buffer.from(head.subarray(2, end)).toString('latin1').replace(/\r$/, '').trim();
  return line.length > 0 ? line : null;
}

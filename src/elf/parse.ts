/**
 * parseElf: every fact imgslim needs from one ELF file, read loader-first (program headers,
 * PT_INTERP, PT_DYNAMIC through PT_LOAD), then sections where present. Reads only the ranges
 * it needs through the ByteSource and never throws on corrupt input: problems become
 * `diagnostics`.
 */
import { InputError } from '../shared/errors.js';
import { readDynamicInfo } from './dynamic-info.js';
import { readGoBuildInfo } from './go-buildinfo.js';
import { headerSize, isElf, readElfHeader, readerFor, type ElfHeader } from './header.js';
import { readInterpreter } from './interp.js';
import { machineName, osabiName, typeName } from './names.js';
import { buildIdOf, dlopenSonames, readNotes } from './notes.js';
import { readMuslVersion } from './musl-version.js';
import { CANARY_NEEDLES, findInRanges } from './patterns.js';
import { SHF_ALLOC, SHT_NOBITS, SHT_NOTE, SHT_STRTAB, SHT_SYMTAB, readSections, sectionBytes, type RawSection } from './sections.js';
import {
  PF_W,
  PF_X,
  PT_DYNAMIC,
  PT_GNU_RELRO,
  PT_GNU_STACK,
  PT_INTERP,
  PT_LOAD,
  PT_TLS,
  readProgramHeaders,
  readSectionZero,
  toElfSegment,
  type RawSegment,
} from './segments.js';
import { RUNS_BY_NAME, compiledStrings } from './rodata-strings.js';
import { decodeText } from './strings.js';
import type { ByteSource, ElfInfo } from './types.js';
import { goSymbolsLinked, vdsoEvidence } from './vdso.js';

export { isElf };

export interface ParseOptions {
  /** Look for Go build info (default true). */
  go?: boolean;
  /** Look for vDSO symbol names in loaded data (default true). */
  vdso?: boolean;
  /** Fill `importDetails` (weak binding and version per import; default false: it is large and only tools that inspect symbols need it). */
  importDetails?: boolean;
  /**
   * Extract compiledPaths and compiledNames (default true). Only slim's plan reads them; a scan
   * that makes a Report alone turns this off (it was a fifth of the scan's CPU on the bench image).
   */
  compiledStrings?: boolean;
  /**
   * Decode only the imported names that start with one of these prefixes (default: every name).
   * The others are counted in importCount but not named. A scan that makes a Report alone names
   * only the imports the Report reads (analysis' reportImports).
   */
  importPrefixes?: readonly string[];
}

const MAX_COMMENT = 64 << 10;

/** Parses one ELF file. A non-ELF or truncated input yields an ElfInfo whose diagnostics say so. */
export function parseElf(source: ByteSource, options: ParseOptions = {}): ElfInfo {
  const head = source.read(0, Math.min(64, source.size)) ?? new Uint8Array(0);
  if (!isElf(head)) return emptyInfo(head, 'not an ELF file (bad magic, class or data encoding)');
  const header = readElfHeader(head);
  if (!header) return emptyInfo(head, `truncated ELF header: ${source.size} bytes, ${headerSize(head)} needed`);

  const diagnostics: string[] = [];
  const r = readerFor(header);
  const needsZero = header.phnum === 0xffff || (header.shnum === 0 && header.shoff !== 0n) || header.shstrndx === 0xffff;
  const zero = needsZero ? readSectionZero(source, header, r) : null;
  const { count: phnum, segments } = readProgramHeaders(source, header, r, diagnostics, zero);
  const sections = readSections(source, header, r, diagnostics, zero);

  const interpSegment = segments.find((s) => s.type === PT_INTERP);
  const interp = interpSegment ? readInterpreter(source, interpSegment, sections, diagnostics) : { path: null, nobits: false };
  const dynamicSegment = segments.find((s) => s.type === PT_DYNAMIC);
  const dyn = dynamicSegment
    ? readDynamicInfo({ source, r, machine: header.machine, segments, sections, diagnostics, importPrefixes: options.importPrefixes }, dynamicSegment)
    : null;

  const notes = readNotes(source, r, segments, sections);
  const hasSymtab = sections.some((s) => s.type === SHT_SYMTAB);
  const staticLike = !interpSegment && (dyn?.dynamic?.needed.length ?? 0) === 0;
  const loadable = header.type === 2 || header.type === 3;
  const stack = segments.find((s) => s.type === PT_GNU_STACK);

  const info: ElfInfo = {
    class: header.class,
    endian: header.endian,
    osabi: header.osabi,
    osabiName: osabiName(header.osabi, header.machine),
    machine: header.machine,
    machineName: machineName(header.machine, header.class),
    type: typeName(header.type),
    entry: Number(header.entry),
    entryHex: `0x${header.entry.toString(16)}`,
    flags: header.flags,
    phnum,
    shnum: sections.length,
    segments: segments.map(toElfSegment),
    interpreter: interp.path,
    dynamic: dyn?.dynamic ?? null,
    gnuStack: !stack ? 'absent' : stack.flags & PF_X ? 'exec' : 'nx',
    relro: segments.some((s) => s.type === PT_GNU_RELRO),
    wx: segments.some((s) => s.type === PT_LOAD && (s.flags & (PF_W | PF_X)) === (PF_W | PF_X)),
    hasTls: segments.some((s) => s.type === PT_TLS),
    hasSymtab,
    debugOnly: interp.nobits || (dyn?.nobits ?? false) || isDebugOnly(header, sections),
    imports: dyn?.imports.map((i) => i.name) ?? [],
    importCount: dyn?.importCount ?? 0,
    exportCount: dyn?.exportCount ?? 0,
    comment: readComment(source, sections),
    buildId: buildIdOf(notes),
    dlopenNotes: dlopenSonames(notes, diagnostics),
    go: loadable && options.go !== false ? readGoBuildInfo({ source, segments, sections, diagnostics }) : null,
    vdsoEvidence: loadable && options.vdso !== false ? vdsoEvidence(source, segments, header.machine) : null,
    symtabMarkers: hasSymtab && staticLike ? canaryMarkers(source, sections) : [],
    diagnostics,
  };
  if (info.go) {
    const linked = goSymbolsLinked(source, segments);
    info.goPackages = linked.packages;
    info.goFunctions = linked.functions;
  }
  // musl's libc.so is a shared object with PT_DYNAMIC but no PT_INTERP and no DT_NEEDED.
  if (header.type === 3 && dyn?.dynamic && staticLike) info.muslVersion = readMuslVersion(source, segments);
  if (options.importDetails) info.importDetails = dyn?.imports ?? [];
  if (loadable && options.compiledStrings !== false) addCompiledStrings(info, source, segments, interpSegment !== undefined);
  return info;
}

/** compiledPaths, and compiledNames for a program that runs programs by name (its own symbol and library names are not commands). */
function addCompiledStrings(info: ElfInfo, source: ByteSource, segments: readonly RawSegment[], program: boolean): void {
  const wantNames = program && info.imports.some((name) => RUNS_BY_NAME.has(name));
  const found = compiledStrings(source, segments, wantNames);
  if (found.paths.length > 0) info.compiledPaths = found.paths.join('\n');
  if (!wantNames) return;
  const own = new Set([...info.imports, ...(info.dynamic?.needed ?? []), ...(info.dynamic?.verneed ?? []).flatMap((need) => [need.file, ...need.versions.map((v) => v.name)])]);
  const names = found.names.filter((name) => !own.has(name));
  if (names.length > 0) info.compiledNames = names.join('\n');
}

/** Like parseElf, but a file that is not ELF at all is an InputError. */
export function tryParseElf(source: ByteSource, options?: ParseOptions): ElfInfo {
  const head = source.read(0, Math.min(6, source.size));
  if (!head || !isElf(head)) throw new InputError('not an ELF file (bad magic, class or data encoding)', { code: 'E_NOT_ELF' });
  return parseElf(source, options);
}

/** elfutils elfclassify's is_debug_only: symbols or .debug_* but no allocated bits. */
function isDebugOnly(header: ElfHeader, sections: readonly RawSection[]): boolean {
  if (header.type < 1 || header.type > 3 || sections.length === 0) return false;
  const hasBitsAlloc = sections.some((s) => s.type !== SHT_NOBITS && s.type !== SHT_NOTE && (s.flags & SHF_ALLOC) !== 0n);
  const hasDebug = sections.some((s) => s.type === SHT_SYMTAB || s.name.startsWith('.debug_') || s.name.startsWith('.zdebug_'));
  return hasDebug && !hasBitsAlloc;
}

function readComment(source: ByteSource, sections: readonly RawSection[]): string[] {
  const section = sections.find((s) => s.name === '.comment');
  const bytes = section ? sectionBytes(source, section, MAX_COMMENT) : undefined;
  if (!bytes) return [];
  const seen = new Set<string>();
  for (const part of decodeText(bytes).split('\0')) {
    const text = part.trim();
    if (text) seen.add(text);
  }
  return [...seen];
}

/** Stack-protector names in the string table linked from .symtab (static binaries). */
function canaryMarkers(source: ByteSource, sections: readonly RawSection[]): string[] {
  const symtab = sections.find((s) => s.type === SHT_SYMTAB);
  const strtab = symtab ? sections[symtab.link] : undefined;
  if (!strtab || strtab.type !== SHT_STRTAB || strtab.offset + strtab.size > BigInt(source.size)) return [];
  const range = { offset: Number(strtab.offset), length: Number(strtab.size) };
  // The table starts with a NUL, so `\0name\0` also finds the first string.
  return [...new Set(findInRanges(source, [range], CANARY_NEEDLES).map((hit) => hit.id))];
}

function emptyInfo(head: Uint8Array, problem: string): ElfInfo {
  const elfClass = head[4] === 1 ? 32 : 64;
  return {
    class: elfClass,
    endian: head[5] === 2 ? 'big' : 'little',
    osabi: 0,
    osabiName: osabiName(0, 0),
    machine: 0,
    machineName: machineName(0, elfClass),
    type: 'NONE',
    entry: 0,
    flags: 0,
    phnum: 0,
    shnum: 0,
    segments: [],
    interpreter: null,
    dynamic: null,
    gnuStack: 'absent',
    relro: false,
    wx: false,
    hasTls: false,
    hasSymtab: false,
    debugOnly: false,
    imports: [],
    importCount: 0,
    exportCount: 0,
    comment: [],
    buildId: null,
    dlopenNotes: [],
    go: null,
    vdsoEvidence: null,
    diagnostics: [problem],
  };
}

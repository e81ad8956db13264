/**
 * What kept ELF files name in their read-only data (ElfInfo.compiledPaths, compiledNames):
 * absolute paths that exist in the image (a file with its closure or interpreter, a directory as
 * its entry alone), and the programs a program runs by name, found in the image's PATH. The C
 * library and its loader are left to the rules that model what they read (accounts, NSS,
 * locales, zoneinfo, ld.so.cache); shells, multi-call binaries and language runtimes run what
 * their scripts name, so their strings are not evidence of programs they run.
 */
import path from 'node:path/posix';
import { DEFAULT_PATH, findProgram, SHELLS } from '../analysis/index.js';
import { VIRTUAL_TREES } from '../elf/index.js';
import type { Binary } from '../report/index.js';
import { keepClosures } from './plan-closure.js';
import { keepZoneinfo, ZONEINFO } from './plan-system.js';
import { runtimeOf } from './plan-runtimes.js';
import type { Planner } from './planner.js';

/** Files other rules decide on: rewritten account files, the shadow files (never kept), the loader's own. */
const DECIDED_ELSEWHERE = new Set(['/etc/passwd', '/etc/group', '/etc/shadow', '/etc/gshadow', '/etc/ld.so.cache', '/etc/ld.so.preload', '/etc/ld.so.conf']);
/** The C library and its loader (glibc, musl). */
const LIBC = /^(libc\.so|ld-linux|ld64\.so|ld\.so|ld-musl|libc\.musl)/;
/** Interpreters whose strings are their own vocabulary, not programs they run. */
const NOT_RUNNERS = new Set([...SHELLS, 'busybox', 'toybox', 'coreutils']);
/**
 * Words that are also POSIX utilities but far more often just words in a program's strings
 * (option values, messages); a program that runs one of them gets a risk-free shell builtin anyway.
 */
const COMMON_WORDS = new Set(['true', 'false', 'test', 'echo', 'printf', 'kill', 'pwd', 'yes', 'time']);

/** Keeps what every kept ELF file names, then what those name, until nothing new is kept. */
export function keepCompiledReferences(p: Planner, done: Set<string> = new Set()): void {
  for (let again = true; again; ) {
    again = false;
    for (const binary of p.keptBinaries()) {
      if (done.has(binary.path)) continue;
      done.add(binary.path);
      again = true;
      keepCompiledPaths(p, binary);
      keepProgramsByName(p, binary);
      keepPackageDatabase(p, binary);
    }
    keepClosures(p);
  }
}

/** Package tools kept in the image (an entrypoint script's `dpkg-query --show nginx`) read their database. */
const PACKAGE_DATABASES: Record<string, string[]> = {
  'dpkg-query': ['/var/lib/dpkg/status', '/var/lib/dpkg/status.d'],
  dpkg: ['/var/lib/dpkg/status', '/var/lib/dpkg/status.d'],
  apk: ['/lib/apk/db/installed'],
};

function keepPackageDatabase(p: Planner, binary: Binary): void {
  for (const database of PACKAGE_DATABASES[path.basename(binary.path)] ?? []) {
    // A file (status) or a directory (distroless status.d): keepTree keeps either.
    if (p.fs.resolveEntry(database)) p.keep.keepTree(database, `the package database ${binary.path} reads`);
  }
}

function keepCompiledPaths(p: Planner, binary: Binary): void {
  const elf = p.elf(binary.path);
  if (!elf?.compiledPaths || LIBC.test(elf.dynamic?.soname ?? path.basename(binary.path))) return;
  const reason = `path compiled into ${binary.path}`;
  const isProgram = elf.type === 'EXEC' || elf.interpreter !== null;
  for (const candidate of elf.compiledPaths.split('\n')) {
    // A program naming the zone database (Debian's PHP: /usr/share/zoneinfo/%s, zone.tab) loads
    // whatever zone it is given, as Go's time.LoadLocation does: the tree, as plan-system keeps it.
    // Libraries are not evidence: ICU names it only to recognise /etc/localtime's target.
    if (isProgram && (candidate === ZONEINFO || candidate.startsWith(`${ZONEINFO}/`))) {
      keepZoneinfo(p, ZONEINFO, `${binary.path} names the time zone database (${candidate}): it loads named zones from it`);
      continue;
    }
    // Its own PT_INTERP string is read-only data too; the interpreter is kept as such.
    if (DECIDED_ELSEWHERE.has(candidate) || candidate === elf.interpreter) continue;
    const found = p.fs.resolveEntry(candidate);
    if (!found || found.path === '/' || found.path === binary.path || DECIDED_ELSEWHERE.has(found.path) || VIRTUAL_TREES.test(found.path)) continue;
    const type = found.entry.type;
    // A directory keeps its entry alone (its contents are what other rules or the program's data decide).
    if (type === 'directory') p.keep.keepLookup(candidate, `${reason} (the directory alone)`, { program: false });
    else if (type === 'file' || type === 'hardlink') p.keep.keepLookup(candidate, reason);
  }
}

function keepProgramsByName(p: Planner, binary: Binary): void {
  const names = p.elf(binary.path)?.compiledNames;
  const base = path.basename(binary.path);
  if (!names || NOT_RUNNERS.has(base) || runtimeOf(binary.path) !== null) return;
  const searchPath = p.env.get('PATH') ?? DEFAULT_PATH;
  for (const name of names.split('\n')) {
    if (COMMON_WORDS.has(name)) continue;
    const program = findProgram(name, p.fs, searchPath, p.workingDir);
    if (!program || program.real === binary.path) continue;
    if (p.narrowing?.leaveOut(program.path, binary.path, `the probes ran ${binary.path} and it never ran these programs its strings name`)) continue;
    p.keep.keepLookup(program.path, `run by name by ${binary.path} (found in PATH as ${program.path})`);
  }
}

/**
 * Real loaders as the oracle: small programs compiled with gcc / musl-gcc, laid out in a
 * temporary root with copies of this machine's glibc or musl, run under chroot (in a private
 * mount namespace with /proc, so $ORIGIN of the main program works), and what ld.so did parsed
 * from LD_TRACE_LOADED_OBJECTS / `--list` and LD_DEBUG=libs.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { testTmp } from '../../helpers/tools.js';

const SCRATCH = testTmp('resolve');
const GLIBC_DIR = '/lib/x86_64-linux-gnu';
const MUSL_LIBC = '/lib/x86_64-linux-musl/libc.so';
const BUSYBOX = '/bin/busybox';

function has(tool: string): boolean {
  return spawnSync('sh', ['-c', `command -v ${tool}`], { stdio: 'ignore' }).status === 0;
}

const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
export const canChroot = isRoot && has('chroot') && has('unshare') && existsSync(BUSYBOX) && existsSync(`${GLIBC_DIR}/libc.so.6`);
export const hasGcc = has('gcc');
export const hasMusl = has('musl-gcc') && existsSync(MUSL_LIBC);
export const hasLdconfig = existsSync('/usr/sbin/ldconfig') || has('ldconfig');
export const hasLddtree = existsSync('/usr/bin/lddtree') && existsSync('/usr/bin/python3');

if (!canChroot || !hasGcc) console.warn('[imgslim tests] root, chroot, unshare, busybox or gcc missing: skipping the real-loader resolver tests');

export function scratchDir(name: string): string {
  mkdirSync(SCRATCH, { recursive: true });
  return mkdtempSync(path.join(SCRATCH, `${name}-`));
}

export function removeDir(dir: string): void {
  if (dir.startsWith(`${SCRATCH}/`)) rmSync(dir, { recursive: true, force: true });
}

/** Compiles C source into `out` (a host path). */
export function compile(cc: 'gcc' | 'musl-gcc', source: string, out: string, args: string[] = []): void {
  mkdirSync(path.dirname(out), { recursive: true });
  const src = `${out}.c`;
  writeFileSync(src, source);
  execFileSync(cc, ['-O1', '-o', out, src, ...args], { stdio: 'pipe' });
  rmSync(src);
}

const DT_FLAGS_1 = 0x6ffffffb;
const SHT_DYNAMIC = 6;

/**
 * ORs `bits` into the DT_FLAGS_1 entry of an ELF64 little-endian file (link it with `-z now`
 * so the entry exists). GNU ld 2.40 answers `-z nodeflib` with "-z nodeflib ignored", so
 * DF_1_NODEFLIB is set by hand.
 */
export function orFlags1(file: string, bits: number): void {
  const bytes = readFileSync(file);
  const shoff = Number(bytes.readBigUInt64LE(0x28));
  const shentsize = bytes.readUInt16LE(0x3a);
  const shnum = bytes.readUInt16LE(0x3c);
  for (let i = 0; i < shnum; i++) {
    const header = shoff + i * shentsize;
    if (bytes.readUInt32LE(header + 4) !== SHT_DYNAMIC) continue;
    const offset = Number(bytes.readBigUInt64LE(header + 0x18));
    const size = Number(bytes.readBigUInt64LE(header + 0x20));
    for (let at = offset; at < offset + size; at += 16) {
      if (bytes.readBigUInt64LE(at) !== BigInt(DT_FLAGS_1)) continue;
      bytes.writeBigUInt64LE(bytes.readBigUInt64LE(at + 8) | BigInt(bits), at + 8);
      writeFileSync(file, bytes);
      return;
    }
  }
  throw new Error(`${file}: no DT_FLAGS_1 entry to patch`);
}

/** Copies a host file into the root at `imagePath`. */
export function put(root: string, imagePath: string, hostFile: string): void {
  const target = path.join(root, imagePath);
  mkdirSync(path.dirname(target), { recursive: true });
  copyFileSync(hostFile, target);
}

export function link(root: string, imagePath: string, target: string): void {
  const at = path.join(root, imagePath);
  mkdirSync(path.dirname(at), { recursive: true });
  symlinkSync(target, at);
}

export function write(root: string, imagePath: string, text: string): void {
  const at = path.join(root, imagePath);
  mkdirSync(path.dirname(at), { recursive: true });
  writeFileSync(at, text);
}

/** This machine's glibc, Debian layout: /lib64/ld-linux-x86-64.so.2 → /lib/x86_64-linux-gnu/. */
export function glibcBase(root: string): void {
  put(root, `${GLIBC_DIR}/ld-linux-x86-64.so.2`, `${GLIBC_DIR}/ld-linux-x86-64.so.2`);
  put(root, `${GLIBC_DIR}/libc.so.6`, `${GLIBC_DIR}/libc.so.6`);
  link(root, '/lib64/ld-linux-x86-64.so.2', `${GLIBC_DIR}/ld-linux-x86-64.so.2`);
  tools(root);
}

/** This machine's musl as Alpine lays it out: /lib/ld-musl-x86_64.so.1 and the libc.musl symlink. */
export function muslBase(root: string): void {
  put(root, '/lib/ld-musl-x86_64.so.1', MUSL_LIBC);
  link(root, '/lib/libc.musl-x86_64.so.1', 'ld-musl-x86_64.so.1');
  tools(root);
}

function tools(root: string): void {
  put(root, '/.bin/busybox', BUSYBOX);
  mkdirSync(path.join(root, 'proc'), { recursive: true });
}

/** Runs ldconfig for the root (it chroots itself), writing /etc/ld.so.cache in the given format. */
export function ldconfig(root: string, format: 'new' | 'old' | 'compat' = 'new'): void {
  execFileSync('ldconfig', ['-r', root, '-c', format, '-X'], { stdio: 'pipe' });
}

export interface LoaderRun {
  status: number | null;
  stdout: string;
  stderr: string;
}

/** Runs `argv` inside the root with `env` (only these variables), /proc mounted in a private namespace. */
export function runInRoot(root: string, argv: string[], env: string[] = []): LoaderRun {
  const quoted = [...env, ...argv].map((word) => `'${word.replace(/'/g, `'\\''`)}'`).join(' ');
  const script = `mount -t proc proc '${root}/proc' && exec chroot '${root}' /.bin/busybox env -i ${quoted}`;
  const result = spawnSync('unshare', ['--mount', '--propagation', 'private', 'sh', '-c', script], { encoding: 'utf8', timeout: 30_000 });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

export interface TracedLoad {
  /** name → path (null when "not found"), in the order ld.so listed them (vDSO and interpreter excluded). */
  loaded: Array<{ name: string; path: string | null }>;
  /** name → how glibc found it (LD_DEBUG=libs): rpath, runpath, ld-library-path, ld.so.cache or default-path. */
  via: Map<string, string>;
  run: LoaderRun;
}

/** glibc: executes the program with LD_TRACE_LOADED_OBJECTS=1 (what ldd does) and LD_DEBUG=libs. */
export function traceGlibc(root: string, program: string, env: string[] = []): TracedLoad {
  const run = runInRoot(root, [program], ['LD_TRACE_LOADED_OBJECTS=1', 'LD_DEBUG=libs', ...env]);
  const loaded: TracedLoad['loaded'] = [];
  for (const line of run.stdout.split('\n')) {
    const match = /^\t(\S+) => (.+?)(?: \(0x[0-9a-f]+\))?$/.exec(line);
    if (match) loaded.push({ name: match[1]!, path: match[2] === 'not found' ? null : match[2]! });
  }
  return { loaded, via: parseLdDebug(run.stderr), run };
}

/** musl: `ld-musl-<arch>.so.1 --list PROGRAM`, musl's ldd. */
export function traceMusl(root: string, program: string, env: string[] = []): TracedLoad {
  const run = runInRoot(root, ['/lib/ld-musl-x86_64.so.1', '--list', program], env);
  const loaded: TracedLoad['loaded'] = [];
  for (const line of run.stdout.split('\n')) {
    const match = /^\t(\S+) => (\S+) \(0x[0-9a-f]+\)$/.exec(line);
    if (match) loaded.push({ name: match[1]!, path: match[2]! });
  }
  return { loaded, via: new Map(), run };
}

/** For each `find library=NAME` block, the search-path kind of the last file tried before it was found. */
function parseLdDebug(stderr: string): Map<string, string> {
  const via = new Map<string, string>();
  let name: string | null = null;
  let source = '';
  for (const raw of stderr.split('\n')) {
    const line = raw.replace(/^\s*\d+:\s?/, '');
    const find = /^find library=(\S+) \[\d+\]; searching/.exec(line);
    if (find) {
      name = find[1]!;
      continue;
    }
    if (!name) continue;
    if (/^\s*search cache=/.test(line)) source = 'ld.so.cache';
    const path = /^\s*search path=.*\t\t\((.+)\)$/.exec(line);
    if (path) {
      const what = path[1]!;
      source = what.startsWith('RPATH') ? 'rpath' : what.startsWith('RUNPATH') ? 'runpath' : what.startsWith('LD_LIBRARY_PATH') ? 'ld-library-path' : 'default-path';
    }
    if (/^\s*trying file=/.test(line)) via.set(name, source);
    if (line.trim() === '') name = null;
  }
  return via;
}

/** `lddtree --root ROOT PROGRAM` as name → image path (null when lddtree could not find it), in its output order. */
export function lddtree(root: string, program: string): Map<string, string | null> {
  const result = spawnSync('/usr/bin/python3', ['/usr/bin/lddtree', '--root', root, program], { encoding: 'utf8', timeout: 60_000 });
  const out = new Map<string, string | null>();
  for (const line of result.stdout.split('\n')) {
    const match = /^\s+(\S+) => (.+)$/.exec(line);
    if (!match) continue;
    const found = match[2]!.trim();
    out.set(match[1]!, found === 'None' ? null : found.startsWith(root) ? found.slice(root.length) : found);
  }
  return out;
}

/**
 * Hand-made ElfInfo objects and an in-memory FileLookup with kernel-like path resolution
 * (symlinks inside the root, `..` clamped at `/`), for rule-by-rule resolver tests.
 */
import type { ElfDynamic, ElfInfo, FileLookup, LookupResult } from '../../../src/elf/types.js';

export const EM_386 = 3;
export const EM_X86_64 = 62;
export const EM_AARCH64 = 183;

export function fakeDynamic(partial: Partial<ElfDynamic> = {}): ElfDynamic {
  return {
    needed: [],
    soname: null,
    rpath: [],
    runpath: [],
    flags: 0,
    flags1: 0,
    bindNow: false,
    textrel: false,
    hasDebug: false,
    verneed: [],
    verdef: [],
    ...partial,
  };
}

const MACHINE_NAMES: Record<number, string> = { [EM_386]: 'i386', [EM_X86_64]: 'x86-64', [EM_AARCH64]: 'AArch64' };

export function fakeElf(options: {
  type?: ElfInfo['type'];
  class?: 32 | 64;
  machine?: number;
  endian?: 'little' | 'big';
  interpreter?: string | null;
  dynamic?: Partial<ElfDynamic> | null;
}): ElfInfo {
  const machine = options.machine ?? EM_X86_64;
  return {
    class: options.class ?? (machine === EM_386 ? 32 : 64),
    endian: options.endian ?? 'little',
    osabi: 0,
    osabiName: 'UNIX - System V',
    machine,
    machineName: MACHINE_NAMES[machine] ?? `machine ${machine}`,
    type: options.type ?? 'DYN',
    entry: 0,
    flags: 0,
    phnum: 0,
    shnum: 0,
    segments: [],
    interpreter: options.interpreter ?? null,
    dynamic: options.dynamic === null ? null : fakeDynamic(options.dynamic ?? {}),
    gnuStack: 'nx',
    relro: true,
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
    diagnostics: [],
  };
}

/** A shared library: `soname`, its needs, and optional version definitions. */
export function lib(soname: string, dynamic: Partial<ElfDynamic> = {}, machine = EM_X86_64): ElfInfo {
  return fakeElf({ machine, dynamic: { soname, ...dynamic } });
}

export function program(interpreter: string | null, dynamic: Partial<ElfDynamic> = {}, machine = EM_X86_64): ElfInfo {
  return fakeElf({ machine, interpreter, dynamic });
}

type Node = { kind: 'file'; elf: ElfInfo | null; bytes: Uint8Array | null } | { kind: 'dir' } | { kind: 'symlink'; target: string };

export class FakeImage implements FileLookup {
  private readonly nodes = new Map<string, Node>([['/', { kind: 'dir' }]]);

  file(path: string, content: ElfInfo | string | Uint8Array): this {
    this.parents(path);
    if (typeof content === 'string') this.nodes.set(path, { kind: 'file', elf: null, bytes: new TextEncoder().encode(content) });
    else if (content instanceof Uint8Array) this.nodes.set(path, { kind: 'file', elf: null, bytes: content });
    else this.nodes.set(path, { kind: 'file', elf: content, bytes: null });
    return this;
  }

  symlink(path: string, target: string): this {
    this.parents(path);
    this.nodes.set(path, { kind: 'symlink', target });
    return this;
  }

  dir(path: string): this {
    this.parents(`${path}/x`);
    return this;
  }

  remove(path: string): this {
    this.nodes.delete(path);
    return this;
  }

  /** A glibc x86-64 Debian-style base: the loader, libc.so.6 (GLIBC_2.2.5 … `maxGlibc`). */
  debianGlibc(maxGlibc = '2.36'): this {
    const loader = lib('ld-linux-x86-64.so.2', { verdef: ['ld-linux-x86-64.so.2', 'GLIBC_2.2.5', 'GLIBC_2.3', 'GLIBC_2.34', 'GLIBC_PRIVATE'] });
    const minor = Number(maxGlibc.split('.')[1]);
    const versions = ['GLIBC_2.2.5', 'GLIBC_2.3', 'GLIBC_2.14', ...Array.from({ length: minor - 16 }, (_, i) => `GLIBC_2.${17 + i}`)];
    this.file('/usr/lib/x86_64-linux-gnu/ld-linux-x86-64.so.2', loader);
    this.symlink('/lib64/ld-linux-x86-64.so.2', '/lib/x86_64-linux-gnu/ld-linux-x86-64.so.2');
    this.symlink('/lib', 'usr/lib');
    this.file('/usr/lib/x86_64-linux-gnu/libc.so.6', lib('libc.so.6', { needed: ['ld-linux-x86-64.so.2'], verdef: ['libc.so.6', ...versions] }));
    return this;
  }

  resolve(path: string): LookupResult | null {
    const chain = [lexical(path)];
    const pending = push([], path.split('/'));
    const parts: string[] = [];
    let hops = 0;
    for (let name = pending.pop(); name !== undefined; name = pending.pop()) {
      if (name === '..') {
        parts.pop();
        continue;
      }
      const current = `/${[...parts, name].join('/')}`;
      const node = this.nodes.get(current);
      if (!node) return null;
      if (node.kind === 'symlink') {
        if (++hops > 40) return null;
        if (node.target.startsWith('/')) parts.length = 0;
        push(pending, node.target.split('/'));
        chain.push(lexical([...parts, ...[...pending].reverse()].join('/')));
        continue;
      }
      if (pending.length > 0 && node.kind !== 'dir') return null;
      parts.push(name);
    }
    const final = `/${parts.join('/')}`;
    if (chain[chain.length - 1] !== final) chain.push(final);
    const node = this.nodes.get(final)!;
    return { path: final, chain, kind: node.kind === 'file' ? 'file' : node.kind === 'dir' ? 'directory' : 'other' };
  }

  elf(path: string): ElfInfo | null {
    const node = this.nodes.get(path);
    return node?.kind === 'file' ? node.elf : null;
  }

  readFile(path: string): Uint8Array | null {
    const node = this.nodes.get(path);
    return node?.kind === 'file' ? node.bytes : null;
  }

  list(dir: string): string[] | null {
    const found = this.resolve(dir);
    if (found?.kind !== 'directory') return null;
    const prefix = found.path === '/' ? '/' : `${found.path}/`;
    const names = new Set<string>();
    for (const key of this.nodes.keys()) if (key.startsWith(prefix) && key !== found.path) names.add(key.slice(prefix.length).split('/')[0]!);
    return [...names].sort();
  }

  private parents(path: string): void {
    const parts = path.split('/').filter(Boolean);
    for (let i = 1; i < parts.length; i++) {
      const dir = `/${parts.slice(0, i).join('/')}`;
      if (!this.nodes.has(dir)) this.nodes.set(dir, { kind: 'dir' });
    }
  }
}

function push(pending: string[], names: string[]): string[] {
  for (let i = names.length - 1; i >= 0; i--) if (names[i] !== '' && names[i] !== '.') pending.push(names[i]!);
  return pending;
}

function lexical(path: string): string {
  const parts: string[] = [];
  for (const name of path.split('/')) {
    if (name === '' || name === '.') continue;
    if (name === '..') parts.pop();
    else parts.push(name);
  }
  return `/${parts.join('/')}`;
}

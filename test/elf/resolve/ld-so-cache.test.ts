import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { lookupLdSoCache, parseLdSoCache, type LdSoCacheEntry } from '../../../src/elf/resolve/index.js';
import { InputError } from '../../../src/shared/errors.js';
import { canChroot, compile, hasGcc, hasLdconfig, put, removeDir, scratchDir, write } from './_real-root.js';

interface Spec {
  name: string;
  path: string;
  flags?: number;
  hwcaps?: string;
}

const X86_64 = 0x0303;

/** Writes a cache the way ldconfig's cache.c lays it out. */
function buildCache(entries: Spec[], options: { format: 'new' | 'old' | 'compat'; endian?: 'little' | 'big'; endianFlag?: number } = { format: 'new' }): Uint8Array {
  const little = (options.endian ?? 'little') === 'little';
  const oldHeader = 16 + entries.length * 12;
  const newStart = options.format === 'compat' ? Math.ceil(oldHeader / 8) * 8 : 0;
  const newPart = options.format === 'old' ? null : newTable(entries, little, options.endianFlag ?? (little ? 2 : 3), newStart);
  if (options.format === 'new') return newPart!.bytes;
  const strings = options.format === 'old' ? stringTable(entries) : null;
  const size = options.format === 'old' ? oldHeader + strings!.bytes.length : newStart + newPart!.bytes.length;
  const out = new Uint8Array(size);
  const view = new DataView(out.buffer);
  out.set(Buffer.from('ld.so-1.7.0'), 0);
  view.setUint32(12, entries.length, little);
  entries.forEach((entry, i) => {
    const at = 16 + i * 12;
    view.setInt32(at, entry.flags ?? X86_64, little);
    // Old-format offsets count from the end of the old table.
    const key = strings ? strings.offsets.get(entry.name)! : newStart - oldHeader + newPart!.offsets.get(entry.name)!;
    const value = strings ? strings.offsets.get(entry.path)! : newStart - oldHeader + newPart!.offsets.get(entry.path)!;
    view.setUint32(at + 4, key, little);
    view.setUint32(at + 8, value, little);
  });
  if (strings) out.set(strings.bytes, oldHeader);
  else out.set(newPart!.bytes, newStart);
  return out;
}

function stringTable(entries: Spec[], base = 0, extra: string[] = []): { bytes: Uint8Array; offsets: Map<string, number> } {
  const offsets = new Map<string, number>();
  const parts: Buffer[] = [];
  let at = base;
  for (const text of [...entries.flatMap((e) => [e.name, e.path]), ...extra]) {
    if (offsets.has(text)) continue;
    offsets.set(text, at);
    const bytes = Buffer.from(`${text}\0`);
    parts.push(bytes);
    at += bytes.length;
  }
  return { bytes: Buffer.concat(parts), offsets };
}

/** The new table; `fileOffset` is where it will sit (extension offsets count from the file start, string offsets from this header). */
function newTable(entries: Spec[], little: boolean, endianFlag: number, fileOffset: number): { bytes: Uint8Array; offsets: Map<string, number> } {
  const subdirs = [...new Set(entries.flatMap((e) => (e.hwcaps ? [e.hwcaps] : [])))].sort();
  const tableEnd = 48 + entries.length * 24;
  const strings = stringTable(entries, tableEnd, subdirs);
  const extensionAt = Math.ceil((tableEnd + strings.bytes.length) / 4) * 4;
  const extensionSize = subdirs.length > 0 ? 8 + 16 + subdirs.length * 4 : 0;
  const out = new Uint8Array(extensionAt + extensionSize);
  const view = new DataView(out.buffer);
  out.set(Buffer.from('glibc-ld.so.cache1.1'), 0);
  view.setUint32(20, entries.length, little);
  view.setUint32(24, strings.bytes.length, little);
  out[28] = endianFlag;
  view.setUint32(32, subdirs.length > 0 ? fileOffset + extensionAt : 0, little);
  entries.forEach((entry, i) => {
    const at = 48 + i * 24;
    view.setInt32(at, entry.flags ?? X86_64, little);
    view.setUint32(at + 4, strings.offsets.get(entry.name)!, little);
    view.setUint32(at + 8, strings.offsets.get(entry.path)!, little);
    const hwcap = entry.hwcaps ? (1n << 62n) | BigInt(subdirs.indexOf(entry.hwcaps)) : 0n;
    view.setBigUint64(at + 16, hwcap, little);
  });
  out.set(strings.bytes, tableEnd);
  if (subdirs.length > 0) {
    view.setUint32(extensionAt, 0xeaa42174, little);
    view.setUint32(extensionAt + 4, 1, little);
    view.setUint32(extensionAt + 8, 1, little); // tag: glibc-hwcaps
    view.setUint32(extensionAt + 16, fileOffset + extensionAt + 24, little);
    view.setUint32(extensionAt + 20, subdirs.length * 4, little);
    subdirs.forEach((name, i) => view.setUint32(extensionAt + 24 + i * 4, strings.offsets.get(name)!, little));
  }
  return { bytes: out, offsets: strings.offsets };
}

const ENTRIES: Spec[] = [
  { name: 'libz.so.1', path: '/usr/lib/x86_64-linux-gnu/glibc-hwcaps/x86-64-v3/libz.so.1', hwcaps: 'x86-64-v3' },
  { name: 'libz.so.1', path: '/usr/lib/i386-linux-gnu/libz.so.1', flags: 0x0003 },
  { name: 'libz.so.1', path: '/usr/lib/x86_64-linux-gnu/libz.so.1' },
  { name: 'libc.so.6', path: '/lib/x86_64-linux-gnu/libc.so.6' },
];
const brief = (entries: LdSoCacheEntry[]) => entries.map((e) => `${e.name} ${e.flags.toString(16)} ${e.hwcapsSubdir ?? '-'} ${e.path}`);

describe('parseLdSoCache', () => {
  test('new format (glibc ≥ 2.2), with the glibc-hwcaps extension (≥ 2.33)', () => {
    const entries = parseLdSoCache(buildCache(ENTRIES));
    expect(brief(entries)).toEqual([
      'libz.so.1 303 x86-64-v3 /usr/lib/x86_64-linux-gnu/glibc-hwcaps/x86-64-v3/libz.so.1',
      'libz.so.1 3 - /usr/lib/i386-linux-gnu/libz.so.1',
      'libz.so.1 303 - /usr/lib/x86_64-linux-gnu/libz.so.1',
      'libc.so.6 303 - /lib/x86_64-linux-gnu/libc.so.6',
    ]);
    expect(entries.every((e) => e.format === 'new')).toBe(true);
  });

  test('big-endian caches, flagged or (older ldconfig) unflagged', () => {
    const flagged = parseLdSoCache(buildCache(ENTRIES, { format: 'new', endian: 'big' }));
    const unflagged = parseLdSoCache(buildCache(ENTRIES, { format: 'new', endian: 'big', endianFlag: 0 }));
    expect(brief(flagged)).toEqual(brief(parseLdSoCache(buildCache(ENTRIES))));
    expect(brief(unflagged)).toEqual(brief(flagged));
  });

  test('the old libc5 format, and the compat layout where glibc reads the new table', () => {
    const old = parseLdSoCache(buildCache(ENTRIES, { format: 'old' }));
    expect(old.map((e) => `${e.format} ${e.name} ${e.path}`)).toEqual(ENTRIES.map((e) => `old ${e.name} ${e.path}`));
    expect(old.every((e) => e.hwcap === 0n && e.hwcapsSubdir === null)).toBe(true);
    const compat = parseLdSoCache(buildCache(ENTRIES, { format: 'compat' }));
    expect(brief(compat)).toEqual(brief(parseLdSoCache(buildCache(ENTRIES))));
  });

  test('unusable caches are input errors: unknown magic, truncation, impossible counts, invalid flag', () => {
    expect(() => parseLdSoCache(Buffer.from('not a cache at all'))).toThrow(InputError);
    expect(() => parseLdSoCache(buildCache(ENTRIES).slice(0, 40))).toThrow(/truncated/);
    const huge = buildCache(ENTRIES);
    new DataView(huge.buffer).setUint32(20, 1_000_000, true);
    expect(() => parseLdSoCache(huge)).toThrow(/do not fit/);
    expect(() => parseLdSoCache(buildCache(ENTRIES, { format: 'new', endianFlag: 1 }))).toThrow(/invalid/);
  });
});

describe('lookupLdSoCache', () => {
  const entries = parseLdSoCache(buildCache(ENTRIES));
  test('the first entry with accepted flags, skipping glibc-hwcaps variants (baseline CPU)', () => {
    expect(lookupLdSoCache(entries, 'libz.so.1', [X86_64])).toBe('/usr/lib/x86_64-linux-gnu/libz.so.1');
    expect(lookupLdSoCache(entries, 'libz.so.1', [0x0001, 0x0003])).toBe('/usr/lib/i386-linux-gnu/libz.so.1');
    expect(lookupLdSoCache(entries, 'libz.so', [X86_64])).toBeNull();
  });
  test('old-format entries carry no hwcaps: the first one wins, as in ld.so', () => {
    const old = parseLdSoCache(buildCache(ENTRIES, { format: 'old' }));
    expect(lookupLdSoCache(old, 'libz.so.1', [X86_64])).toBe('/usr/lib/x86_64-linux-gnu/glibc-hwcaps/x86-64-v3/libz.so.1');
  });
});

describe.skipIf(!canChroot || !hasGcc || !hasLdconfig)('caches written by this machine’s ldconfig, read back by ldconfig -p', () => {
  let root: string;
  beforeAll(() => {
    root = scratchDir('ldconfig-formats');
    put(root, '/lib/x86_64-linux-gnu/libc.so.6', '/lib/x86_64-linux-gnu/libc.so.6');
    put(root, '/lib/x86_64-linux-gnu/ld-linux-x86-64.so.2', '/lib/x86_64-linux-gnu/ld-linux-x86-64.so.2');
    compile('gcc', 'int c(void) { return 1; }', path.join(root, 'opt/conf/lib/libconf.so.1'), ['-shared', '-fPIC', '-Wl,-soname,libconf.so.1']);
    put(root, '/opt/conf/lib/glibc-hwcaps/x86-64-v3/libconf.so.1', path.join(root, 'opt/conf/lib/libconf.so.1'));
    write(root, '/etc/ld.so.conf', '/opt/conf/lib\n');
  });
  afterAll(() => removeDir(root));

  for (const format of ['new', 'old', 'compat'] as const) {
    test(`-c ${format}`, () => {
      execFileSync('ldconfig', ['-r', root, '-c', format, '-X', '-C', `/etc/ld.so.cache.${format}`], { stdio: 'pipe' });
      const file = path.join(root, `etc/ld.so.cache.${format}`);
      const printed = execFileSync('ldconfig', ['-p', '-C', file], { encoding: 'utf8' })
        .split('\n')
        .flatMap((line) => {
          const match = /^\t(\S+) \(libc6,x86-64(?:, hwcap: "([^"]*)")?\) => (\S+)$/.exec(line);
          return match ? [`${match[1]} ${match[3]}`] : [];
        });
      const entries = parseLdSoCache(readFileSync(file));
      expect(entries.map((e) => `${e.name} ${e.path}`)).toEqual(printed);
      expect(entries.every((e) => e.flags === X86_64 && e.format === (format === 'old' ? 'old' : 'new'))).toBe(true);
      const hwcaps = entries.filter((e) => e.path.includes('glibc-hwcaps'));
      expect(hwcaps).toHaveLength(1);
      if (format === 'new') expect(hwcaps[0]!.hwcapsSubdir).toBe('x86-64-v3');
      if (format === 'compat') expect(hwcaps[0]!.hwcapsSubdir).toBe('x86-64-v3');
      // ld.so on a baseline CPU: the hwcaps variant only where the format cannot mark it.
      const chosen = lookupLdSoCache(entries, 'libconf.so.1', [X86_64]);
      expect(chosen).toBe(format === 'old' ? '/opt/conf/lib/glibc-hwcaps/x86-64-v3/libconf.so.1' : '/opt/conf/lib/libconf.so.1');
    });
  }
});

/**
 * The streaming collector equals a full parse: on every real ELF file over 16 MiB on this
 * machine (bounded memory), and on small files streamed in chunks from 1 byte up.
 */
import { execFileSync } from 'node:child_process';
import { closeSync, mkdirSync, openSync, readSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, test } from 'vitest';
import { bufferByteSource, createElfCollector, fileByteSource, parseElf, RetentionArena, type CollectorOptions, type ElfInfo } from '../../src/elf/index.js';
import { testTmp } from '../helpers/tools.js';
import { buildElf } from './_builder.js';
import { base64, bunzip, hasTool, parseBytes, peerCorpus, read } from './_support.js';

const MiB = 1 << 20;
/** Retention budget (64 MiB) plus the late-headers look-back (16 MiB). */
const MEMORY_BOUND = 80 * MiB;

/** Streams a file through a collector in chunks whose sizes cycle through `sizes`. */
function collectFile(file: string, sizes: readonly number[], options: CollectorOptions = {}): { info: ElfInfo; peak: number } {
  const size = statSync(file).size;
  const collector = createElfCollector(size, options);
  const buffer = Buffer.alloc(Math.max(...sizes));
  const fd = openSync(file, 'r');
  let peak = 0;
  try {
    for (let i = 0, n = 1; n > 0; i++) {
      n = readSync(fd, buffer, 0, sizes[i % sizes.length] as number, null);
      if (n > 0) collector.push(buffer.subarray(0, n)); // a view into a reused buffer: the collector must copy
      peak = Math.max(peak, collector.retainedBytes());
    }
  } finally {
    closeSync(fd);
  }
  return { info: collector.finish(), peak };
}

function collectBytes(bytes: Uint8Array, chunk: number, fullRetainLimit = 0): ElfInfo {
  const collector = createElfCollector(bytes.length, { fullRetainLimit });
  for (let at = 0; at < bytes.length; at += chunk) collector.push(bytes.subarray(at, at + chunk));
  return collector.finish();
}

function parseFile(file: string): ElfInfo {
  const source = fileByteSource(file);
  try {
    return parseElf(source);
  } finally {
    source.close();
  }
}

/** Regular ELF files over 16 MiB under the usual install roots, one per inode. */
function bigElfFiles(): string[] {
  const roots = ['/usr', '/opt', '/root', '/home', '/srv'].filter((root) => {
    try {
      return statSync(root).isDirectory();
    } catch {
      return false;
    }
  });
  const out = execFileSync('find', [...roots, '-xdev', '-type', 'f', '-size', '+16M'], { encoding: 'utf8', maxBuffer: 64 * MiB, stdio: ['ignore', 'pipe', 'ignore'] });
  const inodes = new Set<number>();
  const head = Buffer.alloc(4);
  return out
    .split('\n')
    .filter((file) => {
      if (!file) return false;
      const st = statSync(file, { throwIfNoEntry: false });
      if (!st || inodes.has(st.ino)) return false;
      const fd = openSync(file, 'r');
      const n = readSync(fd, head, 0, 4, 0);
      closeSync(fd);
      if (n !== 4 || head.toString('latin1') !== '\x7fELF') return false;
      inodes.add(st.ino);
      return true;
    })
    .sort();
}

/**
 * An ELF file of 24 MiB built here (PT_INTERP, then one 24 MiB PT_LOAD of varied bytes), so the
 * test below never runs over an empty list on a machine without big binaries.
 */
function builtBigElf(): string {
  const data = new Uint8Array(24 * MiB);
  for (let i = 0; i < data.length; i++) data[i] = (i * 2654435761) >>> 24;
  const interp = new TextEncoder().encode('/lib64/ld-linux-x86-64.so.2\0');
  const { bytes } = buildElf({
    class: 64,
    endian: 'little',
    type: 2,
    machine: 62,
    segments: [
      { type: 3, flags: 4, vaddr: 0x400200n, data: interp },
      { type: 1, flags: 5, vaddr: 0x1000000n, data },
    ],
  });
  const file = testTmp('elf', `collector-${process.pid}`, 'big.elf');
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, bytes);
  return file;
}

describe.skipIf(!hasTool('find'))('every real ELF file over 16 MiB on this machine, and one built here', () => {
  test('streamed through the collector equals a full parse, in bounded memory', () => {
    const built = builtBigElf();
    expect(parseFile(built).interpreter).toBe('/lib64/ld-linux-x86-64.so.2');
    const files = [built, ...bigElfFiles()];
    const mismatches: string[] = [];
    let maxPeak = 0;
    let bytes = 0;
    // One arena for every file, as on a scan thread: its pieces are reused from file to file.
    // Compared once all files have streamed, so an ElfInfo holding a view into the arena shows.
    const arena = new RetentionArena();
    const reused = files.map((file) => collectFile(file, [MiB, 65536, 7777, 3 * MiB + 5], { arena }).info);
    for (const [index, file] of files.entries()) {
      const full = parseFile(file);
      const { info, peak } = collectFile(file, [MiB, 65536, 7777, 3 * MiB + 5]);
      maxPeak = Math.max(maxPeak, peak);
      bytes += statSync(file).size;
      for (const [mode, streamed] of [['fresh memory', info], ['arena', reused[index]!]] as const) {
        if (JSON.stringify(streamed) !== JSON.stringify(full)) {
          const fields = (Object.keys(full) as Array<keyof ElfInfo>).filter((k) => JSON.stringify(full[k]) !== JSON.stringify(streamed[k]));
          mismatches.push(`${file} (${mode}): ${fields.join(', ')}`);
        }
      }
    }
    console.info(`[collector] ${files.length} files, ${(bytes / MiB).toFixed(0)} MiB streamed, peak retention ${(maxPeak / MiB).toFixed(1)} MiB`);
    expect(mismatches).toEqual([]);
    expect(maxPeak).toBeGreaterThan(0);
    expect(maxPeak).toBeLessThanOrEqual(MEMORY_BOUND);
    rmSync(path.dirname(built), { recursive: true, force: true });
  }, 600_000);
});

describe('chunk boundaries', () => {
  const small = ['/bin/ls', '/usr/lib/x86_64-linux-gnu/libc.so.6'].filter((f) => statSync(f, { throwIfNoEntry: false })?.isFile());

  test.each(small)('%s streamed in 1..65536-byte chunks (forced streaming mode) equals a full parse', (file) => {
    const bytes = read(path.dirname(file), path.basename(file));
    const full = parseBytes(bytes);
    for (const chunk of file.endsWith('ls') ? [1, 2, 3, 7, 64, 4093, 65536] : [13, 4096, 65536]) {
      expect(collectBytes(bytes, chunk)).toEqual(full);
    }
  });

  const buildinfo = peerCorpus('golang-debug-buildinfo');
  test.skipIf(!buildinfo)('go117 (pointer-format build info) and notgo stream equal to a full parse', () => {
    for (const name of ['go117.base64', 'notgo.base64']) {
      const bytes = base64(buildinfo!, name);
      const full = parseBytes(bytes);
      for (const chunk of [5, 4096, 1 << 20]) expect(collectBytes(bytes, chunk)).toEqual(full);
    }
  });

  const scalibr = peerCorpus('osv-scalibr-gobinary');
  test.skipIf(!scalibr)('Go 1.22 binaries stream equal to a full parse (build info straddling chunks)', () => {
    for (const arch of ['amd64', '386', 'arm64']) {
      const bytes = read(scalibr!, `binary_with_module_replacement-linux-${arch}`);
      const full = parseBytes(bytes);
      expect(full.go?.version).toBe('go1.22.0');
      for (const chunk of [9, 65535]) expect(collectBytes(bytes, chunk)).toEqual(full);
    }
  });

  const elfutils = peerCorpus('elfutils');
  test.skipIf(!elfutils || !hasTool('bzcat'))('PN_XNUM and separate-debug files stream equal to a full parse', () => {
    for (const name of ['testfile-phdrs.elf', 'testfile53-64.debug', 'testfile54-64.noshdrs.so']) {
      const bytes = bunzip(elfutils!, `${name}.bz2`);
      expect(collectBytes(bytes, 4096)).toEqual(parseBytes(bytes));
    }
  });
});

describe('incomplete and foreign input', () => {
  test('a body that ends early gives a diagnostic, in both modes', () => {
    const bytes = read('/bin', 'ls');
    for (const limit of [0, 1 << 30]) {
      const collector = createElfCollector(bytes.length, { fullRetainLimit: limit });
      collector.push(bytes.subarray(0, 1000));
      const info = collector.finish();
      expect(info.diagnostics[0]).toBe(`file body ended after 1000 of ${bytes.length} bytes`);
    }
  });

  test('bytes beyond the declared size are ignored', () => {
    const bytes = read('/bin', 'ls');
    const collector = createElfCollector(bytes.length, { fullRetainLimit: 0 });
    collector.push(bytes);
    collector.push(new Uint8Array(100));
    expect(collector.finish()).toEqual(parseElf(bufferByteSource(bytes)));
  });

  test('non-ELF bytes: a diagnostic, never an exception', () => {
    const text = Buffer.from('This is not a Go binary.\n'.repeat(100));
    for (const limit of [0, 1 << 30]) expect(collectBytes(text, 17, limit).diagnostics).toEqual(['not an ELF file (bad magic, class or data encoding)']);
  });
});

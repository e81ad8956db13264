/** Damaged ELF files: every problem is a diagnostic, never an exception, a hang or a huge allocation. */
import { readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { bufferByteSource, createElfCollector, parseElf, type ElfInfo } from '../../src/elf/index.js';
import { parseBytes } from './_support.js';

const base = readFileSync('/bin/ls');
const info = parseBytes(base);
const dynamic = info.segments.find((s) => s.type === 2)!;
const view = (bytes: Uint8Array) => new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);

function patched(edit: (bytes: Buffer, dv: DataView) => void): ElfInfo {
  const bytes = Buffer.from(base);
  edit(bytes, view(bytes));
  return parseBytes(bytes);
}

/** Offset of the first dynamic entry with `tag` in /bin/ls. */
function entryOffset(tag: number): number {
  const dv = view(base);
  for (let at = dynamic.offset; at < dynamic.offset + dynamic.filesz; at += 16) if (Number(dv.getBigInt64(at, true)) === tag) return at;
  throw new Error(`no tag ${tag}`);
}

describe('targeted damage to /bin/ls', () => {
  test('sanity: /bin/ls parses cleanly', () => {
    expect(info.diagnostics).toEqual([]);
    expect(info.dynamic?.needed.length).toBeGreaterThan(0);
  });

  test('PT_DYNAMIC filled with 0xFF: no DT_NULL, unknown tags skipped', () => {
    const result = patched((b) => b.fill(0xff, dynamic.offset, dynamic.offset + dynamic.filesz));
    expect(result.diagnostics).toContain('dynamic section has no DT_NULL terminator');
    expect(result.dynamic?.needed).toEqual([]);
  });

  test('a DT_NEEDED string offset past the string table', () => {
    const result = patched((_, dv) => dv.setBigUint64(entryOffset(1) + 8, 0xfffffffn, true));
    expect(result.diagnostics.join('\n')).toMatch(/DT_NEEDED string offset 0xfffffff is outside the dynamic string table/);
    expect(result.dynamic?.needed).toEqual(info.dynamic?.needed.slice(1));
  });

  test('DT_VERNEEDNUM of 2^32-1 is capped by the chain and the file', () => {
    const result = patched((_, dv) => dv.setBigUint64(entryOffset(0x6fffffff) + 8, 0xffffffffn, true));
    expect(result.dynamic?.verneed).toEqual(info.dynamic?.verneed);
  });

  test('DT_STRTAB pointing nowhere: the section view supplies the names, or nothing does', () => {
    const wild = (_: Buffer, dv: DataView) => dv.setBigUint64(entryOffset(5) + 8, 0x7fff00000000n, true);
    const withSections = patched(wild);
    expect(withSections.dynamic?.needed).toEqual(info.dynamic?.needed);
    expect(withSections.diagnostics).toEqual([expect.stringMatching(/names were read from the string table linked from \.dynamic/)]);
    const noSections = patched((b, dv) => {
      wild(b, dv);
      dv.setBigUint64(40, 0n, true); // e_shoff 0: no section headers
    });
    expect(noSections.dynamic?.needed).toEqual([]);
    expect(noSections.diagnostics[0]).toBe('DT_STRTAB is missing or not in the file');
  });

  test('e_shstrndx out of range and e_shoff past the end', () => {
    expect(patched((_, dv) => dv.setUint16(62, 999, true)).diagnostics).toEqual([expect.stringMatching(/section name string table index 999/)]);
    const result = patched((_, dv) => dv.setBigUint64(40, 0xffffffffffff0000n, true));
    expect(result.diagnostics).toEqual([expect.stringMatching(/^section header table out of bounds/)]);
    expect(result.dynamic?.needed).toEqual(info.dynamic?.needed); // the loader view does not need sections
  });

  test('e_phentsize too small and e_phnum huge', () => {
    expect(patched((_, dv) => dv.setUint16(54, 8, true)).diagnostics.join()).toMatch(/program header table out of bounds: e_phentsize 8/);
    expect(patched((_, dv) => dv.setUint16(56, 0xfff0, true)).diagnostics.join()).toMatch(/program header table out of bounds: 65520 entries/);
  });

  test('a truncated file: every table past the cut is reported, nothing throws', () => {
    for (const size of [3, 20, 63, 64, 100, 1000, base.length >> 1]) {
      const result = parseBytes(base.subarray(0, size));
      expect(result.diagnostics.length).toBeGreaterThan(0);
    }
  });
});

/** Deterministic xorshift32. */
function random(seed: number): () => number {
  let x = seed;
  return () => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return (x >>> 0) / 0x100000000;
  };
}

describe('random damage', () => {
  test('500 mutated copies of /bin/ls: parseElf and the streaming collector never throw and agree', () => {
    const next = random(0x1badf00d);
    const disagreements: number[] = [];
    for (let round = 0; round < 500; round++) {
      const bytes = Buffer.from(base);
      const edits = 1 + Math.floor(next() * 8);
      for (let i = 0; i < edits; i++) {
        // Mostly the headers and tables the parser trusts least, sometimes anywhere.
        const at = next() < 0.7 ? Math.floor(next() * 4096) : Math.floor(next() * bytes.length);
        bytes[at] = Math.floor(next() * 256);
      }
      const full = parseElf(bufferByteSource(bytes));
      const collector = createElfCollector(bytes.length, { fullRetainLimit: 0 });
      for (let at = 0; at < bytes.length; at += 8191) collector.push(bytes.subarray(at, at + 8191));
      if (JSON.stringify(collector.finish()) !== JSON.stringify(full)) disagreements.push(round);
    }
    expect(disagreements).toEqual([]);
  });
});

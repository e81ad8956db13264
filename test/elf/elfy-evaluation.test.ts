/**
 * Why src/elf does not use elfy (docs/decisions/elf.md): its failures on the peer corpus,
 * recorded as assertions so the evaluation can be re-run.
 */
import { createRequire } from 'node:module';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, test } from 'vitest';
import { bunzip, hasTool, parseBytes, peerCorpus } from './_support.js';

interface ElfyResult {
  entry: number;
  body: { programs: unknown[]; sections: Array<{ addralign: number }> };
}
const elfy = createRequire(import.meta.url)('elfy') as { parse(buffer: Buffer): ElfyResult };

const golang = peerCorpus('golang-debug-elf');
const pyelftools = peerCorpus('pyelftools');
const patchelf = peerCorpus('patchelf');
const elfutils = peerCorpus('elfutils');

describe('elfy 1.0.0 against the peer corpus', () => {
  test.skipIf(!golang || !patchelf)('64-bit section fields are read at the wrong offsets and 64-bit values are rounded', () => {
    const sparc = readFileSync(path.join(golang!, 'go-relocation-test-gcc620-sparc64.obj'));
    expect(elfy.parse(sparc).body.sections[1]?.addralign).toBe(0); // readelf: 4
    const ia64 = readFileSync(path.join(patchelf!, 'no-rpath-prebuild/no-rpath-ia64'));
    expect(elfy.parse(ia64).body.sections[1]?.addralign).toBe(65536); // readelf: 1
    expect(BigInt(elfy.parse(ia64).entry)).toBe(0x4000000000000400n); // 0x40000000000004e0 rounded to the nearest double (ulp 1024)
    expect(parseBytes(ia64).entryHex).toBe('0x40000000000004e0');
  });

  test.skipIf(!pyelftools || !patchelf)('corrupt or section-less files throw instead of giving a result', () => {
    for (const file of [
      path.join(pyelftools!, 'x64_bad_sections.elf'),
      path.join(pyelftools!, 'corrupt_sh.elf'),
      path.join(patchelf!, 'invalid-elf/invalid-phdr-issue-64'),
    ]) {
      expect(() => elfy.parse(readFileSync(file))).toThrow();
      expect(() => parseBytes(readFileSync(file))).not.toThrow();
    }
    expect(() => elfy.parse(readFileSync('/bin/ls').subarray(0, 1000))).toThrow(/Failed to slice chunks/);
  });

  test.skipIf(!elfutils || !hasTool('bzcat'))('PN_XNUM is not resolved (65535 headers, then an exception)', () => {
    const bytes = Buffer.from(bunzip(elfutils!, 'testfile-phdrs.elf.bz2'));
    expect(() => elfy.parse(bytes)).toThrow();
    expect(parseBytes(bytes).phnum).toBe(66000);
  });
});

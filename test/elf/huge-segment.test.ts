/**
 * A 1 TiB sparse ELF whose writable PT_LOAD claims the whole terabyte: the Go build info search
 * reads the first MiB of the data segment (where Go's linker puts the blob), never the segment.
 * It used to read the terabyte of holes looking for `\xff Go buildinf:`, a hang.
 */
import { mkdirSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, test } from 'vitest';
import { runCliBinary } from '../helpers/cli.js';
import { testTmp } from '../helpers/tools.js';
import { buildElf } from './_builder.js';
import { PT } from './_support.js';

const TiB = 2 ** 40;

function terabyteElf(file: string): void {
  const elf = buildElf({
    class: 64,
    endian: 'little',
    type: 2,
    machine: 62,
    segments: [
      { type: PT.LOAD, flags: 5, vaddr: 0x400000n, data: new Uint8Array(64) },
      { type: PT.LOAD, flags: 6, vaddr: 0x10000000n, data: new Uint8Array(64) },
    ],
  });
  const view = new DataView(elf.bytes.buffer);
  const phdr = 64 + 56; // the second program header
  view.setBigUint64(phdr + 32, BigInt(TiB - elf.offsets[1]!), true); // p_filesz: to the end of the file
  view.setBigUint64(phdr + 40, BigInt(TiB), true); // p_memsz
  writeFileSync(file, elf.bytes);
  truncateSync(file, TiB);
}

describe('a terabyte sparse ELF', () => {
  test('imgslim elf answers without reading the segment', () => {
    const dir = testTmp('elf', 'huge-segment');
    mkdirSync(dir, { recursive: true });
    const file = path.join(dir, 'huge.elf');
    terabyteElf(file);
    // The guard only catches a regression (the old code ran for hours); the run takes well under a second.
    const result = runCliBinary(['elf', file, '-f', 'json'], { timeoutMs: 60_000 });
    expect(result.code, result.stderr).toBe(0);
    const [binary] = JSON.parse(result.stdout).binaries;
    expect(binary).toMatchObject({ linkage: 'static', go: null });
    rmSync(file);
  });
});

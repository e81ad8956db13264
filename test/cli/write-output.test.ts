/** writeFileAtomic: content written in pieces lands whole or not at all (no temp file left). */
import { mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { writeFileAtomic } from '../../src/cli/write-output.js';
import { runCliInProcess } from '../helpers/cli.js';
import { repoRoot } from '../helpers/peer-corpus.js';
import { testTmp } from '../helpers/tools.js';

const dir = testTmp('write-output', String(process.pid));
mkdirSync(dir, { recursive: true });
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('writeFileAtomic', () => {
  test('pieces are written in order', async () => {
    const file = path.join(dir, 'pieces.txt');
    await writeFileAtomic(file, (write) => ['a', 'é', 'c\n'].forEach(write));
    expect(readFileSync(file, 'utf8')).toBe('aéc\n');
  });

  test('a producer that fails leaves neither the file nor a temporary', async () => {
    const file = path.join(dir, 'failed.txt');
    const failing = (write: (text: string) => void) => {
      write('partial');
      throw Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC', syscall: 'write' });
    };
    await expect(writeFileAtomic(file, failing)).rejects.toThrow(`cannot write ${file}: no space left on device`);
    expect(readdirSync(dir).filter((name) => name.includes('failed'))).toEqual([]);
  });

  test('analyze -f json -o FILE writes the bytes it prints on stdout', async () => {
    const image = path.join(repoRoot, 'samples', 'static-oci');
    const file = path.join(dir, 'report.json');
    expect((await runCliInProcess(['analyze', image, '-f', 'json', '-o', file, '-q'])).code).toBe(0);
    const printed = await runCliInProcess(['analyze', image, '-f', 'json', '-q']);
    expect(readFileSync(file, 'utf8')).toBe(printed.stdout);
  });
});

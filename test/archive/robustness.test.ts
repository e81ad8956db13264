/**
 * Damaged input never crashes the parser: thousands of seeded byte flips and cuts of real and
 * in-code archives end in entries plus, at most, an InputError with one of the tar codes. Never a
 * TypeError or RangeError, never a hang.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { peerCorpus } from '../helpers/peer-corpus.js';
import { concatBytes, END_BLOCKS, metaEntry, parseTar, paxBody, tarEntry, utf8 } from '../helpers/tar-builder.js';
import { seededRandom } from '../helpers/random.js';


const TAR_CODES = ['E_TAR_HEADER', 'E_TAR_FIELD_TOO_LONG', 'E_TAR_TRUNCATED'];

function expectControlledOutcome(data: Uint8Array, context: string): void {
  const { error } = parseTar(data, { chunkSize: 4096 });
  if (error === undefined) return;
  expect(error, context).toMatchObject({ name: 'InputError' });
  expect(TAR_CODES, context).toContain((error as { code: string }).code);
}

function mutate(original: Uint8Array, next: () => number): Uint8Array {
  const data = original.slice();
  const flips = 1 + Math.floor(next() * 8);
  for (let i = 0; i < flips; i++) {
    const at = Math.floor(next() * data.length);
    // Favour header-shaped damage: digits, NUL, space, '/', high bytes and PAX punctuation.
    const choices = [0x30 + Math.floor(next() * 10), 0, 0x20, 0x2f, 0x80 | Math.floor(next() * 128), 0x3d, 0x0a, Math.floor(next() * 256)];
    data[at] = choices[Math.floor(next() * choices.length)]!;
  }
  return data;
}

const inCode = concatBytes(
  metaEntry('x', paxBody({ path: 'p/'.repeat(80) + 'file', mtime: '1.5', 'SCHILY.xattr.user.x': 'y' })),
  tarEntry({ name: 'ignored' }, utf8('pax body')),
  metaEntry('L', utf8('gnu/'.repeat(40))),
  tarEntry({ name: 'x', magic: 'gnu' }, new Uint8Array(700).fill(1)),
  metaEntry('x', paxBody({ 'GNU.sparse.major': '1', 'GNU.sparse.minor': '0', 'GNU.sparse.realsize': '5000', size: '1536' })),
  tarEntry({ name: 'sparse' }, concatBytes(utf8('2\n0\n512\n4000\n512\n'), new Uint8Array(512 - 17), new Uint8Array(1024).fill(2))),
  tarEntry({ name: 'link', typeflag: '2', linkname: 'x' }),
  END_BLOCKS,
);

describe('damaged archives', () => {
  it('the in-code archive is valid to begin with', () => {
    const { entries, error } = parseTar(inCode);
    expect(error).toBeUndefined();
    expect(entries.map((e) => e.header.name)).toEqual(['p/'.repeat(80) + 'file', 'gnu/'.repeat(40), 'sparse', 'link']);
  });

  it('2000 mutations of an in-code archive with PAX, GNU and sparse records', () => {
    const next = seededRandom(1234);
    for (let round = 0; round < 2000; round++) expectControlledOutcome(mutate(inCode, next), `in-code round ${round}`);
  });

  it('every cut of the in-code archive', () => {
    for (let cut = 0; cut <= inCode.length; cut += 7) expectControlledOutcome(inCode.subarray(0, cut), `cut at ${cut}`);
  });

  const dir = peerCorpus('golang-archive-tar');
  it.skipIf(!dir)('100 mutations of each Go fixture', () => {
    for (const name of ['gnu.tar', 'pax.tar', 'sparse-formats.tar', 'gnu-sparse-big.tar', 'pax-sparse-big.tar', 'hdr-only.tar', 'xattrs.tar', 'star.tar', 'v7.tar', 'gnu-incremental.tar', 'pax-records.tar']) {
      const data = readFileSync(path.join(dir!, name));
      const next = seededRandom(name.length * 7919);
      for (let round = 0; round < 100; round++) expectControlledOutcome(mutate(data, next), `${name} round ${round}`);
    }
  });
});

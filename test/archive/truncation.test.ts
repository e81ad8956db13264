/**
 * End of archive and truncation, as golang-archive-tar/EXPECTED.md restates Go's
 * TestReadTruncation: where a cut is a clean end, an unexpected EOF or an invalid header.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { peerCorpus } from '../helpers/peer-corpus.js';
import { concatBytes, END_BLOCKS, parseTar, tarEntry, utf8 } from '../helpers/tar-builder.js';

const dir = peerCorpus('golang-archive-tar');
const read = (name: string): Uint8Array => readFileSync(path.join(dir!, name));
const garbage = (n: number): Uint8Array => new Uint8Array(n).fill(0x61);

function outcome(data: Uint8Array): { count: number; end: string } {
  const { entries, error } = parseTar(data);
  return { count: entries.length, end: error ? (error as { code: string }).code : 'EOF' };
}

describe('end of archive (in-code)', () => {
  it('empty input is an empty archive', () => {
    expect(outcome(new Uint8Array(0))).toEqual({ count: 0, end: 'EOF' });
  });

  it('anything after two zero blocks is ignored', () => {
    const data = concatBytes(tarEntry({ name: 'a' }, utf8('x')), END_BLOCKS, garbage(777), tarEntry({ name: 'b' }));
    expect(outcome(data)).toEqual({ count: 1, end: 'EOF' });
  });

  it('one zero block then the end of input is a clean end', () => {
    expect(outcome(concatBytes(tarEntry({ name: 'a' }), new Uint8Array(512)))).toEqual({ count: 1, end: 'EOF' });
  });

  it('a zero block followed by a non-zero block is an invalid header', () => {
    const data = concatBytes(tarEntry({ name: 'a' }), new Uint8Array(512), tarEntry({ name: 'b' }));
    expect(outcome(data)).toEqual({ count: 1, end: 'E_TAR_HEADER' });
  });

  it('a partial block after a zero block is an unexpected EOF', () => {
    expect(outcome(concatBytes(tarEntry({ name: 'a' }), new Uint8Array(512), new Uint8Array(100)))).toEqual({ count: 1, end: 'E_TAR_TRUNCATED' });
  });

  it('the truncation message names the label and the byte offset', () => {
    const { error } = parseTar(tarEntry({ name: 'a' }, utf8('hello')).subarray(0, 514), { label: 'layer 2 sha256:ab12' });
    expect((error as Error).message).toBe('layer 2 sha256:ab12: unexpected end of tar data at byte 514: input ends inside the entry whose header is at byte 0');
  });
});

describe.skipIf(!dir)('TestReadTruncation facts', () => {
  it('gnu.tar cut at 511, 512, 1024 and 2048 bytes', () => {
    const gnu = read('gnu.tar');
    expect(outcome(gnu.subarray(0, 511))).toEqual({ count: 0, end: 'E_TAR_TRUNCATED' });
    expect(outcome(gnu.subarray(0, 512))).toEqual({ count: 1, end: 'E_TAR_TRUNCATED' });
    expect(outcome(gnu.subarray(0, 1024))).toEqual({ count: 1, end: 'EOF' });
    expect(outcome(gnu.subarray(0, 2048))).toEqual({ count: 2, end: 'EOF' });
  });

  it('ustar-file-reg.tar cut anywhere in the padding (1196…1536) ends cleanly, inside the data it does not', () => {
    const reg = read('ustar-file-reg.tar');
    for (let cut = 1196; cut <= 1536; cut++) expect(outcome(reg.subarray(0, cut))).toEqual({ count: 1, end: 'EOF' });
    expect(outcome(reg.subarray(0, 1195))).toEqual({ count: 1, end: 'E_TAR_TRUNCATED' });
  });

  it('after full padding blocks: 1–511 garbage bytes are an unexpected EOF, a full block an invalid header', () => {
    const reg = read('ustar-file-reg.tar').subarray(0, 1536);
    for (const n of [1, 100, 511]) expect(outcome(concatBytes(reg, garbage(n)))).toEqual({ count: 1, end: 'E_TAR_TRUNCATED' });
    expect(outcome(concatBytes(reg, garbage(512)))).toEqual({ count: 1, end: 'E_TAR_HEADER' });
    expect(outcome(concatBytes(reg, new Uint8Array(512), garbage(512)))).toEqual({ count: 1, end: 'E_TAR_HEADER' });
    expect(outcome(concatBytes(reg, new Uint8Array(1024), garbage(700)))).toEqual({ count: 1, end: 'EOF' });
  });

  it('pax-path-hdr.tar plus 1–511 garbage bytes is an unexpected EOF', () => {
    const pax = read('pax-path-hdr.tar');
    expect(outcome(pax)).toEqual({ count: 0, end: 'EOF' });
    for (const n of [1, 511]) expect(outcome(concatBytes(pax, garbage(n)))).toEqual({ count: 0, end: 'E_TAR_TRUNCATED' });
  });

  it('sparse-formats.tar gives 5 entries; cutting it inside a GNU sparse extension block is an unexpected EOF', () => {
    const sparse = read('sparse-formats.tar');
    expect(outcome(sparse)).toEqual({ count: 5, end: 'EOF' });
    expect(outcome(sparse.subarray(0, 700))).toEqual({ count: 0, end: 'E_TAR_TRUNCATED' });
  });
});

/**
 * indexTarFile and readFileRange on files written to disk: member offsets, meta entries, seeking
 * past large bodies (a 1 GiB sparse member costs nothing), truncated files and early close.
 */
import { closeSync, mkdirSync, openSync, readFileSync, rmSync, writeFileSync, writeSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { indexTarFile, readFileRange } from '../../src/archive/index.js';
import { peerCorpus } from '../helpers/peer-corpus.js';
import { concatBytes, END_BLOCKS, metaEntry, paxBody, tarEntry, tarHeader, utf8 } from '../helpers/tar-builder.js';

const scratch = '/tmp/archive/tar-file-test';
const file = (name: string) => path.join(scratch, name);

async function collect(stream: AsyncIterable<Uint8Array>): Promise<Buffer> {
  const parts: Uint8Array[] = [];
  for await (const chunk of stream) parts.push(chunk);
  return Buffer.concat(parts);
}

beforeAll(() => mkdirSync(scratch, { recursive: true }));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe('indexTarFile', () => {
  it('lists members with the offsets of their data', async () => {
    const data = concatBytes(
      tarEntry({ name: 'manifest.json' }, utf8('{"a":1}')),
      metaEntry('x', paxBody({ path: 'blobs/sha256/' + 'f'.repeat(120) })),
      tarEntry({ name: 'short' }, new Uint8Array(100_000).fill(5)),
      metaEntry('g', paxBody({ comment: 'global' })),
      tarEntry({ name: 'link', typeflag: '2', linkname: 'manifest.json' }),
      END_BLOCKS,
    );
    writeFileSync(file('a.tar'), data);
    const members = await indexTarFile(file('a.tar'));
    expect(members.map((m) => [m.header.name, m.header.type, m.header.size, m.dataOffset])).toEqual([
      ['manifest.json', 'file', 7, 512],
      ['blobs/sha256/' + 'f'.repeat(120), 'file', 100_000, 2560],
      ['PaxHeaders.0/x', 'pax-global', 0, expect.any(Number)],
      ['link', 'symlink', 0, expect.any(Number)],
    ]);
    const body = await collect(readFileRange(file('a.tar'), members[1]!.dataOffset, 100_000));
    expect(body.equals(Buffer.alloc(100_000, 5))).toBe(true);
  });

  it('seeks past a 1 GiB body stored sparsely on disk', async () => {
    const fd = openSync(file('big.tar'), 'w');
    const size = 1 << 30;
    writeSync(fd, tarHeader({ name: 'huge', size }), 0, 512, 0);
    writeSync(fd, concatBytes(tarEntry({ name: 'after' }, utf8('tail')), END_BLOCKS), 0, undefined, 512 + size);
    closeSync(fd);
    const members = await indexTarFile(file('big.tar'));
    expect(members.map((m) => [m.header.name, m.dataOffset])).toEqual([
      ['huge', 512],
      ['after', 1024 + size],
    ]);
    expect((await collect(readFileRange(file('big.tar'), members[1]!.dataOffset, 4))).toString()).toBe('tail');
  });

  it('reports a truncated member and a bad header with the file path', async () => {
    writeFileSync(file('cut.tar'), concatBytes(tarEntry({ name: 'ok' }, utf8('x')), tarHeader({ name: 'cut', size: 100_000 }), new Uint8Array(50_000)));
    await expect(indexTarFile(file('cut.tar'))).rejects.toMatchObject({ code: 'E_TAR_TRUNCATED', message: expect.stringContaining(file('cut.tar')) });
    writeFileSync(file('bad.tar'), concatBytes(tarEntry({ name: 'ok' }), tarHeader({ name: 'bad', checksum: 1 })));
    await expect(indexTarFile(file('bad.tar'))).rejects.toMatchObject({ code: 'E_TAR_HEADER' });
    await expect(indexTarFile(file('missing.tar'))).rejects.toMatchObject({ name: 'InputError', code: 'E_OPEN' });
  });

  const tarball = peerCorpus('go-containerregistry');
  it.skipIf(!tarball)('indexes a docker save archive and reads its layer by offset', async () => {
    const archive = path.join(tarball!, 'tarball', 'test_image_1.tar');
    const members = await indexTarFile(archive);
    const layer = members.find((m) => m.header.name.endsWith('/layer.tar'))!;
    expect(layer.header.size).toBe(10240);
    const bytes = await collect(readFileRange(archive, layer.dataOffset, layer.header.size));
    expect(bytes.equals(readFileSync(archive).subarray(layer.dataOffset, layer.dataOffset + 10240))).toBe(true);
    expect(members.map((m) => m.header.name)).toContain('manifest.json');
  });
});

describe('readFileRange', () => {
  it('streams a range in chunks and fails when the file ends first', async () => {
    const data = Buffer.alloc(3 << 20);
    for (let i = 0; i < data.length; i++) data[i] = i % 251;
    writeFileSync(file('range.bin'), data);
    const middle = await collect(readFileRange(file('range.bin'), 1000, 2_500_000));
    expect(middle.equals(data.subarray(1000, 2_501_000))).toBe(true);
    expect(await collect(readFileRange(file('range.bin'), 5, 0))).toHaveLength(0);
    await expect(collect(readFileRange(file('range.bin'), data.length - 10, 20))).rejects.toMatchObject({ code: 'E_TRUNCATED' });
  });

  it('closes the file when the consumer stops early', async () => {
    writeFileSync(file('early.bin'), Buffer.alloc(5 << 20));
    for (let round = 0; round < 200; round++) {
      for await (const chunk of readFileRange(file('early.bin'), 0, 5 << 20)) {
        expect(chunk.length).toBe(1 << 20);
        break;
      }
    }
  });
});

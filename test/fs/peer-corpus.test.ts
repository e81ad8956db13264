// Peer fixtures read in place (../shared/peer-corpus); each assertion restates its EXPECTED.md.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, test } from 'vitest';
import { computeEfficiency, layerEntryFromTar, mergeLayers } from '../../src/fs/index.js';
import { InputError } from '../../src/shared/errors.js';
import { peerCorpus } from '../helpers/peer-corpus.js';
import { listing } from './_entries.js';
import { dockerSaveLayers, readTar } from './_tar.js';

const ggcr = peerCorpus('go-containerregistry');

describe.skipIf(!ggcr)('go-containerregistry mutate fixtures (flattened as mutate.Extract asserts)', () => {
  const fixture = (name: string) => path.join(ggcr!, 'mutate', name);

  test('whiteout_image.tar: foo.txt is absent, bar.txt remains', async () => {
    const fs = mergeLayers(await dockerSaveLayers(fixture('whiteout_image.tar')));
    expect(fs.entries.has('/foo.txt')).toBe(false);
    expect(fs.entries.get('/bar.txt')?.type).toBe('file');
    expect(fs.layers[1]).toMatchObject({ removed: 1 });
    expect(fs.layers[2]).toMatchObject({ entries: 0, added: 0, modified: 0, removed: 0 });
  });

  test('whiteout_dir.tar (gzip layers): no foo anywhere; the result is a/baz and b/bar', async () => {
    const fs = mergeLayers(await dockerSaveLayers(fixture('whiteout_dir.tar')));
    expect([...fs.entries.keys()].some((p) => p.endsWith('/foo'))).toBe(false);
    expect(listing(fs.entries).filter((line) => !line.endsWith(' d'))).toEqual([expect.stringMatching(/^\/a\/baz f:/), expect.stringMatching(/^\/b\/bar f:/)]);
  });

  test('overwritten_file.tar: foo.txt is the symlink to bar.txt from layer 1', async () => {
    const fs = mergeLayers(await dockerSaveLayers(fixture('overwritten_file.tar')));
    expect(fs.entries.get('/foo.txt')).toMatchObject({ type: 'symlink', linkTarget: 'bar.txt', layer: 1 });
    // The 4 bytes of "foo\n" in layer 0 are no longer visible.
    expect(fs.layers[0]!.reclaimableBytes).toBe(4);
  });

  test('efficiency over the fixtures: whiteout_image wastes foo.txt’s 4 bytes', async () => {
    // L0 ./bar.txt 4, ./foo.txt 4; L1 ./.wh.foo.txt → a file below: 0. foo.txt: 4 + 0.
    const result = computeEfficiency(await dockerSaveLayers(fixture('whiteout_image.tar')));
    expect(result.topWasted).toEqual([{ path: '/foo.txt', count: 2, cumulativeSize: 4 }]);
    expect(result.score).toBe(4 / 8);
  });
});

const nodeTar = peerCorpus('node-tar');

describe.skipIf(!nodeTar)('node-tar fixtures', () => {
  test('excessively-deep.tar: the 444749-character, depth-222372 name is refused as no runtime can create it', async () => {
    const [member] = await readTar(readFileSync(path.join(nodeTar!, 'excessively-deep.tar')));
    expect(member!.header.name).toHaveLength(444_749);
    expect(() => layerEntryFromTar(member!.header, 0)).toThrow(InputError);
    expect(() => layerEntryFromTar(member!.header, 0)).toThrow(/444748 bytes long with 222371 components; Linux limits paths to 4095 bytes/);
  });

  test('links.tar and links-strip.tar: hard links share the file, a link into a never-created directory gets implicit parents', async () => {
    const read = async (name: string) => {
      const members = await readTar(readFileSync(path.join(nodeTar!, 'tars', name)));
      return mergeLayers([{ index: 0, entries: members.map((m) => layerEntryFromTar(m.header, 0)).filter((e) => e !== null) }]);
    };
    const links = await read('links.tar');
    expect(links.entries.get('/hardlink-2')).toMatchObject({ type: 'hardlink', size: 26, inode: links.entries.get('/hardlink-1')!.inode });
    expect(links.entries.get('/symlink')).toMatchObject({ type: 'symlink', linkTarget: 'hardlink-2' });
    const strip = await read('links-strip.tar');
    const inode = strip.entries.get('/strip-dir/hardlink-1')!.inode;
    expect(strip.entries.get('/strip-dir/1/2/3/hardlink-3')).toMatchObject({ type: 'hardlink', size: 26, inode });
    expect(strip.entries.get('/strip-dir/1/2')).toMatchObject({ type: 'directory', mode: 0o755 });
    expect(strip.totals).toMatchObject({ files: 3, hardlinks: 2, totalSize: 26 });
  });

  test('long-linkname.tar: a symlink with a 144-character PAX linkpath is kept as written', async () => {
    const members = await readTar(readFileSync(path.join(nodeTar!, 'long-linkname.tar')));
    const entries = members.map((m) => layerEntryFromTar(m.header, 0)).filter((e) => e !== null);
    const fs = mergeLayers([{ index: 0, entries }]);
    const link = fs.entries.get('/test');
    expect(link?.type).toBe('symlink');
    expect(link?.linkTarget).toHaveLength(144);
    expect(link?.linkTarget?.endsWith('averylongname')).toBe(true);
  });
});

/**
 * Sparse files (Go's archive/tar vectors: GNU old, PAX 0.0, 0.1 and 1.0 encodings) kept by slim:
 * the stored bytes land at their data-map offsets and holes read as zeros, giving the logical
 * content Go's reader asserts (CRC-32 5375e1d2 for each, see the corpus's EXPECTED.md).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, test } from 'vitest';
import { decompressStream, TarParser } from '../../src/archive/index.js';
import { openImage } from '../../src/sources/index.js';
import { slimImage } from '../../src/slim/index.js';
import { fileMapTar, ociLayoutFiles, sha256, withConfig, type BuiltLayer } from '../helpers/image-builder.js';
import { peerCorpus } from '../helpers/peer-corpus.js';
import { scratch } from './_support.js';

const corpus = peerCorpus('golang-archive-tar');

describe.skipIf(!corpus)('sparse files', () => {
  test('sparse-formats.tar as a layer: each kept file has the logical content Go asserts', async () => {
    const dir = scratch('sparse');
    const tar = readFileSync(path.join(corpus!, 'sparse-formats.tar'));
    const layer: BuiltLayer = { tar, blob: tar, digest: sha256(tar), diffId: sha256(tar), compression: 'none', mediaType: 'application/vnd.oci.image.layer.v1.tar' };
    const config = {
      architecture: 'amd64',
      os: 'linux',
      created: '2024-01-01T00:00:00Z',
      config: { Cmd: ['/end'] },
      rootfs: { type: 'layers', diff_ids: [layer.diffId] },
    };
    const input = path.join(dir, 'input.tar');
    writeFileSync(input, await fileMapTar(ociLayoutFiles([withConfig({ layers: [layer], config, platform: { os: 'linux', architecture: 'amd64' } })])));
    const out = path.join(dir, 'out.tar');
    await slimImage(input, { keep: ['/sparse-*'], output: { path: out, compression: 'none' } });

    const contents = await layerContents(out);
    const names = ['sparse-gnu', 'sparse-posix-0.0', 'sparse-posix-0.1', 'sparse-posix-1.0'];
    expect([...contents.keys()].filter((name) => name.startsWith('sparse'))).toEqual(names);
    for (const name of names) expect([contents.get(name)!.length, crc32(contents.get(name)!)], name).toEqual([200, 0x5375e1d2]);
  });
});

async function layerContents(image: string): Promise<Map<string, Buffer>> {
  const resolved = await openImage(image);
  try {
    const files = new Map<string, Buffer>();
    let current: Buffer[] = [];
    const parser = new TarParser({
      entry: (header) => {
        if (header.type !== 'file') return undefined;
        current = [];
        return { data: (chunk) => void current.push(Buffer.from(chunk)), end: () => void files.set(header.name, Buffer.concat(current)) };
      },
    });
    const { stream } = await decompressStream(resolved.layers[0]!.open(), 'layer');
    for await (const chunk of stream) parser.write(chunk);
    parser.end();
    return files;
  } finally {
    await resolved.close();
  }
}

/** CRC-32 (IEEE), as Go's hash/crc32.ChecksumIEEE. */
function crc32(bytes: Uint8Array): number {
  let crc = 0xffffffff;
  for (const byte of bytes) {
    crc ^= byte;
    for (let bit = 0; bit < 8; bit++) crc = crc & 1 ? (crc >>> 1) ^ 0xedb88320 : crc >>> 1;
  }
  return (crc ^ 0xffffffff) >>> 0;
}

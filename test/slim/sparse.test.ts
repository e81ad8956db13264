/**
 * Sparse files kept by slim stay sparse: the output layer writes them in PAX sparse format 1.0
 * (holes never stored, never compressed). Go's archive/tar vectors (GNU old, PAX 0.0, 0.1 and 1.0
 * encodings) give the logical content Go's reader asserts (CRC-32 5375e1d2 for each, see the
 * corpus's EXPECTED.md), read back by our parser and by Python's tarfile (GNU tar 1.34 stops with
 * "Unexpected EOF" on these 1-byte chunks, in Go's own file too); a GNU sparse entry claiming 10^12
 * bytes (it used to be expanded and gzipped, a hang) costs its stored bytes, and GNU tar lists it.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, test } from 'vitest';
import { decompressStream, TarParser, type TarHeader } from '../../src/archive/index.js';
import { openImage } from '../../src/sources/index.js';
import { slimImage } from '../../src/slim/index.js';
import { fileMapTar, ociLayoutFiles, sha256, withConfig, type BuiltLayer } from '../helpers/image-builder.js';
import { peerCorpus } from '../helpers/peer-corpus.js';
import { base256, concatBytes, END_BLOCKS, tarEntry, tarHeader } from '../helpers/tar-builder.js';
import { hasTool } from '../helpers/tools.js';
import { scratch } from './_support.js';

const corpus = peerCorpus('golang-archive-tar');

describe.skipIf(!corpus)('sparse files from Go archive/tar', () => {
  test('sparse-formats.tar as a layer: each kept file is written sparse and has the logical content Go asserts', async () => {
    const dir = scratch('sparse');
    const out = await slimLayer(dir, readFileSync(path.join(corpus!, 'sparse-formats.tar')), ['/sparse-*']);
    const { files, headers, tar } = await layerContents(out);
    const names = ['sparse-gnu', 'sparse-posix-0.0', 'sparse-posix-0.1', 'sparse-posix-1.0'];
    expect([...files.keys()].filter((name) => name.startsWith('sparse'))).toEqual(names);
    for (const name of names) {
      expect([files.get(name)!.length, crc32(files.get(name)!)], name).toEqual([200, 0x5375e1d2]);
      expect(headers.get(name)!.pax['GNU.sparse.major'], name).toBe('1');
    }
    if (!hasTool('python3', 'the Python tarfile cross-check of sparse output')) return;
    const layerTar = path.join(dir, 'layer.tar');
    writeFileSync(layerTar, tar);
    const script = 'import sys,tarfile,zlib\nfor m in tarfile.open(sys.argv[1]):\n  if m.isfile(): print(m.name, m.size, len(m.sparse or []), format(zlib.crc32(tarfile.open(sys.argv[1]).extractfile(m.name).read()), "08x"))';
    const listed = execFileSync('python3', ['-c', script, layerTar], { encoding: 'utf8' }).trim().split('\n');
    expect(listed).toEqual(['end 4 0 8eb179ba', ...names.map((name) => `${name} 200 95 5375e1d2`)]);
  });
});

describe('a GNU sparse entry claiming 10^12 bytes', () => {
  test('slim keeps it sparse: the output layer holds the stored bytes, not a terabyte of zeros', async () => {
    const dir = scratch('sparse-huge');
    const size = 10 ** 12;
    const out = await slimLayer(dir, gnuSparseTar('huge', size, [[0, 512], [size - 512, 512]]), ['/huge']);
    expect(statSync(out).size).toBeLessThan(64 * 1024);
    const { headers, files } = await layerContents(out, false);
    const header = headers.get('huge')!;
    expect([header.size, header.sparse]).toEqual([size, [{ offset: 0, length: 512 }, { offset: size - 512, length: 512 }]]);
    expect(files.get('huge')).toEqual(Buffer.concat([Buffer.alloc(512, 1), Buffer.alloc(512, 2)]));
    if (!hasTool('tar', 'the GNU tar listing of sparse output')) return;
    const layerTar = path.join(dir, 'layer.tar');
    writeFileSync(layerTar, (await layerContents(out, false)).tar);
    expect(execFileSync('tar', ['-tvf', layerTar], { encoding: 'utf8' })).toMatch(/ 1000000000000 .* huge\n/);
  });
});

/** An old-GNU ('S') sparse entry: the map in the header, sizes in base-256 where octal cannot hold them. */
function gnuSparseTar(name: string, realSize: number, map: Array<[offset: number, length: number]>): Buffer {
  const patches: Array<[number, Uint8Array]> = map.flatMap(([offset, length], i) => [
    [386 + 24 * i, base256(offset, 12)],
    [398 + 24 * i, base256(length, 12)],
  ]);
  patches.push([483, base256(realSize, 12)]);
  const data = concatBytes(...map.map(([, length], i) => new Uint8Array(length).fill(i + 1)));
  const entry = concatBytes(tarHeader({ name, typeflag: 'S', magic: 'gnu', size: data.length, patches }), data);
  return Buffer.from(concatBytes(tarEntry({ name: 'bin/', typeflag: '5', mode: 0o755 }), entry, END_BLOCKS));
}

/** Slims a one-layer image made of `tar`, keeping `keep`; returns the uncompressed docker archive. */
async function slimLayer(dir: string, tar: Buffer, keep: string[]): Promise<string> {
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
  // The entrypoint is a placeholder: force writes the image though it cannot start.
  await slimImage(input, { keep, force: true, output: { path: out, compression: 'none' } });
  return out;
}

/** Every regular file of the output's layer, holes expanded (or only the stored bytes), with its header. */
async function layerContents(image: string, expandHoles = true): Promise<{ files: Map<string, Buffer>; headers: Map<string, TarHeader>; tar: Buffer }> {
  const resolved = await openImage(image);
  try {
    const files = new Map<string, Buffer>();
    const headers = new Map<string, TarHeader>();
    const raw: Buffer[] = [];
    let current: Buffer[] = [];
    const parser = new TarParser({
      entry: (header) => {
        if (header.type !== 'file') return undefined;
        current = [];
        headers.set(header.name, header);
        return { data: (chunk) => void current.push(Buffer.from(chunk)), end: () => void files.set(header.name, expandHoles ? expand(header, Buffer.concat(current)) : Buffer.concat(current)) };
      },
    });
    const { stream } = await decompressStream(resolved.layers[0]!.open(), 'layer');
    for await (const chunk of stream) {
      raw.push(Buffer.from(chunk));
      parser.write(chunk);
    }
    parser.end();
    return { files, headers, tar: Buffer.concat(raw) };
  } finally {
    await resolved.close();
  }
}

function expand(header: TarHeader, stored: Buffer): Buffer {
  if (!header.sparse) return stored;
  const logical = Buffer.alloc(header.size);
  let at = 0;
  for (const { offset, length } of header.sparse) {
    stored.copy(logical, offset, at, at + length);
    at += length;
  }
  return logical;
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

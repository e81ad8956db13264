/**
 * A layer written by TarWriter and gzipped by compressStream, packed into an OCI layout in code,
 * is unpacked by umoci (which checks every digest and applies the tar with Go's archive/tar).
 */
import { execFileSync } from 'node:child_process';
import { existsSync, lstatSync, mkdirSync, readFileSync, readlinkSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { compressStream, Digester, TarWriter } from '../../src/archive/index.js';
import { concatBytes, utf8 } from '../helpers/tar-builder.js';

const umoci = ['/usr/bin/umoci', '/usr/local/bin/umoci'].find((tool) => existsSync(tool));
const scratch = '/tmp/archive/umoci-test';

function sha256(data: Uint8Array): string {
  const digester = new Digester();
  digester.update(data);
  return digester.digest();
}

function writeBlob(layout: string, data: Uint8Array): { digest: string; size: number } {
  const digest = sha256(data);
  writeFileSync(path.join(layout, 'blobs', 'sha256', digest.slice(7)), data);
  return { digest, size: data.length };
}

async function collect(stream: AsyncIterable<Uint8Array>): Promise<Uint8Array> {
  const parts: Uint8Array[] = [];
  for await (const chunk of stream) parts.push(chunk);
  return concatBytes(...parts);
}

describe.skipIf(!umoci)('umoci accepts our layers', () => {
  it('unpacks a gzip layer with PAX names, links, modes and directories', async () => {
    const chunks: Uint8Array[] = [];
    const writer = new TarWriter((chunk) => {
      chunks.push(chunk);
    });
    const base = { mode: 0o755, uid: 0, gid: 0, mtime: 1700000000 };
    const longName = 'usr/' + 'share/'.repeat(30) + 'long-file.txt';
    await writer.add({ ...base, name: 'usr/', type: 'directory' });
    await writer.add({ ...base, name: 'usr/bin/', type: 'directory' });
    await writer.add({ ...base, name: 'usr/bin/tool', type: 'file', mode: 0o4755 }, utf8('#!/bin/sh\necho hi\n'));
    await writer.add({ ...base, name: 'usr/bin/alias', type: 'symlink', linkname: 'tool', mode: 0o777 });
    await writer.add({ ...base, name: 'usr/bin/hard', type: 'hardlink', linkname: 'usr/bin/tool' });
    await writer.add({ ...base, name: longName, type: 'file', mode: 0o644 }, utf8('deep'));
    await writer.add({ ...base, name: 'ünïcode.txt', type: 'file', mode: 0o600 }, utf8('utf8 name'));
    await writer.finish();
    const layer = concatBytes(...chunks);
    const gzipped = await collect(
      compressStream(
        (async function* () {
          yield layer;
        })(),
        'gzip',
      ),
    );

    rmSync(scratch, { recursive: true, force: true });
    const layout = path.join(scratch, 'layout');
    mkdirSync(path.join(layout, 'blobs', 'sha256'), { recursive: true });
    writeFileSync(path.join(layout, 'oci-layout'), JSON.stringify({ imageLayoutVersion: '1.0.0' }));
    const layerBlob = writeBlob(layout, gzipped);
    const config = writeBlob(layout, utf8(JSON.stringify({ architecture: 'amd64', os: 'linux', config: {}, rootfs: { type: 'layers', diff_ids: [sha256(layer)] } })));
    const manifest = writeBlob(
      layout,
      utf8(
        JSON.stringify({
          schemaVersion: 2,
          mediaType: 'application/vnd.oci.image.manifest.v1+json',
          config: { mediaType: 'application/vnd.oci.image.config.v1+json', ...config },
          layers: [{ mediaType: 'application/vnd.oci.image.layer.v1.tar+gzip', ...layerBlob }],
        }),
      ),
    );
    const index = {
      schemaVersion: 2,
      manifests: [{ mediaType: 'application/vnd.oci.image.manifest.v1+json', ...manifest, annotations: { 'org.opencontainers.image.ref.name': 'latest' } }],
    };
    writeFileSync(path.join(layout, 'index.json'), JSON.stringify(index));

    const bundle = path.join(scratch, 'bundle');
    execFileSync(umoci!, ['unpack', '--image', `${layout}:latest`, bundle], { stdio: 'pipe' });
    const rootfs = (name: string) => path.join(bundle, 'rootfs', name);
    expect(readFileSync(rootfs('usr/bin/tool'), 'utf8')).toBe('#!/bin/sh\necho hi\n');
    expect(lstatSync(rootfs('usr/bin/tool')).mode & 0o7777).toBe(0o4755);
    expect(readlinkSync(rootfs('usr/bin/alias'))).toBe('tool');
    expect(lstatSync(rootfs('usr/bin/hard')).ino).toBe(lstatSync(rootfs('usr/bin/tool')).ino);
    expect(readFileSync(rootfs(longName), 'utf8')).toBe('deep');
    expect(readFileSync(rootfs('ünïcode.txt'), 'utf8')).toBe('utf8 name');
    rmSync(scratch, { recursive: true, force: true });
  });
});

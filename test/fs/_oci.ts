/**
 * Builds a minimal OCI image layout from layer tars written with tar-stream, and reads an
 * unpacked root filesystem back from disk, for differential tests against a real unpacker.
 */
import { createHash } from 'node:crypto';
import { lstatSync, mkdirSync, readdirSync, readlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { pack } from 'tar-stream';

export interface TarSpec {
  name: string;
  type?: 'file' | 'directory' | 'symlink' | 'link';
  body?: string;
  linkname?: string;
  mode?: number;
}

export async function writeTar(specs: TarSpec[]): Promise<Buffer> {
  const archive = pack();
  const chunks: Buffer[] = [];
  const done = (async () => {
    for await (const chunk of archive) chunks.push(chunk as Buffer);
  })();
  for (const spec of specs) {
    const type = spec.type ?? 'file';
    const header = { name: spec.name, type, mode: spec.mode ?? (type === 'directory' ? 0o755 : 0o644), mtime: new Date(1_700_000_000_000), linkname: spec.linkname };
    if (type === 'file') archive.entry({ ...header, size: Buffer.byteLength(spec.body ?? '') }, spec.body ?? '');
    else archive.entry(header);
  }
  archive.finalize();
  await done;
  return Buffer.concat(chunks);
}

/** Writes an OCI layout at `dir` whose image (ref name `test`) has `layers` as uncompressed blobs. */
export function writeOciLayout(dir: string, layers: Buffer[]): void {
  const blobs = path.join(dir, 'blobs', 'sha256');
  mkdirSync(blobs, { recursive: true });
  const put = (bytes: Buffer | string) => {
    const data = Buffer.from(bytes);
    const hex = createHash('sha256').update(data).digest('hex');
    writeFileSync(path.join(blobs, hex), data);
    return { digest: `sha256:${hex}`, size: data.length };
  };
  const layerDescriptors = layers.map((layer) => ({ mediaType: 'application/vnd.oci.image.layer.v1.tar', ...put(layer) }));
  const config = put(
    JSON.stringify({ architecture: 'amd64', os: 'linux', config: {}, rootfs: { type: 'layers', diff_ids: layerDescriptors.map((l) => l.digest) } }),
  );
  const manifest = put(
    JSON.stringify({
      schemaVersion: 2,
      mediaType: 'application/vnd.oci.image.manifest.v1+json',
      config: { mediaType: 'application/vnd.oci.image.config.v1+json', ...config },
      layers: layerDescriptors,
    }),
  );
  writeFileSync(path.join(dir, 'oci-layout'), JSON.stringify({ imageLayoutVersion: '1.0.0' }));
  writeFileSync(
    path.join(dir, 'index.json'),
    JSON.stringify({
      schemaVersion: 2,
      manifests: [{ mediaType: 'application/vnd.oci.image.manifest.v1+json', ...manifest, annotations: { 'org.opencontainers.image.ref.name': 'test' } }],
    }),
  );
}

export interface DiskEntry {
  type: 'file' | 'directory' | 'symlink' | 'other';
  size: number;
  linkTarget: string | null;
  ino: number;
}

/** Every path below `root` (lstat, iterative), keyed `/a/b` like the merged filesystem. */
export function readRootfs(root: string): Map<string, DiskEntry> {
  const found = new Map<string, DiskEntry>();
  const stack = ['/'];
  for (let dir = stack.pop(); dir !== undefined; dir = stack.pop()) {
    for (const name of readdirSync(path.join(root, dir))) {
      const rel = dir === '/' ? `/${name}` : `${dir}/${name}`;
      const stat = lstatSync(path.join(root, rel));
      const type = stat.isFile() ? 'file' : stat.isDirectory() ? 'directory' : stat.isSymbolicLink() ? 'symlink' : 'other';
      found.set(rel, {
        type,
        size: type === 'file' ? stat.size : 0,
        linkTarget: type === 'symlink' ? readlinkSync(path.join(root, rel)) : null,
        ino: stat.ino,
      });
      if (type === 'directory') stack.push(rel);
    }
  }
  return found;
}

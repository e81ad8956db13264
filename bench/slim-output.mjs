/**
 * The uncompressed layer tars of an image that `imgslim slim` wrote, extracted with GNU tar,
 * gzip and zstd (never with imgslim's code): a docker-archive (manifest.json), an OCI archive
 * or an OCI image layout directory (index.json). Compression is told from magic bytes.
 * No project imports.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync, statSync } from 'node:fs';
import path from 'node:path';

const DECOMPRESS = `
set -o pipefail
magic=$(head -c 4 "$1" | od -An -tx1 | tr -d ' \\n')
case "$magic" in
  1f8b*) gzip -dc "$1" > "$2" ;;
  28b52ffd) zstd -qdc "$1" > "$2" ;;
  *) cp "$1" "$2" ;;
esac
`;

/** Extracts every layer of the image at `output` into `dir`/kept-N.tar; returns those paths. */
export function extractKeptLayers(output, dir) {
  const source = statSync(output).isDirectory() ? directorySource(output) : archiveSource(output);
  return source.layers.map((member, index) => {
    const compressed = path.join(dir, `layer-${index}.blob`);
    const kept = path.join(dir, `kept-${index}.tar`);
    source.copyTo(member, compressed);
    execFileSync('bash', ['-c', DECOMPRESS, 'bash', compressed, kept]);
    execFileSync('rm', ['-f', compressed]);
    return kept;
  });
}

/** An OCI image layout directory. */
function directorySource(dir) {
  const read = (relative) => readFileSync(path.join(dir, relative), 'utf8');
  return { layers: ociLayers(read), copyTo: (member, to) => execFileSync('cp', [path.join(dir, member), to]) };
}

/** A tar: docker-archive when it has manifest.json, else an OCI archive. */
function archiveSource(file) {
  const names = execFileSync('tar', ['-tf', file], { maxBuffer: 64 << 20 }).toString().split('\n').filter(Boolean);
  const members = new Map(names.map((name) => [normalize(name), name]));
  const read = (member) => execFileSync('tar', ['-xOf', file, findMember(members, member)], { maxBuffer: 64 << 20 }).toString();
  const copyTo = (member, to) => execFileSync('bash', ['-c', 'tar -xOf "$1" "$2" > "$3"', 'bash', file, findMember(members, member), to]);
  if (members.has('manifest.json')) {
    const manifest = JSON.parse(read('manifest.json'));
    if (!Array.isArray(manifest) || !manifest[0]?.Layers) throw new Error(`${file}: manifest.json lists no layers`);
    return { layers: manifest[0].Layers.map(normalize), copyTo };
  }
  if (members.has('index.json')) return { layers: ociLayers(read), copyTo };
  throw new Error(`${file}: neither a docker-archive (manifest.json) nor an OCI archive (index.json)`);
}

/** Layer blob paths of the first image manifest an index leads to (following nested indexes). */
function ociLayers(read) {
  let document = JSON.parse(read('index.json'));
  for (let depth = 0; document.manifests; depth++) {
    const first = document.manifests[0];
    if (!first || depth > 4) throw new Error('index.json: no image manifest');
    document = JSON.parse(read(blobPath(first.digest)));
  }
  if (!document.layers) throw new Error('image manifest has no layers');
  return document.layers.map((layer) => blobPath(layer.digest));
}

const blobPath = (digest) => `blobs/${digest.replace(':', '/')}`;
const normalize = (name) => name.replace(/^\.\//, '');

/** The archive's own spelling of a member name (with or without "./"). */
function findMember(members, name) {
  const member = members.get(normalize(name));
  if (member === undefined) throw new Error(`archive has no member ${name}`);
  return member;
}

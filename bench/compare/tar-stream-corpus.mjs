#!/usr/bin/env node
/**
 * `node bench/compare/tar-stream-corpus.mjs [PEER_CORPUS_DIR]`: every tar file of the peer
 * corpus (default ../shared/peer-corpus; the golang-archive-tar, moby-go-archive and node-tar
 * folders; pax-bad-hdr-large.tar.bz2 through `bzip2 -dc`) read by tar-stream 3 (default options)
 * and by imgslim's TarParser (dist/), comparing each entry's `name|type|size|linkname` and the
 * errors. tar-stream stalls on some files: a 3 s timer turns a stall into an error. Prints one line per file that differs and the count
 * (docs/decisions/archive.md: 20 of 62). Needs `npm run build` first.
 */
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { Readable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import tarStream from 'tar-stream';
import { TarParser } from '../../dist/archive/index.js';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const corpus = path.resolve(process.argv[2] ?? path.join(repo, '..', 'shared', 'peer-corpus'));
const FOLDERS = ['golang-archive-tar', 'moby-go-archive', 'node-tar'];
/** tar-stream's type names in ours (the rest are the same, or tar-stream's `null`). */
const TYPES = { link: 'hardlink', 'character-device': 'char', 'block-device': 'block', 'contiguous-file': 'file' };

function tarFiles(dir) {
  const out = [];
  for (const name of readdirSync(dir).sort()) {
    const full = path.join(dir, name);
    if (statSync(full).isDirectory()) out.push(...tarFiles(full));
    else if (/\.tar(?:\.bz2)?$/.test(name)) out.push(full);
  }
  return out;
}

function ours(bytes) {
  const entries = [];
  try {
    const parser = new TarParser({ entry: (h) => void entries.push(`${h.name}|${h.type}|${h.size}|${h.linkname}`) });
    for (let at = 0; at < bytes.length; at += 65536) parser.write(bytes.subarray(at, at + 65536));
    parser.end();
    return { entries };
  } catch (error) {
    return { entries, error: error.message };
  }
}

function theirs(bytes) {
  return new Promise((resolve) => {
    const entries = [];
    const extract = tarStream.extract();
    const timer = setTimeout(() => finish('stalled (no end after 3 s)'), 3000);
    const finish = (error) => {
      clearTimeout(timer);
      extract.destroy();
      resolve(error ? { entries, error } : { entries });
    };
    extract.on('entry', (h, stream, next) => {
      entries.push(`${h.name}|${TYPES[h.type] ?? h.type}|${h.size}|${h.linkname ?? ''}`);
      stream.on('end', next);
      stream.on('error', (error) => finish(error.message));
      stream.resume();
    });
    extract.on('finish', () => finish());
    extract.on('error', (error) => finish(error.message));
    Readable.from([Buffer.from(bytes)]).pipe(extract);
  });
}

let files = 0;
let differ = 0;
for (const folder of FOLDERS) {
  for (const file of tarFiles(path.join(corpus, folder))) {
    files++;
    const bytes = file.endsWith('.bz2') ? execFileSync('bzip2', ['-dc', file], { maxBuffer: 64 << 20 }) : readFileSync(file);
    const a = ours(bytes);
    const b = await theirs(bytes);
    const same = a.entries.join('\n') === b.entries.join('\n') && Boolean(a.error) === Boolean(b.error);
    if (same) continue;
    differ++;
    const first = a.entries.findIndex((entry, i) => entry !== b.entries[i]);
    process.stdout.write(`${path.relative(corpus, file)}: ours ${a.entries.length} entries${a.error ? ` + error "${a.error}"` : ''}, ` +
      `tar-stream ${b.entries.length}${b.error ? ` + error "${b.error}"` : ''}` +
      (first >= 0 ? `; first difference: ${JSON.stringify(a.entries[first])} vs ${JSON.stringify(b.entries[first])}` : '') + '\n');
  }
}
process.stdout.write(`${differ} of ${files} files read differently\n`);

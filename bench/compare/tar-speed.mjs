#!/usr/bin/env node
/**
 * `node bench/compare/tar-speed.mjs [TAR]`: parse speed of imgslim's TarParser (dist/) against
 * tar-stream 3 on one big tar (default: bench/.cache/big.tar, made once with
 * `tar -cf big.tar /usr/lib/x86_64-linux-gnu /usr/share`), best of 5 each:
 *   in memory: the file cut into 1 MiB views, bodies skipped, then every body read by a sink;
 *   from the page cache: createReadStream with 1 MiB chunks (and reading alone, for scale),
 *   bodies skipped, then every body read.
 * docs/decisions/archive.md records a run. Needs `npm run build` first.
 */
import { execFileSync } from 'node:child_process';
import { createReadStream, existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { Readable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import tarStream from 'tar-stream';
import { TarParser } from '../../dist/archive/index.js';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const file = process.argv[2] ?? path.join(repo, 'bench', '.cache', 'big.tar');
if (!existsSync(file)) {
  process.stderr.write(`making ${file} (tar -cf of /usr/lib/x86_64-linux-gnu and /usr/share)…\n`);
  execFileSync('bash', ['-c', 'mkdir -p "$(dirname "$1")" && tar -cf "$1" /usr/lib/x86_64-linux-gnu /usr/share 2>/dev/null || test -s "$1"', 'bash', file]);
}
const MiB = 1 << 20;

async function best(name, task) {
  let fastest = Infinity;
  for (let run = 0; run < 5; run++) {
    const start = performance.now();
    await task();
    fastest = Math.min(fastest, performance.now() - start);
  }
  process.stdout.write(`${name.padEnd(52)} ${fastest.toFixed(0).padStart(6)} ms\n`);
}

const readBodies = { data() {}, end() {} };
const ourParse = (chunks, sink) => {
  const parser = new TarParser({ entry: () => sink });
  for (const chunk of chunks) parser.write(chunk);
  parser.end();
};
const theirParse = (source, read) =>
  new Promise((resolve, reject) => {
    const extract = tarStream.extract();
    extract.on('entry', (_header, stream, next) => {
      if (read) stream.on('data', () => {});
      stream.on('end', next);
      stream.resume();
    });
    extract.on('finish', resolve);
    extract.on('error', reject);
    source().pipe(extract);
  });

const bytes = readFileSync(file);
const views = [];
for (let at = 0; at < bytes.length; at += MiB) views.push(bytes.subarray(at, at + MiB));
process.stdout.write(`${file}: ${bytes.length} bytes\n`);
await best('in memory, bodies skipped: TarParser', () => ourParse(views, undefined));
await best('in memory, bodies skipped: tar-stream', () => theirParse(() => Readable.from(views), false));
await best('in memory, every body read: TarParser', () => ourParse(views, readBodies));
await best('in memory, every body read: tar-stream', () => theirParse(() => Readable.from(views), true));
const fromDisk = () => createReadStream(file, { highWaterMark: MiB });
await best('page cache, reading alone', async () => {
  for await (const chunk of fromDisk()) void chunk;
});
await best('page cache, bodies skipped: TarParser', async () => {
  const parser = new TarParser({ entry: () => undefined });
  for await (const chunk of fromDisk()) parser.write(chunk);
  parser.end();
});
await best('page cache, bodies skipped: tar-stream', () => theirParse(fromDisk, false));
await best('page cache, every body read: TarParser', async () => {
  const parser = new TarParser({ entry: () => readBodies });
  for await (const chunk of fromDisk()) parser.write(chunk);
  parser.end();
});
await best('page cache, every body read: tar-stream', () => theirParse(fromDisk, true));

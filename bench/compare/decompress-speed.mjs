#!/usr/bin/env node
/**
 * `node bench/compare/decompress-speed.mjs [--full] [FILE [MODES [ROUNDS]]]`: decompression speed
 * of a compressed tar against the reference CLI, the tables of docs/decisions/archive.md
 * "Compression". MODES is `all` (the default) or a comma-separated list of:
 *   cli               `gzip -dc FILE` or `zstd -dc FILE` to /dev/null (whichever FILE's magic says);
 *   gunzip-16K, gunzip-64K, gunzip-256K, gunzip-1M
 *                     (gzip only) node:zlib createGunzip({ chunkSize }) piped from
 *                     createReadStream(FILE) and iterated;
 *   decompressStream  imgslim's decompressStream(createReadStream(FILE)) (dist/archive), iterated;
 *   decompress+parse  the same with every chunk written to a TarParser (all entries listed).
 * Each mode runs in its own Node process, ROUNDS times (default 3); it prints the best wall time
 * and, for the Node modes, the process's max RSS.
 * FILE defaults to bench/.cache/decompress-sample.tar.gz: /usr/share/{doc,perl,vim,icons} of this
 * machine, tarred then `gzip -6 -n`, made on first use. `--full` takes the document's file,
 * bench/.cache/big.tar.gz (big.tar as bench/compare/tar-speed.mjs makes it: /usr/lib/x86_64-linux-gnu
 * and /usr/share, 1.4 GB; `gzip -6 -n`). A missing bench/.cache/NAME.tar.gz or NAME.tar.zst
 * (`zstd -3`) of one of those two tars is made from it, e.g. the document's second table:
 *   node bench/compare/decompress-speed.mjs bench/.cache/big.tar.zst cli,decompressStream,decompress+parse 3
 * Writes only below bench/.cache. Needs `npm run build` first.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { closeSync, createReadStream, existsSync, openSync, readSync, statSync } from 'node:fs';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { createGunzip } from 'node:zlib';

const script = fileURLToPath(import.meta.url);
const repo = path.resolve(path.dirname(script), '..', '..');
const cache = path.join(repo, 'bench', '.cache');
const KiB = 1024;
const GUNZIP = { 'gunzip-16K': 16 * KiB, 'gunzip-64K': 64 * KiB, 'gunzip-256K': 256 * KiB, 'gunzip-1M': 1024 * KiB };
const USAGE = 'usage: node bench/compare/decompress-speed.mjs [--full] [FILE [MODES [ROUNDS]]]';

if (process.argv[2] === '--child') {
  await child(process.argv[3], process.argv[4], Number(process.argv[5]));
} else {
  parent(process.argv.slice(2));
}

function parent(argv) {
  const full = argv.includes('--full');
  const [fileArg, modesArg = 'all', roundsArg = '3'] = argv.filter((arg) => arg !== '--full');
  const file = path.resolve(fileArg ?? path.join(cache, full ? 'big.tar.gz' : 'decompress-sample.tar.gz'));
  const rounds = Number(roundsArg);
  if (!Number.isInteger(rounds) || rounds < 1) throw new Error(USAGE);
  if (!existsSync(file)) make(file);
  const kind = magic(file);
  const modes = modesArg === 'all' ? ['cli', ...(kind === 'gzip' ? Object.keys(GUNZIP) : []), 'decompressStream', 'decompress+parse'] : modesArg.split(',');
  for (const mode of modes) {
    if (mode !== 'cli' && mode !== 'decompressStream' && mode !== 'decompress+parse' && !(mode in GUNZIP)) throw new Error(`unknown mode ${mode}; ${USAGE}`);
    if (mode in GUNZIP && kind !== 'gzip') throw new Error(`${mode} needs a gzip file; ${file} is ${kind}`);
  }
  process.stdout.write(`${file}: ${kind}, ${statSync(file).size.toLocaleString('en-US')} bytes; best of ${rounds}; Node ${process.version}\n`);
  let cliBest = null;
  for (const mode of modes) {
    let line;
    if (mode === 'cli') {
      const program = kind === 'gzip' ? 'gzip' : 'zstd';
      const version = `${program} ${/\d+(?:\.\d+)+/.exec(execFileSync(program, ['--version'], { encoding: 'utf8' }))?.[0] ?? '?'}`;
      const devNull = openSync('/dev/null', 'w');
      let best = Infinity;
      for (let round = 0; round < rounds; round++) {
        const start = performance.now();
        const result = spawnSync(program, ['-dc', file], { stdio: ['ignore', devNull, 'inherit'] });
        if (result.status !== 0) throw new Error(`${program} -dc ${file} failed`);
        best = Math.min(best, performance.now() - start);
      }
      closeSync(devNull);
      cliBest = best;
      line = `${`${program} -dc > /dev/null`.padEnd(26)} ${(best / 1000).toFixed(2)} s  (${version})`;
    } else {
      const run = spawnSync(process.execPath, [script, '--child', mode, file, String(rounds)], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
      if (run.status !== 0) throw new Error(`mode ${mode} failed`);
      const { best, bytes, entries, maxRss } = JSON.parse(run.stdout);
      const ratio = cliBest ? `, ${(best / cliBest).toFixed(2)} × cli` : '';
      const what = entries === null ? `${bytes.toLocaleString('en-US')} bytes out` : `${entries.toLocaleString('en-US')} entries`;
      line = `${mode.padEnd(26)} ${(best / 1000).toFixed(2)} s  (${what}, max RSS ${(maxRss / 1e6).toFixed(0)} MB${ratio})`;
    }
    process.stdout.write(`${line}\n`);
  }
}

/** One mode, ROUNDS times in this process: prints { best, bytes, entries, maxRss } as JSON. */
async function child(mode, file, rounds) {
  const { decompressStream, TarParser } = await import('../../dist/archive/index.js');
  let best = Infinity;
  let bytes = 0;
  let entries = null;
  for (let round = 0; round < rounds; round++) {
    bytes = 0;
    const start = performance.now();
    if (mode in GUNZIP) {
      for await (const chunk of createReadStream(file).pipe(createGunzip({ chunkSize: GUNZIP[mode] }))) bytes += chunk.length;
    } else {
      const { stream } = await decompressStream(createReadStream(file), path.basename(file));
      if (mode === 'decompress+parse') {
        entries = 0;
        const parser = new TarParser({ entry: () => void entries++ });
        for await (const chunk of stream) {
          bytes += chunk.length;
          parser.write(chunk);
        }
        parser.end();
      } else {
        for await (const chunk of stream) bytes += chunk.length;
      }
    }
    best = Math.min(best, performance.now() - start);
  }
  process.stdout.write(JSON.stringify({ best, bytes, entries, maxRss: process.resourceUsage().maxRSS * 1024 }));
}

function magic(file) {
  const head = Buffer.alloc(4);
  const fd = openSync(file, 'r');
  readSync(fd, head, 0, 4, 0);
  closeSync(fd);
  if (head[0] === 0x1f && head[1] === 0x8b) return 'gzip';
  if (head.readUInt32LE(0) === 0xfd2fb528) return 'zstd';
  throw new Error(`${file} is neither gzip nor zstd`);
}

/** Makes a missing input below bench/.cache: the sample or big tar, then its .gz or .zst. */
function make(file) {
  const base = path.basename(file);
  const match = /^(decompress-sample|big)\.tar(?:\.(gz|zst))?$/.exec(base);
  if (path.dirname(file) !== cache || !match) throw new Error(`${file} does not exist (only bench/.cache/{decompress-sample,big}.tar[.gz|.zst] are made here)`);
  const [, name, suffix] = match;
  const tar = path.join(cache, `${name}.tar`);
  if (!suffix) {
    const sources = name === 'big' ? ['/usr/lib/x86_64-linux-gnu', '/usr/share'] : ['/usr/share/doc', '/usr/share/perl', '/usr/share/vim', '/usr/share/icons'];
    process.stderr.write(`making ${tar} (tar -cf of ${sources.join(' ')})…\n`);
    execFileSync('bash', ['-c', 'mkdir -p "$(dirname "$1")" && tar -cf "$1" "${@:2}" 2>/dev/null || test -s "$1"', 'bash', tar, ...sources.filter(existsSync)]);
    return;
  }
  if (!existsSync(tar)) make(tar);
  const command = suffix === 'gz' ? 'gzip -6 -n -c' : 'zstd -3 -q -c';
  process.stderr.write(`making ${file} (${command} ${base.replace(/\.(gz|zst)$/, '')})…\n`);
  execFileSync('bash', ['-c', `${command} "$1" > "$2.tmp" && mv "$2.tmp" "$2"`, 'bash', tar, file]);
}

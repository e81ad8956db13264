#!/usr/bin/env node
/**
 * The floors `npm run bench` compares imgslim with, done with Node's own zlib (the inflater
 * imgslim uses) one file after another:
 *   inflate FILES...            gunzip every file, output discarded (baseline A)
 *   hash FILES...               the same, plus sha256 of the compressed and the uncompressed
 *                               bytes: all that a verified read must do (baseline H)
 *   deflate --level N FILES...  gzip every file at level N, output discarded (slim's baseline C)
 * `--via stream` uses zlib streams (inflate on libuv's threadpool, hashing on the main thread);
 * `--via sync` (default) drives zlib's handle with writeSync into one reused buffer on one
 * thread, as zlib's own *Sync functions do. The bench runs both and keeps the faster as the floor.
 * No project imports.
 */
import { createReadStream, openSync, readSync, closeSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { constants, createGunzip, createGzip } from 'node:zlib';

const args = process.argv.slice(2);
const mode = args.shift();
const option = (name, fallback) => {
  const at = args.indexOf(name);
  if (at < 0) return fallback;
  const [, value] = args.splice(at, 2);
  return value;
};
const via = option('--via', 'sync');
const level = Number(option('--level', '6'));
const files = args;
if (!['inflate', 'hash', 'deflate'].includes(mode) || !['sync', 'stream'].includes(via) || files.length === 0) {
  process.stderr.write('usage: node bench/baseline.mjs inflate|hash|deflate [--via sync|stream] [--level N] FILES...\n');
  process.exit(2);
}
const hashing = mode === 'hash';
const OUT = 256 * 1024;

async function viaStream(file) {
  const stored = hashing ? createHash('sha256') : null;
  const plain = hashing ? createHash('sha256') : null;
  const source = createReadStream(file, { highWaterMark: 1 << 20 });
  if (stored) source.on('data', (chunk) => stored.update(chunk));
  const transform = mode === 'deflate' ? createGzip({ level, chunkSize: OUT }) : createGunzip({ chunkSize: OUT });
  source.pipe(transform);
  for await (const chunk of transform) plain?.update(chunk);
  stored?.digest();
  plain?.digest();
}

function viaSync(file) {
  const stored = hashing ? createHash('sha256') : null;
  const plain = hashing ? createHash('sha256') : null;
  const stream = mode === 'deflate' ? createGzip({ level }) : createGunzip();
  const { _handle: handle, _writeState: state } = stream;
  handle.onerror = (message) => {
    throw new Error(`${file}: ${message}`);
  };
  const input = Buffer.allocUnsafe(1 << 20);
  const output = Buffer.allocUnsafe(OUT);
  const run = (flush, length) => {
    let offset = 0;
    let left = length;
    for (;;) {
      handle.writeSync(flush, input, offset, left, output, 0, OUT);
      const [availOut, availIn] = state;
      if (availOut < OUT) plain?.update(output.subarray(0, OUT - availOut));
      offset += left - availIn;
      left = availIn;
      if (availOut !== 0) return;
    }
  };
  const fd = openSync(file, 'r');
  try {
    for (let n; (n = readSync(fd, input, 0, input.length, null)) > 0; ) {
      stored?.update(input.subarray(0, n));
      run(constants.Z_NO_FLUSH, n);
    }
    run(constants.Z_FINISH, 0);
  } finally {
    closeSync(fd);
    stream.close();
  }
  stored?.digest();
  plain?.digest();
}

for (const file of files) {
  if (via === 'stream') await viaStream(file);
  else viaSync(file);
}

#!/usr/bin/env node
/**
 * Hostile-input fuzzer for the built CLI (docs/decisions/hostile-input.md). Each case mutates
 * one small image built here (one layer: an ELF, a symlink, a text file, a directory), in one
 * of three ways, recomputing every digest, size and diff_id above the mutation so it reaches
 * the parser instead of stopping at the integrity check:
 *   - layer: bytes of the uncompressed layer tar flipped, cut, duplicated or zeroed;
 *   - elf: the same, inside the ELF file's body only (the tar stays well formed);
 *   - json: a value of the manifest, config or index replaced (wrong type, deep nesting, huge
 *     number, removed key).
 * Then `analyze`, `slim -o DIR/out.tar` and `check` run on it, and each run must: not exit 70,
 * finish within 10 s of CPU (inputs are under 1 MiB; a minute of wall clock at most), print at most one line on stderr, and leave
 * nothing in DIR but out.tar (only when it exits 0).
 *
 *   node scripts/fuzz.mjs [--seed N] [--cases N] [--keep DIR]
 *
 * Exit 0 when every case passed; 1 with one line per failure (and the inputs kept under
 * --keep). test/scripts/fuzz.test.ts runs a short seeded run.
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const CLI = path.join(repoRoot, 'bin', 'imgslim.js');
const TIME_LIMIT_MS = 10_000;
const COMMANDS = ['analyze', 'slim', 'check'];

/** mulberry32: small, deterministic, good enough to pick mutations. */
export function random(seed) {
  let state = seed >>> 0;
  const next = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return { next, int: (n) => Math.floor(next() * n), pick: (list) => list[Math.floor(next() * list.length)] };
}

const sha256 = (bytes) => `sha256:${createHash('sha256').update(bytes).digest('hex')}`;

// ---------------------------------------------------------------------------------------------
// The base image

function tarHeader(name, { size = 0, mode = 0o644, type = '0', linkname = '' }) {
  const block = Buffer.alloc(512);
  block.write(name, 0, 100, 'utf8');
  block.write(mode.toString(8).padStart(7, '0'), 100);
  block.write('0000000', 108);
  block.write('0000000', 116);
  block.write(size.toString(8).padStart(11, '0'), 124);
  block.write('14544400000', 136);
  block.write(type, 156);
  block.write(linkname, 157, 100, 'utf8');
  block.write('ustar\u000000', 257, 'latin1');
  block.fill(0x20, 148, 156);
  let sum = 0;
  for (const byte of block) sum += byte;
  block.write(`${sum.toString(8).padStart(6, '0')}\u0000 `, 148, 'latin1');
  return block;
}

/** A layer tar and where the ELF body sits in it. */
function baseLayer(elf) {
  const parts = [];
  let at = 0;
  const add = (bytes) => {
    parts.push(bytes);
    at += bytes.length;
  };
  const file = (name, body, mode) => {
    add(tarHeader(name, { size: body.length, mode }));
    const offset = at;
    add(body);
    add(Buffer.alloc((512 - (body.length % 512)) % 512));
    return offset;
  };
  add(tarHeader('bin/', { type: '5', mode: 0o755 }));
  const elfOffset = file('bin/true', elf, 0o755);
  add(tarHeader('bin/alias', { type: '2', linkname: 'true', mode: 0o777 }));
  add(tarHeader('etc/', { type: '5', mode: 0o755 }));
  file('etc/os-release', Buffer.from('ID=fuzz\nVERSION_ID=1\n'), 0o644);
  add(Buffer.alloc(1024));
  return { tar: Buffer.concat(parts), elf: { offset: elfOffset, length: elf.length } };
}

function baseDocuments(layerTar) {
  const config = {
    architecture: 'amd64',
    os: 'linux',
    created: '2024-01-01T00:00:00Z',
    config: { Entrypoint: ['/bin/true'], Cmd: ['--version'], Env: ['PATH=/bin'], WorkingDir: '/', Labels: { a: 'b' } },
    rootfs: { type: 'layers', diff_ids: [sha256(layerTar)] },
    history: [{ created: '2024-01-01T00:00:00Z', created_by: 'fuzz' }],
  };
  const manifest = {
    schemaVersion: 2,
    mediaType: 'application/vnd.oci.image.manifest.v1+json',
    config: { mediaType: 'application/vnd.oci.image.config.v1+json', digest: '', size: 0 },
    layers: [{ mediaType: 'application/vnd.oci.image.layer.v1.tar+gzip', digest: '', size: 0 }],
  };
  const index = {
    schemaVersion: 2,
    mediaType: 'application/vnd.oci.image.index.v1+json',
    manifests: [{ mediaType: 'application/vnd.oci.image.manifest.v1+json', digest: '', size: 0, platform: { os: 'linux', architecture: 'amd64' }, annotations: { 'org.opencontainers.image.ref.name': 'latest' } }],
  };
  return { config, manifest, index };
}

// ---------------------------------------------------------------------------------------------
// Mutations

function mutateBytes(bytes, rng) {
  const out = Buffer.from(bytes);
  const kind = rng.pick(['flip', 'flip', 'zero', 'cut', 'repeat', 'octal']);
  const at = rng.int(out.length);
  if (kind === 'flip') {
    for (let i = 0, n = 1 + rng.int(8); i < n; i++) out[rng.int(out.length)] ^= 1 << rng.int(8);
    return { bytes: out, what: `flip near ${at}` };
  }
  if (kind === 'zero') {
    out.fill(0, at, Math.min(out.length, at + 1 + rng.int(64)));
    return { bytes: out, what: `zero at ${at}` };
  }
  if (kind === 'cut') return { bytes: out.subarray(0, at), what: `cut at ${at}` };
  if (kind === 'octal') {
    // Size-like fields: a plausible header number, huge or negative-looking.
    out.write(rng.pick(['77777777777', '00000000000', '-1', '\u0080\u00ff\u00ff\u00ff\u00ff\u00ff\u00ff\u00ff']), at, 'latin1');
    return { bytes: out, what: `number at ${at}` };
  }
  const length = Math.min(1 + rng.int(512), out.length - at);
  return { bytes: Buffer.concat([out.subarray(0, at + length), out.subarray(at, at + length), out.subarray(at + length)]), what: `repeat ${length} at ${at}` };
}

const HOSTILE_VALUES = [
  null,
  1,
  -1,
  1e308,
  2 ** 64,
  '',
  'x',
  '../../etc/passwd',
  [],
  [1],
  [null],
  [['a']],
  {},
  { a: 1 },
  true,
  'sha256:' + '0'.repeat(64),
  'a'.repeat(5000),
];

/**
 * Deep nesting as JSON text behind a marker: no object this deep is ever built here, so neither
 * the harness nor its test runner recurses through it (jsonBytes splices the text in).
 */
const DEEP = '\u0000deep:';
function deepValue(rng) {
  const depth = rng.pick([70, 3367, 20000]);
  return DEEP + (rng.next() < 0.5 ? `${'['.repeat(depth)}1${']'.repeat(depth)}` : `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`);
}

/** Every [parent, key] in a JSON value, for picking what to change. */
function slots(value, out = []) {
  if (value === null || typeof value !== 'object') return out;
  for (const key of Object.keys(value)) {
    out.push([value, key]);
    slots(value[key], out);
  }
  return out;
}

function mutateJson(document, rng) {
  const copy = structuredClone(document);
  const places = slots(copy);
  const [parent, key] = rng.pick(places);
  const action = rng.next();
  if (action < 0.15 && !Array.isArray(parent)) {
    delete parent[key];
    return { document: copy, what: `delete ${key}` };
  }
  const value = action < 0.25 ? deepValue(rng) : structuredClone(rng.pick(HOSTILE_VALUES));
  parent[key] = value;
  const shown = typeof value === 'string' && value.startsWith(DEEP) ? `nested ${value.length} chars deep` : JSON.stringify(value)?.slice(0, 40);
  return { document: copy, what: `${key} = ${shown}` };
}

// ---------------------------------------------------------------------------------------------
// Writing one case

/** Serialises a document, splicing in deep values (see deepValue). */
const jsonBytes = (value) =>
  Buffer.from(JSON.stringify(value).replace(/"\\u0000deep:([^"]*)"/g, (_, text) => text));

function assemble(layerTar, documents, mutate) {
  const blob = gzipSync(layerTar, { level: 1 });
  const { config, manifest, index } = structuredClone(documents);
  config.rootfs.diff_ids = [sha256(layerTar)];
  let configDoc = config;
  if (mutate?.target === 'config') configDoc = mutate.apply(config);
  const configBytes = jsonBytes(configDoc);
  manifest.config.digest = sha256(configBytes);
  manifest.config.size = configBytes.length;
  manifest.layers[0].digest = sha256(blob);
  manifest.layers[0].size = blob.length;
  const manifestDoc = mutate?.target === 'manifest' ? mutate.apply(manifest) : manifest;
  const manifestBytes = jsonBytes(manifestDoc);
  index.manifests[0].digest = sha256(manifestBytes);
  index.manifests[0].size = manifestBytes.length;
  const indexDoc = mutate?.target === 'index' ? mutate.apply(index) : index;
  return { blob, configBytes, manifestBytes, indexBytes: jsonBytes(indexDoc), configDigest: sha256(configBytes), layerDigest: sha256(blob) };
}

/** An OCI archive (a tar of the layout) or a docker-save archive holding the parts. */
function archive(parts, format) {
  const files = [];
  const blobPath = (digest) => `blobs/sha256/${digest.slice('sha256:'.length)}`;
  if (format === 'oci') {
    files.push(['oci-layout', Buffer.from('{"imageLayoutVersion":"1.0.0"}')]);
    files.push(['index.json', parts.indexBytes]);
    files.push([blobPath(sha256(parts.manifestBytes)), parts.manifestBytes]);
    files.push([blobPath(parts.configDigest), parts.configBytes]);
    files.push([blobPath(parts.layerDigest), parts.blob]);
  } else {
    const manifest = [{ Config: blobPath(parts.configDigest), RepoTags: ['fuzz:latest'], Layers: [blobPath(parts.layerDigest)] }];
    files.push(['manifest.json', Buffer.from(JSON.stringify(manifest))]);
    files.push([blobPath(parts.configDigest), parts.configBytes]);
    files.push([blobPath(parts.layerDigest), parts.blob]);
  }
  const out = [];
  for (const [name, body] of files) {
    out.push(tarHeader(name, { size: body.length }), body, Buffer.alloc((512 - (body.length % 512)) % 512));
  }
  out.push(Buffer.alloc(1024));
  return Buffer.concat(out);
}

/** The bytes of case `n` and what was done to them. */
export function fuzzCase(base, rng) {
  const kind = rng.pick(['layer', 'elf', 'json', 'json']);
  const format = rng.pick(['oci', 'docker']);
  let layerTar = base.layer.tar;
  let mutate = null;
  let what;
  if (kind === 'layer') {
    const result = mutateBytes(layerTar, rng);
    layerTar = result.bytes;
    what = `layer: ${result.what}`;
  } else if (kind === 'elf') {
    const { offset, length } = base.layer.elf;
    const result = mutateBytes(layerTar.subarray(offset, offset + length), rng);
    const body = Buffer.alloc(length);
    result.bytes.copy(body, 0, 0, Math.min(length, result.bytes.length)); // the tar stays well formed
    layerTar = Buffer.concat([layerTar.subarray(0, offset), body, layerTar.subarray(offset + length)]);
    what = `elf: ${result.what}`;
  } else {
    const target = format === 'docker' ? rng.pick(['config', 'config']) : rng.pick(['config', 'manifest', 'index']);
    let detail = '';
    mutate = {
      target,
      apply: (document) => {
        const result = mutateJson(document, rng);
        detail = result.what;
        return result.document;
      },
    };
    const parts = assemble(layerTar, base.documents, mutate);
    return { bytes: archive(parts, format), what: `${format} ${target}: ${detail}` };
  }
  return { bytes: archive(assemble(layerTar, base.documents, null), format), what: `${format} ${what}` };
}

export function baseImage(elfPath = '/usr/bin/true') {
  const layer = baseLayer(readFileSync(elfPath));
  return { layer, documents: baseDocuments(layer.tar) };
}

// ---------------------------------------------------------------------------------------------
// Running the CLI

function runOne(command, input, outDir) {
  const args = command === 'slim' ? ['slim', input, '-o', path.join(outDir, 'out.tar'), '-q'] : [command, input, '-q', ...(command === 'analyze' ? ['-f', 'json'] : [])];
  // The 10 s are CPU seconds (ulimit -t: SIGXCPU past them), so a loaded machine does not fail a
  // case; a run blocked without using CPU is stopped by a wall-clock guard six times longer.
  const result = spawnSync('/bin/sh', ['-c', `ulimit -t ${TIME_LIMIT_MS / 1000}; exec "$0" "$@"`, process.execPath, CLI, ...args], {
    timeout: 6 * TIME_LIMIT_MS,
    maxBuffer: 64 << 20,
    env: { PATH: process.env.PATH, HOME: process.env.HOME },
  });
  const problems = [];
  if (result.error?.code === 'ETIMEDOUT' || result.signal === 'SIGTERM' || result.signal === 'SIGXCPU' || result.signal === 'SIGKILL') {
    problems.push(`ran over ${TIME_LIMIT_MS / 1000} s (${result.signal ?? result.error?.code})`);
  }
  if (result.status === 70) problems.push('exit 70');
  const stderr = result.stderr.toString().trimEnd();
  if (stderr.split('\n').length > 1) problems.push(`stderr has ${stderr.split('\n').length} lines: ${stderr.split('\n').slice(0, 3).join(' | ')}`);
  const left = existsSync(outDir) ? readdirSync(outDir).filter((name) => !(result.status === 0 && name === 'out.tar')) : [];
  if (left.length > 0) problems.push(`left behind: ${left.join(', ')}`);
  return { status: result.status, problems, stderr };
}

/** Runs `cases` seeded cases; returns one record per case with its failures. */
export function runFuzz({ seed = 1, cases = 50, keep = null, elf = '/usr/bin/true', log = () => {} } = {}) {
  const rng = random(seed);
  const base = baseImage(elf);
  const work = mkdtempSync(path.join(tmpdir(), 'imgslim-fuzz-'));
  const results = [];
  try {
    for (let n = 0; n < cases; n++) {
      const { bytes, what } = fuzzCase(base, rng);
      const input = path.join(work, `case-${n}.tar`);
      writeFileSync(input, bytes);
      const failures = [];
      const statuses = [];
      for (const command of COMMANDS) {
        const outDir = path.join(work, `out-${n}-${command}`);
        mkdirSync(outDir);
        const run = runOne(command, input, outDir);
        statuses.push(run.status);
        for (const problem of run.problems) failures.push(`${command}: ${problem}`);
        rmSync(outDir, { recursive: true, force: true });
      }
      if (bytes.length >= 1 << 20) failures.push(`input is ${bytes.length} bytes, over the 1 MiB the time limit assumes`);
      results.push({ n, what, size: bytes.length, statuses, failures });
      log(`${failures.length > 0 ? 'FAIL' : 'ok  '} #${n} ${what} → ${statuses.join('/')}${failures.length > 0 ? `: ${failures.join('; ')}` : ''}`);
      if (failures.length > 0 && keep) {
        mkdirSync(keep, { recursive: true });
        copyFileSync(input, path.join(keep, `seed${seed}-case${n}.tar`));
      }
      rmSync(input);
    }
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
  return results;
}

function parseArgs(argv) {
  const options = { seed: 1, cases: 200, keep: null };
  for (let i = 0; i < argv.length; i++) {
    const value = argv[i + 1];
    if (argv[i] === '--seed') options.seed = Number(value);
    else if (argv[i] === '--cases') options.cases = Number(value);
    else if (argv[i] === '--keep') options.keep = value;
    else {
      console.error(`fuzz: unknown argument ${argv[i]} (use --seed N --cases N --keep DIR)`);
      process.exit(2);
    }
    i++;
  }
  return options;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const options = parseArgs(process.argv.slice(2));
  const results = runFuzz({ ...options, log: (line) => console.log(line) });
  const failed = results.filter((result) => result.failures.length > 0);
  console.log(`${results.length} cases (seed ${options.seed}): ${results.length - failed.length} passed, ${failed.length} failed`);
  process.exit(failed.length > 0 ? 1 : 0);
}

#!/usr/bin/env node
/**
 * `npm run bench [-- --write] [--runs N] [--no-build] [--cli FILE]`: times imgslim on the benchmark
 * image (bench/make-image.mjs) against what GNU gzip alone needs for the same bytes.
 *   baseline A  gzip -dc of every layer blob, to /dev/null
 *   analyze     node bin/imgslim.js analyze IMAGE --format json --quiet      target ≤ 1.15× A
 *   baseline B  A + gzip -c of the slim output's layers, decompressed once beforehand (untimed)
 *   slim        node bin/imgslim.js slim IMAGE -o OUT --quiet                target ≤ 1.5× B
 * Best of N wall times (default 3); the peak RSS of each step (target ≤ 200 MB). A step whose
 * command fails prints its error and shows n/a. --write puts the table into docs/benchmarks.md.
 * No project imports: imgslim is run as a user runs it.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensureBenchImage } from './make-image.mjs';
import { measureBest } from './measure.mjs';
import { extractKeptLayers } from './slim-output.mjs';
import { renderTable, writeResults } from './table.mjs';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const option = (name) => (args.includes(name) ? args[args.indexOf(name) + 1] : undefined);
/** --cli FILE benchmarks another imgslim entry point (e.g. a previous release's bin/imgslim.js). */
const cli = path.resolve(option('--cli') ?? path.join(repo, 'bin', 'imgslim.js'));
const runs = Math.max(1, Number(option('--runs') ?? 3) || 3);
const log = (line) => process.stderr.write(`${line}\n`);
const mb = (bytes) => (bytes / 1e6).toFixed(0);

/**
 * Builds dist/ when src/ changed since the last build, under the same dist.lock directory and
 * dist/.build-stamp file the test helpers use (test/helpers/build.ts), so parallel runs agree.
 */
function buildDist() {
  const stamp = path.join(repo, 'dist', '.build-stamp');
  const lock = path.join(repo, 'dist.lock');
  const fresh = () => existsSync(stamp) && statSync(stamp).mtimeMs >= newestMtime(path.join(repo, 'src'));
  if (fresh()) return;
  for (let attempt = 0; ; attempt++) {
    try {
      mkdirSync(lock);
      break;
    } catch {
      if (attempt > 600) throw new Error('timed out waiting for dist.lock');
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 200);
    }
  }
  try {
    if (fresh()) return;
    log('building dist/ (tsc -p tsconfig.build.json)…');
    const tsc = spawnSync(process.execPath, [path.join(repo, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', 'tsconfig.build.json'], { cwd: repo, encoding: 'utf8' });
    if (tsc.status !== 0) log(`tsc reported errors (JavaScript is still emitted):\n${tail(tsc.stdout + tsc.stderr, 15)}`);
    if (existsSync(path.join(repo, 'dist', 'cli', 'main.js'))) writeFileSync(stamp, '');
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
}

function newestMtime(dir) {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(full) : statSync(full).mtimeMs);
  }
  return newest;
}

function step(name, command, options = {}) {
  const shown = command.map((part) => (path.isAbsolute(part) && !path.relative(repo, part).startsWith('..') ? path.relative(repo, part) : part));
  log(`${name}: ${shown.length > 8 ? `${shown.slice(0, 7).join(' ')} … (${shown.length - 7} more)` : shown.join(' ')}`);
  const result = measureBest(command, { runs, cwd: repo, log, ...options });
  if (!result.ok) log(`  FAILED (exit ${result.code}):\n${tail(result.stderr, 20)}`);
  return result;
}

function machine() {
  const cpu = os.cpus()[0]?.model.trim() ?? 'unknown CPU';
  return `${cpu}, ${os.cpus().length} cores, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB RAM, Linux ${os.release()}, Node ${process.version}`;
}

const tail = (text, lines) => String(text).trim().split('\n').slice(-lines).map((line) => `    ${line}`).join('\n');

async function main() {
  const meta = await ensureBenchImage({ log });
  if (!args.includes('--no-build') && option('--cli') === undefined) buildDist();
  const work = mkdtempSync(path.join(os.tmpdir(), 'imgslim-bench-'));
  try {
    const blobs = meta.layers.map((layer) => layer.blob);
    const baselineA = step('baseline A', ['gzip', '-dc', ...blobs]);
    const analyze = step('analyze', [process.execPath, cli, 'analyze', meta.image, '--format', 'json', '--quiet']);
    const slimOut = path.join(work, 'slim-out.tar');
    const slim = step('slim', [process.execPath, cli, 'slim', meta.image, '-o', slimOut, '--quiet'], {
      before: () => rmSync(slimOut, { recursive: true, force: true }),
    });

    let baselineB = null;
    let keptBytes = null;
    if (slim.ok) {
      try {
        const kept = extractKeptLayers(slimOut, work);
        keptBytes = kept.reduce((sum, file) => sum + Number(spawnSync('stat', ['-c', '%s', file]).stdout.toString()), 0);
        const script = 'n=$1; shift; gzip -dc "${@:1:n}" > /dev/null && gzip -c "${@:n+1}" > /dev/null';
        baselineB = step('baseline B', ['bash', '-c', script, 'bash', String(blobs.length), ...blobs, ...kept]);
      } catch (error) {
        log(`baseline B: cannot read the slim output's layers: ${error.message}`);
      }
    } else {
      log('baseline B: needs the slim output: n/a');
    }

    const table = renderTable([
      { step: 'baseline A', command: `\`gzip -dc\` of the ${blobs.length} layer blobs`, result: baselineA },
      { step: 'analyze', command: '`imgslim analyze IMAGE --format json --quiet`', result: analyze, baseline: baselineA, baselineName: 'A', maxRatio: 1.15 },
      { step: 'baseline B', command: `A + \`gzip -c\` of the kept layer tar (${keptBytes === null ? 'n/a' : `${mb(keptBytes)} MB`})`, result: baselineB },
      { step: 'slim', command: '`imgslim slim IMAGE -o OUT --quiet`', result: slim, baseline: baselineB, baselineName: 'B', maxRatio: 1.5 },
    ], { runs });
    const header = `Measured ${new Date().toISOString().slice(0, 10)} on ${machine()}.\n` +
      `Image: ${meta.version}, ${mb(meta.uncompressedBytes)} MB uncompressed in ${meta.layers.length} gzip layers (${mb(meta.compressedBytes)} MB).\n` +
      (option('--cli') ? `imgslim: ${option('--cli')}\n` : '');
    process.stdout.write(`\n${header}\n${table}\n`);
    if (args.includes('--write')) {
      writeResults(path.join(repo, 'docs', 'benchmarks.md'), `${header}\n${table}`);
      log('wrote docs/benchmarks.md');
    }
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

await main();

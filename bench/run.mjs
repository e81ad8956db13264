#!/usr/bin/env node
/**
 * `npm run bench [-- --write] [--rounds N] [--only ID,ID] [--no-build] [--cli FILE]`: times
 * imgslim against the floors of its work, every process in the same run, in interleaved rounds
 * (each round runs every step once, so a change of machine load hits all of them alike). The
 * steps and targets are in bench/steps.mjs (issue 13): baselines A and H (Node's zlib, the
 * inflater imgslim uses, layer after layer; H adds sha256 of both sides), Z (zstd), C (gzip of
 * the kept bytes), igzip, libdeflate and GNU gzip for reference; analyze on the gzip image, its
 * OCI layout, the zstd variant and the 2× image; check; slim; --version. Ratios are taken per
 * round, reported as the median across rounds (default 3). --write records the tables in
 * docs/benchmarks.md. No project imports: imgslim runs as a user runs it.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensureBenchImage } from './make-image.mjs';
import { ensureDoubleImage, ensureOciImage, ensureZstdImage } from './make-variants.mjs';
import { measureOnce } from './measure.mjs';
import { extractKeptLayers } from './slim-output.mjs';
import { benchChecks, benchSteps, FLOORS } from './steps.mjs';
import { evaluateChecks, renderChecks, renderSteps, writeResults } from './table.mjs';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const option = (name) => (args.includes(name) ? args[args.indexOf(name) + 1] : undefined);
/** --cli FILE benchmarks another imgslim entry point (e.g. a previous release's bin/imgslim.js). */
const cli = path.resolve(option('--cli') ?? path.join(repo, 'bin', 'imgslim.js'));
const rounds = Math.max(1, Number(option('--rounds') ?? 3) || 3);
const only = option('--only')?.split(',');
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
    log('building dist/ (tsc -p tsconfig.build.json, then scripts/bundle.mjs)…');
    const tsc = spawnSync(process.execPath, [path.join(repo, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', 'tsconfig.build.json'], { cwd: repo, encoding: 'utf8' });
    if (tsc.status !== 0) log(`tsc reported errors (JavaScript is still emitted):\n${tail(tsc.stdout + tsc.stderr, 15)}`);
    const bundle = spawnSync(process.execPath, [path.join(repo, 'scripts', 'bundle.mjs')], { cwd: repo, encoding: 'utf8' });
    if (bundle.status !== 0) throw new Error(`scripts/bundle.mjs failed:\n${tail(bundle.stdout + bundle.stderr, 15)}`);
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

function machine() {
  const cpu = os.cpus()[0]?.model.trim() ?? 'unknown CPU';
  return `${cpu}, ${os.cpus().length} cores, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB RAM, Linux ${os.release()}, Node ${process.version}`;
}

const tail = (text, lines) => String(text).trim().split('\n').slice(-lines).map((line) => `    ${line}`).join('\n');
const shown = (command) => command.map((part) => (path.isAbsolute(part) && !path.relative(repo, part).startsWith('..') ? path.relative(repo, part) : part));

/** One run of a step (the fastest of `repeat` runs), or null when skipped. */
function runStep(step, ctx) {
  const command = step.command(ctx);
  if (!command) return null;
  step.before?.(ctx);
  let best = null;
  for (let i = 0; i < (step.repeat ?? 1); i++) {
    const result = measureOnce(command, { cwd: repo, env: step.env });
    if (!result.ok && !(step.mayFail ?? []).includes(result.code)) {
      log(`  ${step.id} FAILED (exit ${result.code}): ${shown(command).slice(0, 6).join(' ')} …\n${tail(result.stderr, 12)}`);
      return { ...result, ok: false };
    }
    result.ok = true;
    if (!best || result.wallSeconds < best.wallSeconds) best = result;
  }
  step.after?.(ctx);
  return best;
}

async function main() {
  const images = {
    gzip: await ensureBenchImage({ log }),
    zstd: await ensureZstdImage({ log }),
    oci: await ensureOciImage({ log }),
    x2: await ensureDoubleImage({ log }),
  };
  if (!args.includes('--no-build') && option('--cli') === undefined) buildDist();
  const work = mkdtempSync(path.join(os.tmpdir(), 'imgslim-bench-'));
  const slimOut = path.join(work, 'slim-out.tar');
  const ctx = {
    node: process.execPath, cli, repo, work, images, kept: null,
    removeSlimOutput: () => rmSync(slimOut, { recursive: true, force: true }),
    keepSlimLayers: () => {
      if (ctx.kept || !existsSync(slimOut)) return;
      const keptDir = path.join(work, 'kept');
      mkdirSync(keptDir, { recursive: true });
      ctx.kept = extractKeptLayers(slimOut, keptDir);
    },
  };
  const steps = benchSteps().filter((step) => !only || only.includes(step.id) || (step.id === 'C' && only.includes('slim')));
  const results = [];
  try {
    for (const step of steps) await step.setup?.(ctx);
    for (let round = 1; round <= rounds; round++) {
      log(`round ${round}/${rounds}`);
      const measured = {};
      for (const step of steps) {
        const result = runStep(step, ctx);
        if (!result) continue;
        measured[step.id] = result;
        if (result.ok) log(`  ${step.id.padEnd(13)} ${result.wallSeconds.toFixed(2)} s wall, ${result.cpuSeconds.toFixed(2)} s CPU, ${result.rssMB.toFixed(0)} MB`);
      }
      results.push(measured);
    }
  } finally {
    for (const step of steps) await step.teardown?.(ctx);
    rmSync(work, { recursive: true, force: true });
  }

  const floor = (round, id) => {
    const variants = FLOORS[id];
    if (!variants) return round[id];
    const runs = variants.map((v) => round[v]).filter((run) => run?.ok);
    return runs.length ? runs.reduce((a, b) => (b.wallSeconds < a.wallSeconds ? b : a)) : null;
  };
  const cpuFloor = (round, id) => {
    const variants = FLOORS[id];
    if (!variants) return round[id];
    const runs = variants.map((v) => round[v]).filter((run) => run?.ok);
    return runs.length ? runs.reduce((a, b) => (b.cpuSeconds < a.cpuSeconds ? b : a)) : null;
  };
  const checks = benchChecks().filter((check) => !only || [check.step, ...(check.steps ?? [])].some((id) => only.includes(id)));
  const evaluated = [
    ...evaluateChecks(checks.filter((c) => c.metric !== 'cpu'), results, floor),
    ...evaluateChecks(checks.filter((c) => c.metric === 'cpu'), results, cpuFloor),
  ].sort((a, b) => checks.indexOf(a.check) - checks.indexOf(b.check));
  const g = images.gzip;
  const header =
    `Measured ${new Date().toISOString().slice(0, 10)} on ${machine()}; load average ${os.loadavg().map((l) => l.toFixed(1)).join(' ')} at the end.\n` +
    `Images: ${g.version}, ${mb(g.uncompressedBytes)} MB uncompressed in ${g.layers.length} gzip layers (${mb(g.compressedBytes)} MB); ` +
    `zstd variant ${mb(images.zstd.compressedBytes)} MB; 2× variant ${mb(images.x2.uncompressedBytes)} MB in ${images.x2.layers.length} layers. ` +
    `${rounds} interleaved rounds. Every command runs without NODE_OPTIONS and NODE_EXTRA_CA_CERTS (bench/measure.mjs).\n` +
    (option('--cli') ? `imgslim: ${option('--cli')}\n` : '');
  const text = `${header}\n${renderChecks(evaluated)}\n\n${renderSteps(steps, results)}`;
  process.stdout.write(`\n${text}\n`);
  if (args.includes('--write')) {
    writeResults(path.join(repo, 'docs', 'benchmarks.md'), text);
    log('wrote docs/benchmarks.md');
  }
}

await main();

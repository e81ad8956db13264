#!/usr/bin/env node
/**
 * imgslim's launcher: one Node process. (It used to re-run itself with glibc malloc tuned;
 * since layers scan in worker threads that tuning changes peak RSS by under 10 %, measured in
 * docs/benchmarks.md, which no longer pays for a second process start. Set
 * MALLOC_ARENA_MAX=2 MALLOC_MMAP_THRESHOLD_=131072 yourself to have it; the Dockerfile does.)
 *
 * `--version`/`-V` is answered here, before the CLI's module graph loads (loading it costs
 * about 20 ms, a quarter of Node's own start): the same test as runCli's (the first argument
 * once every --debug is removed), the version read from package.json with one fs call. A failed
 * write (closed or full stdout) falls through to runCli, which reports it as every command does.
 */
import { readFileSync, writeSync } from 'node:fs';
import { setFlagsFromString } from 'node:v8';

/**
 * V8 optimises a function once it has run for a budget of bytecode (66 KiB by default). With
 * three isolates (main thread and two layer workers), each compiling its own copies, that spent
 * 1.7 s of optimising-compiler time on the bench image's analyze, a quarter of its CPU; 32 times
 * the budget leaves 40 compilations (0.2 s) and the same Report, 0.8 s less CPU
 * (docs/benchmarks.md, 2026-12-07). The flag is process-wide, so it must be set before the
 * workers start.
 */
setFlagsFromString('--interrupt-budget=2162688');
/**
 * Each isolate scavenges its young generation alone rather than with V8's helper threads: Node
 * gives V8 four of them, which on two cores compete with the layer workers for a few
 * milliseconds of work each time. slim of the bench image 0.15 s faster, analyze of the 2× image
 * 0.11 s, the 1× image unchanged (10 interleaved rounds, docs/benchmarks.md). V8 reads the flag
 * at every scavenge, so setting it here is safe (--single-threaded-gc is not: changing
 * concurrent marking on a live heap aborts).
 */
setFlagsFromString('--no-parallel-scavenge');

/**
 * Commands that scan an image: their layer workers start now, so that their own start and
 * compile (about 0.2 s) overlap the loading of the CLI's module graph (docs/benchmarks.md);
 * not for a small local image, which scans on the main thread.
 */
const SCANS_AN_IMAGE = new Set(['analyze', 'check', 'slim', 'diff']);

const argv = process.argv.slice(2);
const first = argv.find((arg) => arg !== '--debug');
if (!((first === '--version' || first === '-V') && printVersion())) {
  if (SCANS_AN_IMAGE.has(first)) (await loadBundle('scan-workers.js')).prestartScanWorkers(argv.slice(argv.indexOf(first) + 1));
  const { runCli } = await loadBundle('main.js');
  process.exitCode = await runCli(argv);
}

/**
 * An entry of dist/bundle/, which `npm run build` makes (scripts/bundle.mjs): one module graph
 * in a few chunks loads in a third of the time of dist/'s 240 modules (docs/decisions.md).
 */
async function loadBundle(entry) {
  const url = new URL(`../dist/bundle/${entry}`, import.meta.url);
  try {
    return await import(url);
  } catch (error) {
    if (error?.code !== 'ERR_MODULE_NOT_FOUND' || !String(error.message).includes(url.pathname)) throw error;
    process.stderr.write(`imgslim: ${url.pathname} is missing: run \`npm run build\` in ${new URL('..', import.meta.url).pathname}\n`);
    process.exit(2);
  }
}

function printVersion() {
  const { version } = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));
  try {
    writeSync(1, `${version}\n`);
    return true;
  } catch {
    return false;
  }
}

#!/usr/bin/env node
/**
 * imgslim's launcher: one Node process. (It used to re-run itself with glibc malloc tuned;
 * since layers scan in worker threads that tuning changes peak RSS by under 10 %, measured in
 * docs/benchmarks.md, which no longer pays for a second process start. Set
 * MALLOC_ARENA_MAX=2 MALLOC_MMAP_THRESHOLD_=131072 yourself to have it; the Dockerfile does.)
 */
const { runCli } = await import('../dist/cli/main.js');
process.exitCode = await runCli(process.argv.slice(2));

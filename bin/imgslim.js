#!/usr/bin/env node
/**
 * imgslim's launcher. On Linux it first re-runs itself with glibc malloc tuned: by default the
 * mmap threshold grows with every large buffer freed, so the freed buffers of streamed layers
 * stay in malloc's arenas and the process keeps ~60-100 MB it no longer uses (measured in
 * docs/benchmarks.md). A fixed threshold returns them to the system. Set the variables yourself
 * (or IMGSLIM_NO_REEXEC=1) to skip the extra process.
 */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const tuned = process.env.MALLOC_MMAP_THRESHOLD_ !== undefined || process.env.IMGSLIM_NO_REEXEC === '1';

if (process.platform === 'linux' && !tuned) {
  // --expose-gc: slim collects once between analysing and writing (src/cli/commands/slim.ts).
  const nodeArgs = [...new Set([...process.execArgv, '--expose-gc'])];
  const child = spawn(process.execPath, [...nodeArgs, fileURLToPath(import.meta.url), ...process.argv.slice(2)], {
    stdio: 'inherit',
    env: { ...process.env, MALLOC_ARENA_MAX: process.env.MALLOC_ARENA_MAX ?? '2', MALLOC_MMAP_THRESHOLD_: '131072' },
  });
  // The terminal sends SIGINT/SIGQUIT to the whole process group: the child handles them.
  for (const signal of ['SIGINT', 'SIGQUIT']) process.on(signal, () => {});
  for (const signal of ['SIGTERM', 'SIGHUP']) process.on(signal, () => child.kill(signal));
  child.on('error', (error) => {
    process.stderr.write(`imgslim: cannot start: ${error.message}\n`);
    process.exit(70);
  });
  child.on('exit', (code, signal) => {
    if (signal) {
      process.removeAllListeners(signal);
      process.kill(process.pid, signal);
    } else {
      process.exit(code ?? 70);
    }
  });
} else {
  const { runCli } = await import('../dist/cli/main.js');
  process.exitCode = await runCli(process.argv.slice(2));
}

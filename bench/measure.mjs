/**
 * Runs a command under a /usr/bin/python3 wrapper that reports its wall time and the peak RSS
 * of the process tree it waited for (resource.getrusage(RUSAGE_CHILDREN).ru_maxrss, KiB on
 * Linux: the largest single descendant). stdout goes to /dev/null; stderr is kept for errors.
 * No project imports.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

const WRAPPER = `
import json, resource, subprocess, sys, time
out, command = sys.argv[1], sys.argv[2:]
start = time.perf_counter()
try:
    proc = subprocess.run(command, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    code, err = proc.returncode, proc.stderr[-4000:].decode(errors="replace")
except OSError as error:
    code, err = 127, str(error)
wall = time.perf_counter() - start
rss = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
with open(out, "w") as f:
    json.dump({"wall": wall, "maxrssKiB": rss, "code": code, "stderr": err}, f)
`;

/** One run: { ok, wallSeconds, rssMB, code, stderr }. */
export function measureOnce(command, { timeoutMs = 30 * 60_000, cwd } = {}) {
  const dir = mkdtempSync(path.join(tmpdir(), 'imgslim-bench-measure-'));
  const out = path.join(dir, 'result.json');
  try {
    const wrapper = spawnSync('/usr/bin/python3', ['-c', WRAPPER, out, ...command], { cwd, timeout: timeoutMs, stdio: ['ignore', 'ignore', 'pipe'] });
    if (wrapper.error || wrapper.status !== 0) {
      return { ok: false, code: wrapper.status ?? -1, stderr: String(wrapper.error ?? wrapper.stderr) };
    }
    const result = JSON.parse(readFileSync(out, 'utf8'));
    return { ok: result.code === 0, wallSeconds: result.wall, rssMB: (result.maxrssKiB * 1024) / 1e6, code: result.code, stderr: result.stderr };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * Best (lowest) wall time of `runs` runs and the highest peak RSS among them; stops at the
 * first failing run. `before` runs untimed ahead of each run (e.g. to delete an output).
 */
export function measureBest(command, { runs = 3, before, cwd, log } = {}) {
  let best = null;
  for (let run = 1; run <= runs; run++) {
    before?.();
    const result = measureOnce(command, { cwd });
    if (!result.ok) return { ok: false, code: result.code, stderr: result.stderr };
    log?.(`    run ${run}: ${result.wallSeconds.toFixed(2)} s, ${result.rssMB.toFixed(0)} MB`);
    best = best === null
      ? result
      : { ...result, wallSeconds: Math.min(best.wallSeconds, result.wallSeconds), rssMB: Math.max(best.rssMB, result.rssMB) };
  }
  return best;
}

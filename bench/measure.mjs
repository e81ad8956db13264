/**
 * Runs a command under a /usr/bin/python3 wrapper that reports its wall time, its CPU time (user
 * + system of every process and thread it waited for) and the peak RSS of the process tree
 * (resource.getrusage(RUSAGE_CHILDREN): ru_maxrss is KiB on Linux, the largest single
 * descendant). stdout goes to /dev/null; stderr is kept for errors. No project imports.
 *
 * Every command runs without NODE_OPTIONS and NODE_EXTRA_CA_CERTS, which are the machine's, not
 * the tool's: this machine sets NODE_EXTRA_CA_CERTS to the system's CA bundle, and Node then
 * parses it at every start, 37 ms here (`node -e 0`: 103-105 ms with it, 66-67 ms without;
 * docs/benchmarks.md, 2026-12-07). Baselines and imgslim run in the same environment.
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
usage = resource.getrusage(resource.RUSAGE_CHILDREN)
with open(out, "w") as f:
    json.dump({"wall": wall, "cpu": usage.ru_utime + usage.ru_stime, "maxrssKiB": usage.ru_maxrss, "code": code, "stderr": err}, f)
`;

/** The environment every measured command gets. */
const MEASURED_ENV = Object.fromEntries(Object.entries(process.env).filter(([name]) => name !== 'NODE_OPTIONS' && name !== 'NODE_EXTRA_CA_CERTS'));

/** One run: { ok, wallSeconds, cpuSeconds, rssMB, code, stderr }. `env` adds variables. */
export function measureOnce(command, { timeoutMs = 30 * 60_000, cwd, env } = {}) {
  const dir = mkdtempSync(path.join(tmpdir(), 'imgslim-bench-measure-'));
  const out = path.join(dir, 'result.json');
  try {
    const wrapper = spawnSync('/usr/bin/python3', ['-c', WRAPPER, out, ...command], { cwd, env: { ...MEASURED_ENV, ...env }, timeout: timeoutMs, stdio: ['ignore', 'ignore', 'pipe'] });
    if (wrapper.error || wrapper.status !== 0) {
      return { ok: false, code: wrapper.status ?? -1, stderr: String(wrapper.error ?? wrapper.stderr) };
    }
    const result = JSON.parse(readFileSync(out, 'utf8'));
    return { ok: result.code === 0, wallSeconds: result.wall, cpuSeconds: result.cpu, rssMB: (result.maxrssKiB * 1024) / 1e6, code: result.code, stderr: result.stderr };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

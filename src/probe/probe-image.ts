/**
 * Runs probes on an image: unpacks it into a private temporary root, then runs each probe
 * untraced (its outcome and time) and, when asked, traced under strace (the paths it used, and
 * the traced time: the tracing overhead). The root is removed afterwards, whatever happens.
 */
import { mkdirSync, mkdtempSync, readFileSync, realpathSync, rmSync } from 'node:fs';
import path from 'node:path';
import type { ResolvedImage } from '../image/index.js';
import { UsageError } from '../shared/errors.js';
import { processSpec } from './process-spec.js';
import { runCommandProbe, type RunResult } from './run-command.js';
import { runHttpProbe } from './run-http.js';
import { removeTree, type SandboxTools } from './sandbox-host.js';
import type { SandboxRun } from './sandbox.js';
import { usedPaths } from './trace-log.js';
import type { Probe, ProbeRun } from './types.js';
import { unpackImage } from './unpack.js';

export interface ProbeImageOptions {
  tools: SandboxTools;
  probes: readonly Probe[];
  /** What `--probe-http` starts: the (effective) Entrypoint followed by Cmd. */
  entrypoint: readonly string[];
  timeoutMs: number;
  /** Trace each probe for the paths it uses (the original image); the slimmed image's check runs untraced. */
  trace: boolean;
  /** A directory for the temporary root (the system's temporary directory). */
  scratch: string;
  signal?: AbortSignal;
  /** Called after each probe (progress). */
  onProbe?: (run: ProbeRun) => void;
}

export async function probeImage(image: ResolvedImage, options: ProbeImageOptions): Promise<ProbeRun[]> {
  const dir = mkdtempSync(path.join(options.scratch, 'imgslim-probe-'));
  try {
    const root = path.join(dir, 'root');
    mkdirSync(root);
    const unpacked = await unpackImage(image, root, { owners: !options.tools.userns, signal: options.signal });
    const realRoot = realpathSync(root);
    const process = processSpec(realRoot, unpacked.config);
    const runs: ProbeRun[] = [];
    for (const [index, probe] of options.probes.entries()) {
      options.signal?.throwIfAborted();
      const argv = probe.kind === 'command' ? probe.argv : [...options.entrypoint];
      if (argv.length === 0) throw new UsageError(`probe '${probe.label}': the image has no Entrypoint or Cmd to start`);
      const base: SandboxRun = { root: realRoot, argv, process, signal: options.signal };
      // Traced first: what a first run does in this root (make its run directories, chown
      // them) is what the slimmed image must do too; a run after it may find that done.
      const traced = options.trace ? await traceProbe(options, probe, base, path.join(dir, `trace-${index}.log`)) : null;
      options.signal?.throwIfAborted();
      const untraced = await runProbe(options, probe, base);
      const run: ProbeRun = { probe, outcome: (traced ?? untraced).outcome, paths: traced?.paths ?? [], untracedMs: untraced.ms, tracedMs: traced?.ms ?? null };
      options.onProbe?.(run);
      runs.push(run);
    }
    return runs;
  } finally {
    removeTree(options.tools, dir);
  }
}

/** The probe run under the tracer: its result and the paths it used. */
async function traceProbe(options: ProbeImageOptions, probe: Probe, base: SandboxRun, traceLog: string): Promise<RunResult & { paths: ProbeRun['paths'] }> {
  const result = await runProbe(options, probe, { ...base, traceLog });
  launchFailure(probe, result);
  const paths = usedPaths(readFileSync(traceLog, 'utf8'), base.root);
  rmSync(traceLog, { force: true });
  return { ...result, paths };
}

function runProbe(options: ProbeImageOptions, probe: Probe, run: SandboxRun): Promise<RunResult> {
  return probe.kind === 'command'
    ? runCommandProbe(options.tools, run, options.timeoutMs)
    : runHttpProbe(options.tools, run, probe.port, probe.path, options.timeoutMs);
}

/** A probe the original image cannot even start (no such program, bad WorkingDir or User) is the user's to fix. */
function launchFailure(probe: Probe, result: RunResult): void {
  const line = result.stderr.split('\n').find((text) => /^unshare: (failed to execute|cannot change|chroot failed|setgid failed|setuid failed)/.test(text));
  if (line) throw new UsageError(`probe '${probe.label}': in the original image: ${line.replace(/^unshare: /, '')}`, { code: 'E_PROBE_LAUNCH' });
}

/**
 * `slim --probe/--probe-http`: the glue between probe (which runs things) and slim (which decides
 * what to keep). Before the plan, the probes run traced on the original image and every path they
 * used becomes an ExtraPath ("used by probe '…'"); after the image is written (to a temporary
 * name beside the output) they run on the slimmed image, and the output is moved into place only
 * when every outcome matches, else removed (exit 5).
 */
import { randomBytes } from 'node:crypto';
import { renameSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { ImageAnalysis } from '../analysis/index.js';
import { checkSandbox, currentHost, firstDifference, parseHttpProbe, parseProbeTimeout, probeImage, type Probe, type ProbeRun, type SandboxTools } from '../probe/index.js';
import { BehaviourError, UsageError } from '../shared/errors.js';
import { shellWords, type AuditProbe, type ExtraPath } from '../slim/index.js';
import { openImage, type WriteFormat } from '../sources/index.js';
import type { CliIO } from './io.js';

export interface ProbeArgs {
  probe?: string[];
  'probe-http'?: string[];
  'probe-timeout'?: string;
  'no-verify'?: boolean;
  'keep-unprobed'?: boolean;
  quiet?: boolean;
}

export interface ProbeSession {
  probes: Probe[];
  tools: SandboxTools;
  timeoutMs: number;
  verify: boolean;
  /** Prints one progress line on stderr (each probe's outcome, the verification); silent under -q. */
  note: (line: string) => void;
}

/** The probes of the command line, the sandbox checked (exit 2 when it cannot run); null without probes. */
export function probeSession(values: ProbeArgs, io: CliIO): ProbeSession | null {
  const probes: Probe[] = [];
  for (const text of values.probe ?? []) {
    const argv = shellWords(text);
    if (argv === null || argv.length === 0) {
      throw new UsageError(`slim: --probe '${text}': give a simple command (words and quotes); for pipes, redirections or variables use --probe "sh -c '…'"`);
    }
    probes.push({ kind: 'command', label: text, argv });
  }
  for (const text of values['probe-http'] ?? []) probes.push(parseHttpProbe(text));
  const timeoutMs = parseProbeTimeout(values['probe-timeout']);
  if (probes.length === 0) {
    if (values['probe-timeout'] !== undefined || values['no-verify'] || values['keep-unprobed']) {
      throw new UsageError('slim: --probe-timeout, --no-verify and --keep-unprobed need --probe or --probe-http');
    }
    return null;
  }
  const note = values.quiet ? () => undefined : (line: string) => void io.stderr.write(`imgslim: ${line}\n`);
  return { probes, tools: checkSandbox(currentHost(io.env)), timeoutMs, verify: !values['no-verify'], note };
}

/** Runs the probes traced on the original image; the paths they used, each with its reason. */
export async function probeOriginal(session: ProbeSession, analysis: ImageAnalysis, entrypoint: readonly string[], signal: AbortSignal): Promise<{ runs: ProbeRun[]; extraPaths: ExtraPath[] }> {
  const runs = await probeImage(analysis.image, {
    tools: session.tools,
    probes: session.probes,
    entrypoint,
    timeoutMs: session.timeoutMs,
    trace: true,
    scratch: tmpdir(),
    signal,
    onProbe: (run) => session.note(describeRun(run)),
  });
  const extraPaths: ExtraPath[] = [];
  for (const run of runs) {
    for (const used of run.paths) extraPaths.push({ path: used.path, reason: `used by probe '${run.probe.label}'`, followLast: used.followLast });
  }
  return { runs, extraPaths };
}

/** The probes as the audit records them. */
export function auditProbes(runs: readonly ProbeRun[], verified: boolean | null): AuditProbe[] {
  return runs.map((run) => ({
    probe: run.probe.label,
    kind: run.probe.kind,
    outcome: outcomeText(run),
    pathsUsed: run.paths.length,
    untracedMs: Math.round(run.untracedMs),
    tracedMs: Math.round(run.tracedMs ?? 0),
    verified,
  }));
}

function outcomeText(run: ProbeRun): string {
  if (run.outcome.kind === 'command') return run.outcome.timedOut ? 'timed out' : `exit ${run.outcome.exitCode}, ${run.outcome.stdoutSize} bytes of stdout`;
  return run.outcome.error ?? `HTTP ${run.outcome.status}, ${run.outcome.bodySize} bytes`;
}

/** One line per probe: its outcome, how many paths it used, and the tracing overhead. */
export function describeRun(run: ProbeRun): string {
  const outcome = outcomeText(run);
  const timing =
    run.tracedMs === null
      ? `${Math.round(run.untracedMs)} ms`
      : `${run.paths.length} paths used; ${Math.round(run.untracedMs)} ms untraced, ${Math.round(run.tracedMs)} ms traced (tracing overhead ${(run.tracedMs / Math.max(run.untracedMs, 1)).toFixed(1)}x)`;
  return `probe '${run.probe.label}': ${outcome}; ${timing}`;
}

/** Where the image is written first when it is to be verified: beside the output, moved into place once verified. */
export function stagingPath(target: string, format: WriteFormat): string {
  if (format === 'oci-layout' && statSync(target, { throwIfNoEntry: false })) {
    throw new UsageError(`slim: ${target} exists: an OCI layout that gains the image cannot be verified before it changes; give a new -o, or --no-verify`);
  }
  return path.join(path.dirname(target), `.${path.basename(target)}.imgslim-verify-${randomBytes(6).toString('hex')}`);
}

/**
 * Runs the probes untraced on the staged slimmed image and compares each outcome with the
 * original's; moves the image into place, or removes it and throws BehaviourError (exit 5).
 */
export async function verifySlimmed(session: ProbeSession, original: ProbeRun[], staged: string, target: string, entrypoint: readonly string[] | null, signal: AbortSignal): Promise<void> {
  try {
    const image = await openImage(staged);
    let runs: ProbeRun[];
    try {
      const config = image.config.config ?? {};
      runs = await probeImage(image, {
        tools: session.tools,
        probes: session.probes,
        entrypoint: entrypoint ?? [...(config.Entrypoint ?? []), ...(config.Cmd ?? [])],
        timeoutMs: session.timeoutMs,
        trace: false,
        scratch: tmpdir(),
        signal,
      });
    } finally {
      await image.close();
    }
    const difference = firstDifference(original, runs);
    if (difference !== null) throw new BehaviourError(`slim: the slimmed image behaves differently: ${difference}; nothing was written (--no-verify skips this check)`);
    session.note(`verified: the slimmed image gives the same ${session.probes.length === 1 ? 'outcome' : `outcomes for all ${session.probes.length} probes`}`);
    rmSync(target, { recursive: true, force: true });
    renameSync(staged, target);
  } finally {
    rmSync(staged, { recursive: true, force: true });
  }
}

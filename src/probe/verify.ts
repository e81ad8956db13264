/**
 * Verification: the slimmed image's outcome of each probe against the original's. `--probe`
 * compares the exit code and stdout (by digest), `--probe-http` the status and body digest.
 * Pure: the first difference as one sentence, or null.
 */
import type { ProbeOutcome, ProbeRun } from './types.js';

export function firstDifference(original: readonly ProbeRun[], slimmed: readonly ProbeRun[]): string | null {
  for (const [index, before] of original.entries()) {
    const after = slimmed[index];
    if (!after) return `probe '${before.probe.label}' did not run on the slimmed image`;
    const difference = outcomeDifference(before.outcome, after.outcome);
    if (difference !== null) return `probe '${before.probe.label}': ${difference}`;
  }
  return null;
}

export function outcomeDifference(before: ProbeOutcome, after: ProbeOutcome): string | null {
  if (before.kind === 'command' && after.kind === 'command') {
    if (before.timedOut !== after.timedOut) return before.timedOut ? 'the original timed out, the slimmed image did not' : 'the slimmed image timed out';
    if (before.exitCode !== after.exitCode) return `exit code ${before.exitCode} before, ${after.exitCode} after`;
    if (before.stdoutDigest !== after.stdoutDigest) return `stdout differs: ${textDifference(before.stdoutHead, after.stdoutHead, before.stdoutSize, after.stdoutSize)}`;
    return null;
  }
  if (before.kind === 'http' && after.kind === 'http') {
    if (before.error !== after.error) return `${before.error ?? `HTTP ${before.status}`} before, ${after.error ?? `HTTP ${after.status}`} after`;
    if (before.status !== after.status) return `HTTP status ${before.status} before, ${after.status} after`;
    if (before.bodyDigest !== after.bodyDigest) return `the response body differs: ${textDifference(before.bodyHead, after.bodyHead, before.bodySize, after.bodySize)}`;
    return null;
  }
  return 'the probes are of different kinds';
}

/** Where two outputs part: the first differing line, or the sizes when the shown heads agree. */
function textDifference(before: string, after: string, beforeSize: number, afterSize: number): string {
  const a = before.split('\n');
  const b = after.split('\n');
  for (let line = 0; line < Math.max(a.length, b.length); line++) {
    if (a[line] !== b[line]) return `line ${line + 1} was ${quote(a[line])}, is ${quote(b[line])}`;
  }
  return `${beforeSize} bytes before, ${afterSize} after`;
}

function quote(line: string | undefined): string {
  if (line === undefined) return '(no line)';
  return JSON.stringify(line.length > 120 ? `${line.slice(0, 117)}...` : line);
}

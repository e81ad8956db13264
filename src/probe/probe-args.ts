/** `--probe-http PORT[/PATH]` and `--probe-timeout SECONDS` as given on the command line. */
import { UsageError } from '../shared/errors.js';
import type { Probe } from './types.js';

export function parseHttpProbe(value: string): Probe {
  const match = /^(\d{1,5})(\/.*)?$/.exec(value.trim());
  const port = Number(match?.[1]);
  if (!match || port < 1 || port > 65535) throw new UsageError(`slim: --probe-http takes PORT[/PATH], e.g. 8080/health (got '${value}')`);
  const target = match[2] ?? '/';
  return { kind: 'http', label: `GET :${port}${target}`, port, path: target };
}

export function parseProbeTimeout(value: string | undefined): number {
  if (value === undefined) return 30_000;
  if (!/^\d+(\.\d+)?$/.test(value) || Number(value) <= 0) throw new UsageError(`slim: --probe-timeout takes a number of seconds (got '${value}')`);
  return Math.round(Number(value) * 1000);
}

/** The Report's `config` section: the container config as the image states it, null where absent. */
import type { ImageConfig } from '../image/index.js';
import type { ImageConfigSummary } from '../report/index.js';

export function summarizeConfig(config: ImageConfig): ImageConfigSummary {
  const c = config.config ?? {};
  return {
    entrypoint: Array.isArray(c.Entrypoint) ? c.Entrypoint : null,
    cmd: Array.isArray(c.Cmd) ? c.Cmd : null,
    env: Array.isArray(c.Env) ? c.Env : null,
    user: nonEmpty(c.User),
    workingDir: nonEmpty(c.WorkingDir),
    exposedPorts: isObject(c.ExposedPorts) ? c.ExposedPorts : null,
    labels: isObject(c.Labels) ? (c.Labels as Record<string, string>) : null,
    volumes: isObject(c.Volumes) ? c.Volumes : null,
    stopSignal: nonEmpty(c.StopSignal),
    os: nonEmpty(config.os),
    architecture: nonEmpty(config.architecture),
    variant: nonEmpty(config.variant),
    created: nonEmpty(config.created),
  };
}

/** `KEY=VALUE` lines of an Env array as a map (later entries win, as the runtime does). */
export function envMap(env: readonly string[] | null | undefined): Map<string, string> {
  const map = new Map<string, string>();
  for (const line of env ?? []) {
    const eq = line.indexOf('=');
    if (eq > 0) map.set(line.slice(0, eq), line.slice(eq + 1));
    else if (eq < 0 && line) map.set(line, '');
  }
  return map;
}

function nonEmpty(value: unknown): string | null {
  return typeof value === 'string' && value !== '' ? value : null;
}

function isObject(value: unknown): value is Record<string, object> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

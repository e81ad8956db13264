/** The Report's `config` section: the container config as the image states it, null where absent. */
import type { ImageConfig } from '../image/index.js';
import type { ImageConfigSummary } from '../report/index.js';

export function summarizeConfig(config: ImageConfig): ImageConfigSummary {
  const c = config.config ?? {};
  return {
    entrypoint: c.Entrypoint ?? null,
    cmd: c.Cmd ?? null,
    env: c.Env ?? null,
    user: nonEmpty(c.User),
    workingDir: nonEmpty(c.WorkingDir),
    exposedPorts: emptyObjects(c.ExposedPorts),
    labels: c.Labels ?? null,
    volumes: emptyObjects(c.Volumes),
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

function nonEmpty(value: string | undefined): string | null {
  return value ? value : null;
}

/** ExposedPorts and Volumes are sets: Docker reads each value as an empty struct, whatever it holds. */
function emptyObjects(map: Record<string, object | null> | undefined): Record<string, object> | null {
  return map ? Object.fromEntries(Object.keys(map).map((key) => [key, {}])) : null;
}

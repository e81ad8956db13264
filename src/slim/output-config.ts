/**
 * The slimmed image's config: what the container runs and how (Entrypoint, Cmd, Env, User,
 * WorkingDir, ExposedPorts, Volumes, Labels, StopSignal), the platform, a fixed creation time and
 * one history entry recording the slim. rootfs is filled in by the writer.
 */
import type { ImageConfig } from '../image/index.js';
import { VERSION } from '../shared/version.js';
import type { KeepPlan, PlanOptions } from './types.js';

const CARRIED = ['Env', 'User', 'WorkingDir', 'ExposedPorts', 'Volumes', 'Labels', 'StopSignal'] as const;
const PLATFORM = ['architecture', 'os', 'variant', 'os.version', 'os.features'] as const;

export interface SlimHistory {
  /** The source image's manifest digest. */
  source: string;
  kept: number;
  total: number;
}

export function slimConfig(source: ImageConfig, plan: KeepPlan, options: PlanOptions, created: string, history: SlimHistory): Record<string, unknown> {
  const from = source.config ?? {};
  const config: Record<string, unknown> = {};
  if (plan.entrypoint && plan.entrypoint.length > 0) config.Entrypoint = plan.entrypoint;
  if (plan.cmd && plan.cmd.length > 0) config.Cmd = plan.cmd;
  for (const key of CARRIED) {
    const value = from[key];
    if (value !== undefined && value !== null && value !== '') config[key] = value;
  }
  const result: Record<string, unknown> = {};
  for (const key of PLATFORM) if (source[key] !== undefined && source[key] !== '') result[key] = source[key];
  result.created = created;
  result.config = config;
  result.history = [{ created, created_by: createdBy(options), comment: `imgslim ${VERSION}: kept ${history.kept} of ${history.total} entries of ${history.source}` }];
  return result;
}

/** The semantic options, as a command line (paths of input and output left out: they do not change the image). */
function createdBy(options: PlanOptions): string {
  const parts = ['imgslim slim'];
  if (options.entrypoint) parts.push(`--entrypoint ${JSON.stringify(options.entrypoint)}`);
  for (const keep of options.keep ?? []) parts.push(`--keep ${keep}`);
  return parts.join(' ');
}

/**
 * writeImage: one image as a docker-archive (`docker load`-compatible, laid out as Docker ≥ 25
 * writes it), an OCI image layout directory, or an OCI archive. Deterministic and atomic.
 */
import { UsageError } from '../../shared/errors.js';
import { writeLayoutOutput } from './layout-output.js';
import { planImage, type WritableImage, type WriteFormat } from './plan.js';
import { writeTarOutput } from './tar-output.js';

export interface WriteTarget {
  format: WriteFormat;
  path: string;
}

export interface WrittenImage {
  manifestDigest: string;
  configDigest: string;
}

const FORMATS: readonly WriteFormat[] = ['docker-archive', 'oci-layout', 'oci-archive'];

export async function writeImage(target: WriteTarget, image: WritableImage): Promise<WrittenImage> {
  if (!FORMATS.includes(target.format)) {
    throw new UsageError(`unknown output format "${String(target.format)}" (expected ${FORMATS.join(', ')})`, { code: 'E_FORMAT' });
  }
  if (!target.path || target.path === '-') throw new UsageError('writeImage needs an output path', { code: 'E_OUTPUT' });
  const plan = planImage(target.format, image);
  if (target.format === 'oci-layout') await writeLayoutOutput(target.path, plan);
  else await writeTarOutput(target.path, plan);
  return { manifestDigest: plan.manifestDescriptor.digest, configDigest: plan.configDigest };
}

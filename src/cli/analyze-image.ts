/** Analyses the IMAGE argument of a command with progress on stderr; the report keeps the path as given. */
import { inspectImage, type AnalyzeOptions, type ImageAnalysis } from '../analysis/index.js';
import type { Report } from '../report/index.js';
import type { ProgressSink } from '../shared/progress.js';
import { createProgress } from '../ui/index.js';
import { resolveImageArgument } from '../sources/index.js';
import type { CliIO } from './io.js';
import { registryAccess, type RegistryArgs } from './registry-options.js';

export interface ImageArgs extends RegistryArgs {
  image?: string;
  platform?: string;
  quiet?: boolean;
}

/** The IMAGE argument with its file path made absolute: `-` (stdin) and `docker://…` as given. */
export function imagePath(image: string, io: CliIO): string {
  return resolveImageArgument(image, io.cwd);
}

/** Opens and analyses IMAGE; the caller closes `analysis.image`. */
export async function inspectImageArg(
  image: string,
  values: ImageArgs,
  io: CliIO,
  progress: ProgressSink,
  options: Pick<AnalyzeOptions, 'contentDigests' | 'planFacts'> = {},
): Promise<ImageAnalysis> {
  const analysis = await inspectImage(imagePath(image, io), {
    ...options,
    selector: values.image,
    platform: values.platform,
    progress,
    stdin: io.stdin,
    registry: registryAccess(values, io),
  });
  analysis.report.source.path = image;
  return analysis;
}

export async function analyzeImageArg(image: string, values: ImageArgs, io: CliIO, options: Pick<AnalyzeOptions, 'contentDigests'> = {}): Promise<Report> {
  const progress = createProgress(io, { quiet: values.quiet ?? false });
  try {
    // A Report alone needs none of the facts only slim's plan reads.
    const analysis = await inspectImageArg(image, values, io, progress, { ...options, planFacts: false });
    await analysis.image.close();
    return analysis.report;
  } finally {
    progress.close();
  }
}

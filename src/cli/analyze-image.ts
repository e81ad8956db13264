/** Analyses the IMAGE argument of a command with progress on stderr; the report keeps the path as given. */
import path from 'node:path';
import { analyzeImage } from '../analysis/index.js';
import type { Report } from '../report/index.js';
import { createProgress } from '../ui/index.js';
import type { CliIO } from './io.js';

export interface ImageArgs {
  image?: string;
  platform?: string;
  quiet?: boolean;
}

export async function analyzeImageArg(image: string, values: ImageArgs, io: CliIO): Promise<Report> {
  const progress = createProgress(io, { quiet: values.quiet ?? false });
  try {
    const report = await analyzeImage(image === '-' ? '-' : path.resolve(io.cwd, image), {
      selector: values.image,
      platform: values.platform,
      progress,
      stdin: io.stdin,
    });
    report.source.path = image;
    return report;
  } finally {
    progress.close();
  }
}

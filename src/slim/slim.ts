/**
 * `imgslim slim`: analyse → plan what to keep → write one layer (uncompressed tar beside the
 * output, then compressed) → write the image atomically in the chosen format. A dry run stops
 * after the plan and writes nothing. Temporary files live beside the output and are always removed.
 */
import { randomBytes } from 'node:crypto';
import { rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { inspectImage, type AnalyzeOptions, type ImageAnalysis } from '../analysis/index.js';
import { layerMediaType, type RegistryAccess } from '../image/index.js';
import type { Report } from '../report/index.js';
import { RefusedError, UsageError } from '../shared/errors.js';
import { silentProgress, type ProgressSink } from '../shared/progress.js';
import { isRegistryArgument, pushImage, REGISTRY_PREFIX, writeImage, type WriteFormat } from '../sources/index.js';
import { compressLayer } from './compress-layer.js';
import { checkOutput } from './output-checks.js';
import { outputFormat, outputTag } from './output-target.js';
import { layoutLayer } from './layout.js';
import { slimConfig } from './output-config.js';
import { planKeep } from './plan.js';
import { buildSlimSummary } from './summary.js';
import type { PlanOptions, SlimCompression, SlimOutput, SlimResult } from './types.js';
import { prestartCopyWorkers, writeLayerTar } from './write-layer.js';

export interface SlimOptions extends PlanOptions {
  /** Where and how to write the slimmed image; omitted for a dry run (nothing is written). */
  /** `path` may be `docker://REF`: the image is then pushed (with `registry` access). */
  output?: { path: string; format?: WriteFormat; compression?: SlimCompression; tag?: string | null; registry?: RegistryAccess };
  /** SOURCE_DATE_EPOCH (seconds): the created time, and the latest mtime (later ones are clamped); default the source's `created`. */
  sourceDateEpoch?: number;
  progress?: ProgressSink;
  signal?: AbortSignal;
  /** Source layers re-read at once for their kept content (default 2). */
  concurrency?: number;
}

/** Slims an analysed image (the caller closes `analysis.image`). */
export async function slimAnalysis(analysis: ImageAnalysis, options: SlimOptions = {}): Promise<SlimResult> {
  const progress = options.progress ?? silentProgress;
  const pushing = options.output !== undefined && isRegistryArgument(options.output.path);
  const target = options.output ? (pushing ? options.output.path : path.resolve(options.output.path)) : null;
  const format = outputFormat(options.output?.format, analysis.image.format, target ?? '');
  const tag = outputTag(options.output?.tag, format, analysis.image.format, analysis.image.tags);
  if (target !== null && !pushing) checkOutput(target, format, tag, analysis.image.path);
  if (target !== null) prestartCopyWorkers(analysis);
  const plan = planKeep(analysis, options);
  if (plan.startProblems.length > 0 && !options.force) throw refusal(plan.startProblems);
  const created = createdTime(analysis.image.config.created, options.sourceDateEpoch);
  const mtimeLimit = Math.floor(Date.parse(created) / 1000);
  if (!options.output || target === null) {
    const layout = layoutLayer(analysis, plan, { mtimeLimit });
    return { plan, output: null, summary: buildSlimSummary(analysis, plan, layout, null) };
  }
  const compression = options.output.compression ?? 'gzip';
  // A push has no output directory: its layer is staged in the system's temporary directory.
  const scratchTarget = pushing ? path.join(tmpdir(), 'imgslim-push') : target;
  const tarFile = temporaryBeside(scratchTarget, 'layer.tar');
  const blobFile = temporaryBeside(scratchTarget, 'layer.blob');
  try {
    const layout = await writeLayerTar(analysis, plan, tarFile, { mtimeLimit, progress, signal: options.signal, concurrency: options.concurrency });
    const layer = await compressLayer(tarFile, blobFile, compression, { progress, tarSize: layout.tarSize, signal: options.signal });
    options.signal?.throwIfAborted();
    const kept = [...plan.kept.keys()].length;
    const config = slimConfig(analysis.image.config, plan, options, created, {
      source: analysis.image.manifestDigest,
      kept,
      total: analysis.merged.entries.size,
    });
    const task = progress.start('write', pushing ? `push ${target}` : `write ${path.basename(target)} (${format})`, layer.size);
    let written;
    try {
      const image = {
        config,
        layers: [{ blobPath: layer.path, digest: layer.digest, diffId: layer.diffId, size: layer.size, mediaType: layerMediaType('oci', compression) }],
        tag,
        created,
      };
      written = pushing
        ? await pushImage(target.slice(REGISTRY_PREFIX.length), image, {
            registry: options.output.registry,
            mountFrom: analysis.image.format === 'registry' ? analysis.image.reference : null,
          })
        : await writeImage({ format, path: target }, image);
      task.advance(layer.size);
    } finally {
      task.done();
    }
    const output: SlimOutput = {
      path: options.output.path,
      format: pushing ? 'registry' : format,
      compression,
      manifestDigest: written.manifestDigest,
      configDigest: written.configDigest,
      layerDigest: layer.digest,
      diffId: layer.diffId,
      compressedSize: layer.size,
      tarSize: layout.tarSize,
    };
    return { plan, output, summary: buildSlimSummary(analysis, plan, layout, output) };
  } finally {
    await Promise.all([rm(tarFile, { force: true }), rm(blobFile, { force: true })]);
  }
}

/** Opens, analyses and slims the image at `input`; the Report gains its `slim` section. */
export async function slimImage(input: string, options: SlimOptions & AnalyzeOptions = {}): Promise<{ report: Report; result: SlimResult }> {
  const analysis = await inspectImage(input, options);
  try {
    const result = await slimAnalysis(analysis, options);
    return { report: slimReport(analysis.report, result), result };
  } finally {
    await analysis.image.close();
  }
}

/** The source's Report with the slim section (and the entrypoint the slimmed image runs). */
export function slimReport(report: Report, result: SlimResult): Report {
  return { ...report, entrypoint: result.plan.resolved ?? report.entrypoint, slim: result.summary };
}

/** RFC 3339, whole seconds: SOURCE_DATE_EPOCH, else the source's `created`, else the epoch. */
export function createdTime(sourceCreated: string | undefined, sourceDateEpoch: number | undefined): string {
  if (sourceDateEpoch !== undefined) {
    if (!Number.isSafeInteger(sourceDateEpoch) || sourceDateEpoch < 0) throw new UsageError(`SOURCE_DATE_EPOCH must be a whole number of seconds (got ${sourceDateEpoch})`);
    return new Date(sourceDateEpoch * 1000).toISOString().replace(/\.000Z$/, 'Z');
  }
  if (sourceCreated !== undefined && !Number.isNaN(Date.parse(sourceCreated))) return sourceCreated;
  return '1970-01-01T00:00:00Z';
}

function refusal(problems: string[]): RefusedError {
  const more = problems.length > 1 ? ` (and ${problems.length - 1} more)` : '';
  return new RefusedError(`slim: refused, the slimmed entrypoint could not start: ${problems[0]}${more}; nothing was written (--keep what is missing, or --force to write it anyway)`);
}

function temporaryBeside(target: string, suffix: string): string {
  return path.join(path.dirname(target), `.${path.basename(target)}.imgslim-${randomBytes(6).toString('hex')}.${suffix}`);
}

/**
 * The analysis pipeline: open → stream every layer once (in parallel, results in order) →
 * merge → binaries and their closures → entrypoint → findings → Report.
 */
import type { RegistryAccess, ResolvedImage } from '../image/index.js';
import { openImage } from '../sources/index.js';
import { mergeLayers, type MergedFilesystem } from '../fs/index.js';
import { staleLdSoCache } from '../elf/index.js';
import type { Report } from '../report/index.js';
import { silentProgress, type ProgressSink } from '../shared/progress.js';
import { analyzeBinaries, type BinaryAnalysis } from './binaries.js';
import { buildReport, filesystemReport } from './build-report.js';
import type { EntryPayload } from './capture.js';
import { summarizeConfig } from './config-summary.js';
import { resolveEntrypoint, type EntrypointPlan } from './entrypoint.js';
import { collectFindings } from './findings.js';
import { ImageFs } from './image-fs.js';
import { readPackageDatabases, type PackageIndex } from '../packages/index.js';
import { packageRef, packagesReport, releaseDatabaseBytes } from './packages-report.js';
import type { LayerScan } from './scan-layer.js';
import { scanLayers } from './scan-layers.js';

export interface AnalyzeOptions {
  /** `name:tag`, `@N` or an OCI ref.name, for archives holding several images. */
  selector?: string;
  /** `os/arch[/variant]` for multi-platform indexes. */
  platform?: string;
  progress?: ProgressSink;
  /** Readable for the path `-`. */
  stdin?: NodeJS.ReadableStream;
  /** Credentials and TLS for `docker://` references. */
  registry?: RegistryAccess;
  /** Worker threads scanning layers; 0 scans on this thread (see scan-layers.ts for the default). */
  workers?: number;
  /** Layers streamed at once on this thread when `workers` is 0 (default: 2). */
  concurrency?: number;
  /** ELF files up to this size are retained whole while parsing. */
  elfRetainLimit?: number;
  /**
   * Hash content while the layers stream: `elf` fills `binaries[].digest` (as SBOMs need), `all`
   * also every regular file's `filesystem.entries[].digest` (as `diff` needs). Default: none.
   */
  contentDigests?: 'elf' | 'all';
  /**
   * Gather the facts only slim's plan reads, not the Report (default true): the paths and program
   * names compiled into ELF files' read-only data (ElfInfo.compiledPaths, compiledNames) and what
   * perl modules and scripts load (EntryPayload.perl). A caller that wants the Report alone turns
   * this off, which spares about a fifth of the scan's CPU on the bench image (docs/benchmarks.md).
   * With it the scan also records where slim's second read can resume inflating (LayerScan.resume).
   */
  planFacts?: boolean;
  /** Tar bytes between those resume points (default CHECKPOINT_EVERY; tests set it small; 0: none). */
  checkpointEvery?: number;
}

export interface ImageAnalysis {
  image: ResolvedImage;
  scans: LayerScan[];
  merged: MergedFilesystem<EntryPayload>;
  fs: ImageFs;
  binaries: BinaryAnalysis;
  /** Installed packages and the file → package map (src/packages). */
  packages: PackageIndex;
  entrypoint: EntrypointPlan | null;
  report: Report;
}

/** Analyses an image and returns the rich result; the caller must `image.close()` it. */
export async function inspectImage(path: string, options: AnalyzeOptions = {}): Promise<ImageAnalysis> {
  const image = await openImage(path, { selector: options.selector, platform: options.platform, stdin: options.stdin, registry: options.registry });
  try {
    return await inspectOpenImage(image, options);
  } catch (error) {
    await image.close();
    throw error;
  }
}

/** Analyses an image and returns its Report. */
export async function analyzeImage(path: string, options: AnalyzeOptions = {}): Promise<Report> {
  const analysis = await inspectImage(path, options);
  await analysis.image.close();
  return analysis.report;
}

export async function inspectOpenImage(image: ResolvedImage, options: AnalyzeOptions = {}): Promise<ImageAnalysis> {
  const progress = options.progress ?? silentProgress;
  const scans = await scanLayers(image.layers, {
    progress,
    layerCount: image.layers.length,
    elfRetainLimit: options.elfRetainLimit,
    digests: options.contentDigests ?? 'none',
    planFacts: options.planFacts,
    checkpointEvery: options.checkpointEvery,
    workers: options.workers,
    concurrency: options.concurrency,
  });
  const merged = mergeLayers(scans.map((scan) => ({ index: scan.index, entries: scan.entries })));
  const fs = new ImageFs(merged);
  const config = summarizeConfig(image.config);
  const packages = await readPackageDatabases(fs);
  releaseDatabaseBytes(fs);
  const binaries = analyzeBinaries(fs, config, (path) => {
    const owner = packages.ownerOf(path);
    return owner ? packageRef(owner) : null;
  });
  const problemsByPath = new Map(binaries.binaries.map((binary) => [binary.path, binary.problems]));
  const entrypoint = resolveEntrypoint(config, fs, (path) => problemsByPath.get(path) ?? null);
  const filesystem = filesystemReport(merged, options.contentDigests === 'all' ? (path) => fs.payload(path)?.digest : undefined);
  const findings = collectFindings({
    binaries: binaries.binaries,
    elfOf: (path) => fs.elf(path),
    filesystem,
    config,
    entrypoint: entrypoint.entrypoint,
    versionProblems: binaries.versionProblems,
    loaderWarnings: binaries.loaderWarnings,
    staleCache: staleLdSoCache(fs),
  });
  const report = buildReport({
    image,
    scans,
    merged,
    binaries: binaries.binaries,
    entrypoint: entrypoint.entrypoint,
    findings,
    filesystem,
    packages: packagesReport(packages, fs),
  });
  return { image, scans, merged, fs, binaries, packages, entrypoint, report };
}

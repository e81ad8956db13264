/** Assembles the Report from the analysis parts. */
import type { ResolvedImage } from '../image/index.js';
import { computeEfficiency, type MergedFilesystem } from '../fs/index.js';
import { SCHEMA_VERSION, summarizeReport, type Binary, type Entrypoint, type Finding, type Layer, type Report } from '../report/index.js';
import { VERSION } from '../shared/version.js';
import { formatPlatform } from '../image/index.js';
import type { EntryPayload } from './capture.js';
import { summarizeConfig } from './config-summary.js';
import { filesystemReport } from './fs-report.js';
import { historyByLayer } from './history.js';
import type { LayerScan } from './scan-layer.js';

/** Wasted paths listed in the report (dive's CI output lists them all; the figures count them all). */
const TOP_WASTED = 50;

export interface ReportParts {
  image: ResolvedImage;
  scans: LayerScan[];
  merged: MergedFilesystem<EntryPayload>;
  binaries: Binary[];
  entrypoint: Entrypoint | null;
  findings: Finding[];
  filesystem: Report['filesystem'];
  packages: Pick<Report, 'packages' | 'packageDatabases' | 'distro'>;
}

export function buildReport(parts: ReportParts): Report {
  const { image, scans, merged } = parts;
  const history = historyByLayer(image.config, scans.length);
  const layers: Layer[] = scans.map((scan, index) => {
    const blob = image.layers[index]!;
    const stats = merged.layers[index];
    return {
      index,
      digest: scan.digest,
      diffId: scan.diffId,
      mediaType: blob.descriptor.mediaType,
      compression: scan.compression,
      compressedSize: scan.compressedSize,
      size: scan.size,
      tarSize: scan.tarSize,
      createdBy: history[index]?.created_by ?? null,
      created: history[index]?.created ?? null,
      comment: history[index]?.comment ?? null,
      files: {
        entries: stats?.entries ?? scan.entries.length,
        added: stats?.added ?? 0,
        modified: stats?.modified ?? 0,
        removed: stats?.removed ?? 0,
        addedBytes: stats?.addedBytes ?? 0,
        modifiedBytes: stats?.modifiedBytes ?? 0,
      },
      reclaimableBytes: stats?.reclaimableBytes ?? 0,
      changes: stats?.changed ?? [],
    };
  });
  const efficiency = computeEfficiency(
    scans.map((scan) => ({ index: scan.index, entries: scan.entries })),
    { limit: TOP_WASTED },
  );
  const report: Omit<Report, 'summary'> = {
    schemaVersion: SCHEMA_VERSION,
    tool: { name: 'imgslim', version: VERSION },
    source: {
      path: image.path,
      format: image.format,
      manifestDigest: image.manifestDigest,
      manifestMediaType: image.manifestMediaType,
      configDigest: image.configDigest,
      platform: formatPlatform(image.platform),
      reference: image.reference,
      tags: image.tags,
    },
    config: summarizeConfig(image.config),
    layers,
    filesystem: parts.filesystem,
    efficiency: { ...efficiency, reclaimableBytes: merged.reclaimableBytes },
    binaries: parts.binaries,
    entrypoint: parts.entrypoint,
    findings: parts.findings,
    distro: parts.packages.distro,
    packages: parts.packages.packages,
    packageDatabases: parts.packages.packageDatabases,
  };
  // The summary sits right after the source in JSON: it is what a reader wants first.
  const { schemaVersion, tool, source, ...rest } = report;
  return { schemaVersion, tool, source, summary: summarizeReport(report), ...rest };
}

export { filesystemReport };

/**
 * The Report's `slim` section: before → after totals (size = Σ uncompressed layer tar sizes),
 * what was kept and why, what was dropped, the risks and where the image went.
 */
import type { ImageAnalysis } from '../analysis/index.js';
import type { SlimSummary } from '../report/index.js';
import type { Layout } from './layout.js';
import type { KeepPlan, SlimOutput } from './types.js';

const LARGEST_DROPPED = 10;

export function buildSlimSummary(analysis: ImageAnalysis, plan: KeepPlan, layout: Layout, output: SlimOutput | null): SlimSummary {
  const { report, merged } = analysis;
  // One definition of "file" (SlimTotals.files): an entry that is not a directory.
  const isFile = (type: string) => type !== 'directory';
  let sourceFiles = 0;
  for (const entry of merged.entries.values()) if (isFile(entry.type)) sourceFiles++;
  const before = {
    size: report.layers.reduce((sum, layer) => sum + layer.tarSize, 0),
    compressedSize: report.layers.reduce((sum, layer) => sum + layer.compressedSize, 0),
    files: sourceFiles,
    layers: report.layers.length,
    binaries: report.binaries.length,
  };
  const kept: SlimSummary['kept'] = [];
  let created = 0;
  for (const [path, reasons] of plan.kept) {
    const entry = merged.entries.get(path)!;
    if (!isFile(entry.type)) continue;
    const replacement = plan.replacements.get(path);
    const size = replacement?.kind === 'content' ? replacement.content.length : entry.type === 'file' || entry.type === 'hardlink' ? entry.size : 0;
    kept.push({ path, size, reasons: replacement ? [replacement.note, ...reasons] : [...reasons] });
  }
  for (const [path, replacement] of plan.replacements) {
    if (replacement.kind !== 'entry' || plan.kept.has(path) || !isFile(replacement.entry.type)) continue;
    kept.push({ path, size: 0, reasons: [replacement.note] });
    if (!merged.entries.has(path)) created++;
  }
  kept.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  // A dry run writes nothing: the compressed size is estimated with the source's own ratio.
  const ratio = before.size > 0 ? before.compressedSize / before.size : 1;
  const after = {
    size: layout.tarSize,
    compressedSize: output ? output.compressedSize : Math.round(layout.tarSize * ratio),
    files: kept.length,
    layers: 1,
    binaries: report.binaries.filter((binary) => plan.kept.has(binary.path)).length,
  };

  const keptInodes = new Set<number>();
  for (const path of plan.kept.keys()) keptInodes.add(merged.entries.get(path)!.inode);
  const dropped = new Map<number, { path: string; size: number }>();
  let droppedCount = 0;
  for (const path of merged.sortedPaths()) {
    const entry = merged.entries.get(path)!;
    if (plan.kept.has(path) || plan.replacements.has(path) || !isFile(entry.type)) continue;
    droppedCount++;
    if ((entry.type === 'file' || entry.type === 'hardlink') && !keptInodes.has(entry.inode) && !dropped.has(entry.inode)) dropped.set(entry.inode, { path, size: entry.size });
  }
  const droppedFiles = [...dropped.values()];
  return {
    before,
    after,
    kept,
    created,
    dropped: {
      count: droppedCount,
      size: droppedFiles.reduce((sum, file) => sum + file.size, 0),
      largest: droppedFiles.sort((a, b) => b.size - a.size || (a.path < b.path ? -1 : 1)).slice(0, LARGEST_DROPPED),
    },
    risks: plan.risks.map((risk) => ({ ...risk })),
    compressedSizeEstimated: output === null,
    output: output && { path: output.path, format: output.format, manifestDigest: output.manifestDigest, configDigest: output.configDigest },
  };
}

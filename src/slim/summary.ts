/**
 * The Report's `slim` section: before → after totals (size = Σ uncompressed layer tar sizes),
 * what was kept and why, what was dropped, the risks and where the image went.
 */
import type { ImageAnalysis } from '../analysis/index.js';
import type { SlimSummary } from '../report/index.js';
import { onlyParent } from './audit.js';
import type { Layout } from './layout.js';
import type { KeepPlan, SlimOutput } from './types.js';

const LARGEST_DROPPED = 10;

export function buildSlimSummary(analysis: ImageAnalysis, plan: KeepPlan, layout: Layout, output: SlimOutput | null): SlimSummary {
  const { report, merged } = analysis;
  const before = {
    size: report.layers.reduce((sum, layer) => sum + layer.tarSize, 0),
    compressedSize: report.layers.reduce((sum, layer) => sum + layer.compressedSize, 0),
    files: report.filesystem.files,
    layers: report.layers.length,
    binaries: report.binaries.length,
  };
  // A dry run writes nothing: the compressed size is estimated with the source's own ratio.
  const ratio = before.size > 0 ? before.compressedSize / before.size : 1;
  const after = {
    size: layout.tarSize,
    compressedSize: output ? output.compressedSize : Math.round(layout.tarSize * ratio),
    files: layout.files,
    layers: 1,
    binaries: report.binaries.filter((binary) => plan.kept.has(binary.path)).length,
  };
  // Directories are listed only when nothing below them is kept (/tmp, an empty VOLUME): the
  // others show through what they hold, and the count stays one of files, links and leaves.
  const withKeptChild = new Set<string>();
  for (const path of [...plan.kept.keys(), ...plan.replacements.keys()]) withKeptChild.add(path.slice(0, Math.max(1, path.lastIndexOf('/'))));
  const kept: SlimSummary['kept'] = [];
  for (const [path, reasons] of plan.kept) {
    const entry = merged.entries.get(path)!;
    if (entry.type === 'directory' && (onlyParent(reasons) || withKeptChild.has(path))) continue;
    const replacement = plan.replacements.get(path);
    const size = replacement?.kind === 'content' ? replacement.content.length : entry.type === 'file' || entry.type === 'hardlink' ? entry.size : 0;
    kept.push({ path, size, reasons: replacement ? [replacement.note, ...reasons] : [...reasons] });
  }
  for (const [path, replacement] of plan.replacements) {
    if (replacement.kind === 'entry' && !plan.kept.has(path)) kept.push({ path, size: 0, reasons: [replacement.note] });
  }
  kept.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));

  const keptInodes = new Set<number>();
  for (const path of plan.kept.keys()) keptInodes.add(merged.entries.get(path)!.inode);
  const dropped = new Map<number, { path: string; size: number }>();
  let droppedCount = 0;
  for (const path of merged.sortedPaths()) {
    const entry = merged.entries.get(path)!;
    if (plan.kept.has(path) || (entry.type !== 'file' && entry.type !== 'hardlink')) continue;
    droppedCount++;
    if (!keptInodes.has(entry.inode) && !dropped.has(entry.inode)) dropped.set(entry.inode, { path, size: entry.size });
  }
  const droppedFiles = [...dropped.values()];
  return {
    before,
    after,
    kept,
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

/**
 * The audit (`slim --audit FILE`): every entry of the source's final filesystem, kept or dropped,
 * with its size and the reasons it stayed, plus what slim created or rewrote, the risks and the
 * output. Its schema is in audit-schema.ts.
 */
import type { ImageAnalysis } from '../analysis/index.js';
import { compareBytewise } from '../fs/index.js';
import type { Audit, AuditFile } from './audit-schema.js';
import { AUDIT_VERSION } from './audit-version.js';
import { VERSION } from '../shared/version.js';
import { PARENT_REASON } from './keep-set.js';
import type { KeepPlan, PlanOptions, SlimOutput } from './types.js';

export function buildAudit(analysis: ImageAnalysis, plan: KeepPlan, options: PlanOptions, output: SlimOutput | null): Audit {
  const files: AuditFile[] = [];
  const keptInodes = new Map<number, number>();
  const droppedInodes = new Map<number, number>();
  for (const path of analysis.merged.sortedPaths()) {
    const entry = analysis.merged.entries.get(path)!;
    const reasons = plan.kept.get(path);
    const replacement = plan.replacements.get(path);
    const change = replacement ? (replacement.kind === 'content' ? 'rewritten' : 'metadata') : null;
    // Written to the output: kept, or replaced by slim (a replacement is written even when not kept).
    const written = reasons !== undefined || replacement !== undefined;
    files.push({
      path,
      type: entry.type,
      size: entry.size,
      kept: written,
      change: written ? change : null,
      reasons: !written ? [] : replacement ? [replacement.note, ...(reasons ?? [])] : [...reasons!],
    });
    if (entry.type !== 'file' && entry.type !== 'hardlink') continue;
    if (written) keptInodes.set(entry.inode, entry.size);
    else droppedInodes.set(entry.inode, entry.size);
  }
  for (const [path, replacement] of plan.replacements) {
    if (replacement.kind !== 'entry' || analysis.merged.entries.has(path)) continue;
    files.push({ path, type: replacement.entry.type, size: 0, kept: true, change: 'added', reasons: [replacement.note] });
  }
  files.sort((a, b) => compareBytewise(a.path, b.path));
  let keptSize = 0;
  let droppedSize = 0;
  for (const size of keptInodes.values()) keptSize += size;
  for (const [inode, size] of droppedInodes) if (!keptInodes.has(inode)) droppedSize += size;
  const image = analysis.image;
  const report = analysis.report;
  return {
    auditVersion: AUDIT_VERSION,
    tool: { name: 'imgslim', version: VERSION },
    source: {
      path: report.source.path,
      format: image.format,
      manifestDigest: image.manifestDigest,
      configDigest: image.configDigest,
      platform: report.source.platform,
    },
    options: { entrypoint: options.entrypoint ? [...options.entrypoint] : null, keep: [...(options.keep ?? [])] },
    output: output && {
      path: output.path,
      format: output.format,
      compression: output.compression,
      manifestDigest: output.manifestDigest,
      configDigest: output.configDigest,
      layerDigest: output.layerDigest,
      diffId: output.diffId,
      compressedSize: output.compressedSize,
      tarSize: output.tarSize,
    },
    totals: {
      entries: files.length,
      kept: files.filter((file) => file.kept).length,
      dropped: files.filter((file) => !file.kept).length,
      files: {
        kept: files.filter((file) => file.kept && file.type !== 'directory').length,
        created: files.filter((file) => file.change === 'added' && file.type !== 'directory').length,
        dropped: files.filter((file) => !file.kept && file.type !== 'directory').length,
      },
      keptSize,
      droppedSize,
    },
    files,
    risks: plan.risks.map((risk) => ({ ...risk })),
  };
}

/** True when an entry was kept only as the parent of other kept paths. */
export function onlyParent(reasons: readonly string[]): boolean {
  return reasons.length === 1 && reasons[0] === PARENT_REASON;
}

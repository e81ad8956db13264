/**
 * The audit (`slim --audit FILE`): every entry of the source's final filesystem, kept or dropped,
 * with its size and the reasons it stayed, plus what slim created or rewrote, the risks and the
 * output. `imgslim schema audit` prints AuditSchema as JSON Schema.
 */
import { Type, type Static, type TLiteral, type TSchema, type TUnion } from '@sinclair/typebox';
import type { ImageAnalysis } from '../analysis/index.js';
import { compareBytewise } from '../fs/index.js';
import { EntryType, SourceFormat } from '../report/schema.js';
import { VERSION } from '../shared/version.js';
import { PARENT_REASON } from './keep-set.js';
import type { KeepPlan, PlanOptions, SlimOutput } from './types.js';

export const AUDIT_VERSION = '1.0.0';

const Nullable = <T extends TSchema>(schema: T) => Type.Union([schema, Type.Null()]);
const StringEnum = <const T extends string[]>(...values: T) =>
  Type.Union(values.map((value) => Type.Literal(value))) as unknown as TUnion<TLiteral<T[number]>[]>;

export const AuditFile = Type.Object({
  /** Absolute path in the source's final filesystem (or, for `added`, in the slimmed image). */
  path: Type.String(),
  type: EntryType,
  /** Content bytes in the source (0 for anything but regular files). */
  size: Type.Number(),
  kept: Type.Boolean(),
  /** How the slimmed image's entry differs: `rewritten` content, changed `metadata`, or `added` (not in the source). */
  change: Nullable(StringEnum('rewritten', 'metadata', 'added')),
  /** Why it was kept (empty when dropped); a rewrite's note comes first. */
  reasons: Type.Array(Type.String()),
});
export type AuditFile = Static<typeof AuditFile>;

export const AuditSchema = Type.Object(
  {
    auditVersion: Type.Literal(AUDIT_VERSION),
    tool: Type.Object({ name: Type.Literal('imgslim'), version: Type.String() }),
    source: Type.Object({
      path: Type.String(),
      format: SourceFormat,
      manifestDigest: Type.String(),
      configDigest: Type.String(),
      platform: Type.String(),
    }),
    options: Type.Object({ entrypoint: Nullable(Type.Array(Type.String())), keep: Type.Array(Type.String()) }),
    output: Nullable(
      Type.Object({
        path: Type.String(),
        format: SourceFormat,
        compression: StringEnum('gzip', 'zstd', 'none'),
        manifestDigest: Type.String(),
        configDigest: Type.String(),
        layerDigest: Type.String(),
        diffId: Type.String(),
        compressedSize: Type.Number(),
        tarSize: Type.Number(),
      }),
    ),
    totals: Type.Object({
      entries: Type.Integer(),
      kept: Type.Integer(),
      dropped: Type.Integer(),
      /** Content bytes kept and dropped, each inode once. */
      keptSize: Type.Number(),
      droppedSize: Type.Number(),
    }),
    files: Type.Array(AuditFile),
    risks: Type.Array(Type.Object({ path: Nullable(Type.String()), message: Type.String() })),
  },
  { $id: 'https://imgslim.dev/schema/audit.json', title: 'imgslim slim audit' },
);
export type Audit = Static<typeof AuditSchema>;

export function buildAudit(analysis: ImageAnalysis, plan: KeepPlan, options: PlanOptions, output: SlimOutput | null): Audit {
  const files: AuditFile[] = [];
  const keptInodes = new Map<number, number>();
  const droppedInodes = new Map<number, number>();
  for (const path of analysis.merged.sortedPaths()) {
    const entry = analysis.merged.entries.get(path)!;
    const reasons = plan.kept.get(path);
    const replacement = plan.replacements.get(path);
    const change = replacement ? (replacement.kind === 'content' ? 'rewritten' : 'metadata') : null;
    files.push({
      path,
      type: entry.type,
      size: entry.size,
      kept: reasons !== undefined,
      change: reasons !== undefined ? change : null,
      reasons: reasons === undefined ? [] : replacement ? [replacement.note, ...reasons] : [...reasons],
    });
    if (entry.type !== 'file' && entry.type !== 'hardlink') continue;
    if (reasons !== undefined) keptInodes.set(entry.inode, entry.size);
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

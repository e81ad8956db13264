/**
 * The audit file's schema (`slim --audit FILE`; `imgslim schema audit` prints it). Kept apart from
 * the code that builds audits so that slimming never loads TypeBox.
 */
import { Type, type Static, type TSchema } from '@sinclair/typebox';
import { StringEnum } from '../shared/string-enum.js';
import { EntryType, SourceFormat } from '../report/schema.js';
import { AUDIT_VERSION } from './audit-version.js';

export { AUDIT_VERSION };

const Nullable = <T extends TSchema>(schema: T) => Type.Union([schema, Type.Null()]);

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

/** A traced probe (`slim --probe`, `--probe-http`): what it did and what tracing cost. */
export const AuditProbe = Type.Object({
  probe: Type.String(),
  kind: StringEnum('command', 'http'),
  /** `exit N, B bytes of stdout`, `HTTP S, B bytes`, `timed out`, or why no answer came. */
  outcome: Type.String(),
  /** Paths the traced run used inside the image (each kept when the image has it). */
  pathsUsed: Type.Integer(),
  /** Wall-clock milliseconds without and with strace: the tracing overhead. */
  untracedMs: Type.Number(),
  tracedMs: Type.Number(),
  /** true: the slimmed image gave the same outcome; null: not verified (--no-verify, --dry-run). */
  verified: Nullable(Type.Boolean()),
});
export type AuditProbe = Static<typeof AuditProbe>;

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
      /** Every entry of `files`, directories included. */
      entries: Type.Integer(),
      kept: Type.Integer(),
      dropped: Type.Integer(),
      /**
       * Files (entries that are not directories), counted as the Report's slim section counts
       * them: `kept` equals its `after.files` and `kept.length`, `created` its `created`,
       * `dropped` its `dropped.count`.
       */
      files: Type.Object({ kept: Type.Integer(), created: Type.Integer(), dropped: Type.Integer() }),
      /** Content bytes kept and dropped, each inode once. */
      keptSize: Type.Number(),
      droppedSize: Type.Number(),
    }),
    files: Type.Array(AuditFile),
    risks: Type.Array(Type.Object({ path: Nullable(Type.String()), message: Type.String() })),
    /** Present when probes ran. */
    probes: Type.Optional(Type.Array(AuditProbe)),
  },
  { $id: 'https://imgslim.dev/schema/audit.json', title: 'imgslim slim audit' },
);
export type Audit = Static<typeof AuditSchema>;

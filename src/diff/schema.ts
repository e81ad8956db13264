/**
 * The change set between two images (`imgslim diff A B --format json`; `imgslim schema diff`
 * prints it). This TypeBox schema is the contract; the types derive from it. `a` is the image
 * compared from (before), `b` the one compared to (after).
 */
import { Type, type Static, type TSchema } from '@sinclair/typebox';
import { StringEnum } from '../shared/string-enum.js';
import { EntryType, PackageManager, SourceFormat } from '../report/schema.js';
import { DIFF_SCHEMA_VERSION } from './version.js';

export { DIFF_SCHEMA_VERSION };

const Nullable = <T extends TSchema>(schema: T) => Type.Union([schema, Type.Null()]);

export const DiffImage = Type.Object({
  path: Type.String(),
  format: SourceFormat,
  manifestDigest: Type.String(),
  configDigest: Type.String(),
  platform: Type.String(),
  reference: Nullable(Type.String()),
});
export type DiffImage = Static<typeof DiffImage>;

/** One path of a final filesystem, as the diff compares it. */
export const DiffFile = Type.Object({
  path: Type.String(),
  type: EntryType,
  size: Type.Number(),
  /** Permission bits with setuid/setgid/sticky (`mode & 0o7777`). */
  mode: Type.Integer(),
  uid: Type.Integer(),
  gid: Type.Integer(),
  /** `sha256:<hex>` of a regular file's content; null for other types. */
  digest: Nullable(Type.String()),
  linkTarget: Nullable(Type.String()),
  /** Index of the layer that provided it, in its own image. */
  layer: Type.Integer(),
});
export type DiffFile = Static<typeof DiffFile>;

/** What differs about a path present in both images. */
export const FileAspect = StringEnum('type', 'content', 'mode', 'owner', 'link', 'xattrs');
export type FileAspect = Static<typeof FileAspect>;

export const FileChange = Type.Object({
  path: Type.String(),
  changes: Type.Array(FileAspect),
  before: DiffFile,
  after: DiffFile,
});
export type FileChange = Static<typeof FileChange>;

export const FieldChange = Type.Object({
  /** e.g. `linkage`, `glibcFloor`, `glibcProvided`, `muslVersion`, `hardening.relro`, `go.version`, `go.setting.CGO_ENABLED`, `go.dep.golang.org/x/net`. */
  field: Type.String(),
  /** The value as text (lists joined by `, `), null when absent. */
  before: Nullable(Type.String()),
  after: Nullable(Type.String()),
});
export type FieldChange = Static<typeof FieldChange>;

export const BinaryChange = Type.Object({
  path: Type.String(),
  /** Scalar facts that differ: linkage, libc, interpreter, SONAME, glibc floor, status, hardening, Go version and settings, Go module versions. */
  fields: Type.Array(FieldChange),
  /** DT_NEEDED names only in `b`, and only in `a`. */
  neededAdded: Type.Array(Type.String()),
  neededRemoved: Type.Array(Type.String()),
  /** Resolved dependency paths (the closure) only in `b`, and only in `a`; `name (not found)` when unresolved. */
  closureAdded: Type.Array(Type.String()),
  closureRemoved: Type.Array(Type.String()),
});
export type BinaryChange = Static<typeof BinaryChange>;

export const DiffBinary = Type.Object({
  path: Type.String(),
  linkage: Type.String(),
  libc: Type.String(),
  glibcFloor: Nullable(Type.String()),
  status: Type.String(),
});
export type DiffBinary = Static<typeof DiffBinary>;

export const DiffPackage = Type.Object({
  manager: PackageManager,
  name: Type.String(),
  architecture: Nullable(Type.String()),
  version: Type.String(),
});
export type DiffPackage = Static<typeof DiffPackage>;

export const PackageChange = Type.Object({
  manager: PackageManager,
  name: Type.String(),
  architecture: Nullable(Type.String()),
  before: Type.String(),
  after: Type.String(),
});
export type PackageChange = Static<typeof PackageChange>;

export const Totals = Type.Object({
  /** Bytes of regular files in the final filesystem, each inode once. */
  size: Type.Number(),
  /** Σ stored (compressed) layer sizes. */
  compressedSize: Type.Number(),
  /** Every path of the final filesystem (files, directories, links, devices). */
  entries: Type.Integer(),
  /** Regular files (hard links included). */
  files: Type.Integer(),
  layers: Type.Integer(),
  binaries: Type.Integer(),
  packages: Type.Integer(),
  /** dive's efficiency score (1 = nothing wasted). */
  efficiencyScore: Type.Number(),
  /** dive's wasted bytes. */
  wastedBytes: Type.Number(),
  /** Bytes in layer tars not visible in the final filesystem. */
  reclaimableBytes: Type.Number(),
});
export type Totals = Static<typeof Totals>;

export const ImageDiff = Type.Object(
  {
    diffVersion: Type.Literal(DIFF_SCHEMA_VERSION),
    tool: Type.Object({ name: Type.Literal('imgslim'), version: Type.String() }),
    a: DiffImage,
    b: DiffImage,
    files: Type.Object({
      added: Type.Array(DiffFile),
      removed: Type.Array(DiffFile),
      changed: Type.Array(FileChange),
      /** Paths present in both with nothing changed. */
      unchanged: Type.Integer(),
    }),
    binaries: Type.Object({
      added: Type.Array(DiffBinary),
      removed: Type.Array(DiffBinary),
      changed: Type.Array(BinaryChange),
    }),
    packages: Type.Object({
      added: Type.Array(DiffPackage),
      removed: Type.Array(DiffPackage),
      changed: Type.Array(PackageChange),
    }),
    totals: Type.Object({ a: Totals, b: Totals }),
  },
  { $id: 'https://imgslim.dev/schema/diff.json', title: 'imgslim diff' },
);
export type ImageDiff = Static<typeof ImageDiff>;

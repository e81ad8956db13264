/**
 * The Report: the contract CI users script against. This TypeBox schema is the single
 * source of truth; `imgslim schema` prints it as JSON Schema and the types derive from it.
 * Field names here are a public API: add fields, never rename or remove them without
 * bumping SCHEMA_VERSION.
 */
import { Type, type Static, type TSchema } from '@sinclair/typebox';
import { StringEnum } from '../shared/string-enum.js';
import { ELF_ROLES, LIBCS, LINKAGES, type Hardening as ElfHardening } from '../elf/index.js';
import { ENTRY_TYPES, LAYER_CHANGE_KINDS, type LayerChange as FsLayerChange, type LayerFiles as FsLayerFiles } from '../fs/index.js';
import { SOURCE_FORMATS } from '../image/index.js';

/** `true` only when A and B are the same type. */
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;

import { SCHEMA_VERSION } from './version.js';

export { SCHEMA_VERSION };

const Nullable = <T extends TSchema>(schema: T) => Type.Union([schema, Type.Null()]);

export const Severity = StringEnum('error', 'warning', 'info');
export type Severity = Static<typeof Severity>;

/** `registry`: read from (or pushed to) a registry by a `docker://` reference. */
export const SourceFormat = StringEnum(...SOURCE_FORMATS);
export type SourceFormat = Static<typeof SourceFormat>;

export const Source = Type.Object({
  /** The path given on the command line (`-` for stdin, `docker://…` for a registry). */
  path: Type.String(),
  format: SourceFormat,
  /** Digest of the image manifest (computed from its bytes; for legacy docker-save, of the manifest imgslim synthesises). */
  manifestDigest: Type.String(),
  manifestMediaType: Type.String(),
  configDigest: Type.String(),
  /** `os/arch[/variant]`, e.g. `linux/amd64` or `linux/arm/v7`. */
  platform: Type.String(),
  /** The tag or `org.opencontainers.image.ref.name` the image was selected by, if any. */
  reference: Nullable(Type.String()),
  /** All tags/ref names the selected image is known by. */
  tags: Type.Array(Type.String()),
});
export type Source = Static<typeof Source>;

export const ImageConfigSummary = Type.Object({
  entrypoint: Nullable(Type.Array(Type.String())),
  cmd: Nullable(Type.Array(Type.String())),
  env: Nullable(Type.Array(Type.String())),
  user: Nullable(Type.String()),
  workingDir: Nullable(Type.String()),
  exposedPorts: Nullable(Type.Record(Type.String(), Type.Unknown())),
  labels: Nullable(Type.Record(Type.String(), Type.String())),
  volumes: Nullable(Type.Record(Type.String(), Type.Unknown())),
  stopSignal: Nullable(Type.String()),
  os: Nullable(Type.String()),
  architecture: Nullable(Type.String()),
  variant: Nullable(Type.String()),
  created: Nullable(Type.String()),
});
export type ImageConfigSummary = Static<typeof ImageConfigSummary>;

export const LayerFiles = Type.Object({
  /** Tar entries in the layer, whiteouts included. */
  entries: Type.Integer(),
  /** Paths that did not exist below this layer. */
  added: Type.Integer(),
  /** Paths that existed below and are replaced. */
  modified: Type.Integer(),
  /** Paths removed by whiteouts (a whited-out directory counts every path under it). */
  removed: Type.Integer(),
  /** Content bytes of added and modified regular files. */
  addedBytes: Type.Number(),
  modifiedBytes: Type.Number(),
});
export type LayerFiles = Static<typeof LayerFiles>;

export const EntryType = StringEnum(...ENTRY_TYPES);
export type EntryType = Static<typeof EntryType>;

/** One path a layer changed (dive's per-layer tree): what it is after the layer, or was before a removal. */
export const LayerChange = Type.Object({
  path: Type.String(),
  /** `added`: not there below; `modified`: replaced something below; `removed`: deleted by a whiteout (every path under a whited-out directory). */
  change: StringEnum(...LAYER_CHANGE_KINDS),
  type: EntryType,
  /** Content bytes (0 but for regular files). */
  size: Type.Number(),
  /** Symlink target, or the path a hard link points at. */
  linkTarget: Nullable(Type.String()),
});
export type LayerChange = Static<typeof LayerChange>;

export const Layer = Type.Object({
  index: Type.Integer(),
  /** Digest of the blob as stored (compressed). */
  digest: Type.String(),
  /** Digest of the uncompressed tar (the config's rootfs.diff_ids entry). */
  diffId: Type.String(),
  mediaType: Type.String(),
  compression: StringEnum('gzip', 'zstd', 'none'),
  compressedSize: Type.Number(),
  /** Sum of the content sizes of the layer's tar entries (as dive counts it), not the tar stream length. */
  size: Type.Number(),
  /** Length of the uncompressed tar stream. */
  tarSize: Type.Number(),
  createdBy: Nullable(Type.String()),
  created: Nullable(Type.String()),
  comment: Nullable(Type.String()),
  files: LayerFiles,
  /** Bytes of this layer's content that are not visible in the final filesystem. */
  reclaimableBytes: Type.Number(),
  /** Every path this layer added, modified or removed, sorted by path (the counts in `files` count these; schema 1.5.0). */
  changes: Type.Array(LayerChange),
});
export type Layer = Static<typeof Layer>;

export const FsEntry = Type.Object({
  /** Absolute path inside the image, e.g. `/usr/bin/env`. */
  path: Type.String(),
  type: EntryType,
  /** Content bytes (0 for anything but regular files; a hard link reports its target's size). */
  size: Type.Number(),
  /** Permission bits and setuid/setgid/sticky (`mode & 0o7777`). */
  mode: Type.Integer(),
  uid: Type.Integer(),
  gid: Type.Integer(),
  /** Symlink target as stored, or the absolute path a hard link points at. */
  linkTarget: Nullable(Type.String()),
  /** Index of the layer that provided this entry. */
  layer: Type.Integer(),
  /** Extended attribute names (from PAX `SCHILY.xattr.*`), e.g. `security.capability`. */
  xattrs: Type.Array(Type.String()),
  /** Decoded file capabilities, when a `security.capability` xattr is present. */
  capabilities: Nullable(Type.Array(Type.String())),
  /** `sha256:<hex>` of a regular file's content; present only when the analysis hashed every file (as `imgslim diff` has it do). */
  digest: Type.Optional(Type.String()),
});
export type FsEntry = Static<typeof FsEntry>;

export const Filesystem = Type.Object({
  /** Regular files, hard links included (a hard link is a regular file). */
  files: Type.Integer(),
  directories: Type.Integer(),
  symlinks: Type.Integer(),
  hardlinks: Type.Integer(),
  /** Devices and FIFOs. */
  other: Type.Integer(),
  /** Bytes of regular files, each inode counted once. */
  totalSize: Type.Number(),
  entries: Type.Array(FsEntry),
});
export type Filesystem = Static<typeof Filesystem>;

export const WastedPath = Type.Object({
  path: Type.String(),
  /** How many layers touch this path. */
  count: Type.Integer(),
  /** Sum of its sizes across layers. */
  cumulativeSize: Type.Number(),
});
export type WastedPath = Static<typeof WastedPath>;

export const Efficiency = Type.Object({
  /** dive's efficiency score: Σ smallest size per path / Σ all sizes (1 when empty). */
  score: Type.Number(),
  /** dive's wasted bytes: Σ of all sizes of every path seen in more than one layer. */
  wastedBytes: Type.Number(),
  /** dive's user wasted percent: wastedBytes / bytes of all layers but the first (0 when there is none). */
  userWastedPercent: Type.Number(),
  /** Bytes in layer tars that are not visible in the final filesystem. */
  reclaimableBytes: Type.Number(),
  topWasted: Type.Array(WastedPath),
});
export type Efficiency = Static<typeof Efficiency>;

export const Finding = Type.Object({
  /** Stable identifier, e.g. `missing-library`, `wrong-libc`, `glibc-version`. */
  id: Type.String(),
  severity: Severity,
  /** Absolute path inside the image the finding is about, or null for the image as a whole. */
  path: Nullable(Type.String()),
  message: Type.String(),
});
export type Finding = Static<typeof Finding>;

export const Linkage = StringEnum(...LINKAGES);
export type Linkage = Static<typeof Linkage>;
export const Libc = StringEnum(...LIBCS);
export type Libc = Static<typeof Libc>;
export const ElfRole = StringEnum(...ELF_ROLES);
export type ElfRole = Static<typeof ElfRole>;

/** How a dependency was found, in the loader's own search order. */
export const ResolveVia = StringEnum(
  'interpreter', // PT_INTERP
  'path', // a DT_NEEDED containing '/'
  'rpath',
  'ld-library-path',
  'runpath',
  'ld.so.cache',
  'ld.so.conf',
  'default-path',
  'musl-path', // /etc/ld-musl-<arch>.path
  'musl-builtin', // libc.so, libpthread.so… provided by the musl loader itself
  'vdso', // kernel-provided, never a file
  'already-loaded', // a SONAME already in the link map
  'not-found',
);
export type ResolveVia = Static<typeof ResolveVia>;

export const ResolvedDependency = Type.Object({
  /** The DT_NEEDED (or interpreter) name as written. */
  name: Type.String(),
  /** Absolute path in the image after following symlinks, or null when not found / not a file. */
  path: Nullable(Type.String()),
  via: ResolveVia,
  /** The directory or file that matched, e.g. `/lib/x86_64-linux-gnu` or `/etc/ld.so.cache`. */
  viaDetail: Nullable(Type.String()),
  /** Absolute path of the object whose DT_NEEDED named it (the binary itself for direct deps). */
  neededBy: Type.String(),
  /** Symlink chain from the first candidate path to `path`, e.g. [`/lib64/ld-linux-x86-64.so.2`, `/lib/x86_64-linux-gnu/ld-linux-x86-64.so.2`]. */
  chain: Type.Array(Type.String()),
  /** Depth in the dependency tree: 1 for the binary's own DT_NEEDED. */
  depth: Type.Integer(),
  /** Why this dependency will not load, when it won't. */
  problem: Nullable(Type.String()),
});
export type ResolvedDependency = Static<typeof ResolvedDependency>;

export const GoInfo = Type.Object({
  /** e.g. `go1.22.0`. */
  version: Type.String(),
  /** The main package path. */
  path: Nullable(Type.String()),
  /** `module@version` of the main module, e.g. `example.com/m@(devel)`. */
  mainModule: Nullable(Type.String()),
  settings: Type.Record(Type.String(), Type.String()),
  deps: Type.Array(
    Type.Object({
      path: Type.String(),
      version: Type.String(),
      sum: Nullable(Type.String()),
      replace: Nullable(Type.Object({ path: Type.String(), version: Type.String(), sum: Nullable(Type.String()) })),
    }),
  ),
  /** Value of CGO_ENABLED in the build settings, null when absent. */
  cgoEnabled: Nullable(Type.Boolean()),
});
export type GoInfo = Static<typeof GoInfo>;

export const Hardening = Type.Object({
  relro: StringEnum('none', 'partial', 'full'),
  canary: Type.Boolean(),
  nx: Type.Boolean(),
  pie: Type.Boolean(),
  /** `yes`: `__*_chk` imports; `no`: none though the libc offers them; `n/a`: static or the libc has no FORTIFY. */
  fortify: StringEnum('yes', 'no', 'n/a'),
  textrel: Type.Boolean(),
  wx: Type.Boolean(),
  stripped: Type.Boolean(),
  rpath: Type.Boolean(),
  runpath: Type.Boolean(),
});
export type Hardening = Static<typeof Hardening>;
// The shapes elf/ and fs/ produce are the ones published: a change to either side fails to compile.
const sameShapes: [Same<Hardening, ElfHardening>, Same<LayerFiles, FsLayerFiles>, Same<LayerChange, FsLayerChange>] = [true, true, true];
void sameShapes;

export const PackageManager = StringEnum('dpkg', 'apk', 'rpm');
export type PackageManager = Static<typeof PackageManager>;

/** Which installed package a file belongs to (an entry of the Report's `packages`). */
export const PackageRef = Type.Object({
  manager: PackageManager,
  name: Type.String(),
  version: Type.String(),
  architecture: Nullable(Type.String()),
});
export type PackageRef = Static<typeof PackageRef>;

export const Package = Type.Object({
  manager: PackageManager,
  name: Type.String(),
  /** As the manager prints it: dpkg `[epoch:]upstream-revision` (dpkg-query ${Version}), apk `1.2.4-r2`, rpm `version-release` (epoch apart). */
  version: Type.String(),
  /** `amd64`, `x86_64`, `noarch`, `all`…; null when the database gives none. */
  architecture: Nullable(Type.String()),
  /** rpm's EPOCH; null for dpkg (whose epoch is part of `version`) and apk. */
  epoch: Nullable(Type.Integer()),
  /**
   * The source package as the database names it: dpkg `Source:`, apk `o:` (origin), rpm
   * SOURCERPM; null when it names none (the package is then its own source). `version` is null
   * when the source version is the package's own.
   */
  source: Nullable(Type.Object({ name: Type.String(), version: Nullable(Type.String()) })),
  /** rpm's SOURCERPM file name, e.g. `openssl-3.0.7-24.el9.src.rpm`. */
  sourceRpm: Nullable(Type.String()),
  /** License as the database records it (apk `L:`, rpm LICENSE); null for dpkg. */
  license: Nullable(Type.String()),
  /** The database file the record came from, e.g. `/var/lib/dpkg/status`. */
  database: Type.String(),
  /** Paths the package lists (files, symlinks and directories). */
  files: Type.Integer(),
  /** Of those, paths missing from the final filesystem (removed by a later layer, or never there). */
  missingFiles: Type.Integer(),
});
export type Package = Static<typeof Package>;

export const PackageDatabase = Type.Object({
  manager: PackageManager,
  /** e.g. `/var/lib/dpkg/status`, `/var/lib/dpkg/status.d`, `/lib/apk/db/installed`, `/var/lib/rpm/rpmdb.sqlite`. */
  path: Type.String(),
  /** `read`; `partial` when some records were malformed; `not-read` for an unsupported format (rpm BerkeleyDB, NDB) or an unreadable file. */
  status: StringEnum('read', 'partial', 'not-read'),
  packages: Type.Integer(),
  diagnostics: Type.Array(Type.String()),
});
export type PackageDatabase = Static<typeof PackageDatabase>;

/** From `/etc/os-release`. */
export const Distro = Type.Object({
  /** `ID`, e.g. `debian`, `alpine`, `rhel`. */
  id: Type.String(),
  /** `VERSION_ID`, e.g. `12`, `3.19.1`; null when absent. */
  versionId: Nullable(Type.String()),
  idLike: Type.Array(Type.String()),
  prettyName: Nullable(Type.String()),
});
export type Distro = Static<typeof Distro>;

export const BinaryStatus = StringEnum('ok', 'will-fail', 'unknown');
export type BinaryStatus = Static<typeof BinaryStatus>;

/**
 * One ELF regular file of the final filesystem, per path: hard links of one file each get a
 * record (policy rules and lookups go by path) and name each other in `hardLinks`; the summary
 * counts the file once.
 */
export const Binary = Type.Object({
  path: Type.String(),
  /** The other paths of this same file (hard links), in byte order; empty when it has one name. */
  hardLinks: Type.Array(Type.String()),
  size: Type.Number(),
  layer: Type.Integer(),
  /** `sha256:<hex>` of the file's content, hashed while the layer streams when asked (`analyze --format cyclonedx`, `diff`); null otherwise. */
  digest: Nullable(Type.String()),
  /** `sha1:<hex>` of the file's content, hashed beside `digest` when an SBOM is asked for (SPDX 2.3 requires a file's SHA-1); null otherwise (`diff` hashes SHA-256 only). */
  sha1: Nullable(Type.String()),
  class: StringEnum('ELF32', 'ELF64'),
  endian: StringEnum('little', 'big'),
  machine: Type.String(),
  osabi: Type.String(),
  type: StringEnum('EXEC', 'DYN', 'REL', 'CORE', 'NONE', 'OTHER'),
  role: ElfRole,
  linkage: Linkage,
  libc: Libc,
  interpreter: Nullable(Type.String()),
  needed: Type.Array(Type.String()),
  soname: Nullable(Type.String()),
  rpath: Type.Array(Type.String()),
  runpath: Type.Array(Type.String()),
  /** GNU version needs: library → versions, e.g. `{ "libc.so.6": ["GLIBC_2.2.5", "GLIBC_2.34"] }`. */
  versionNeeds: Type.Record(Type.String(), Type.Array(Type.String())),
  /** GNU version definitions this object provides (for libraries such as libc.so.6). */
  versionDefs: Type.Array(Type.String()),
  /** Highest GLIBC_x.y this object requires, or null. */
  glibcFloor: Nullable(Type.String()),
  /**
   * Highest GLIBC_x.y[.z] this object defines, or null: set only for glibc's own objects
   * (libc.so.6, ld.so), where it is the glibc version they provide (`GLIBC_2.36` on Debian 12).
   */
  glibcProvided: Nullable(Type.String()),
  /** musl's libc.so (also its loader): the version it embeds, the one it prints as `Version 1.2.3`; null for every other object. */
  muslVersion: Nullable(Type.String()),
  /** The full dependency closure (interpreter first), in load order. Empty for static binaries. */
  resolved: Type.Array(ResolvedDependency),
  vdso: Type.Object({
    /** The kernel maps the vDSO; it is never a file and never missing. */
    uses: Type.Boolean(),
    evidence: Nullable(Type.String()),
  }),
  go: Nullable(GoInfo),
  /** Toolchain hints from `.comment` (e.g. `GCC: (Debian 12.2.0-14) 12.2.0`, `rustc version 1.75.0`). */
  toolchain: Type.Array(Type.String()),
  buildId: Nullable(Type.String()),
  /** The installed package that owns this file (dpkg, apk or rpm database), or null. */
  package: Nullable(PackageRef),
  hardening: Hardening,
  /**
   * Why no loader will ever load this file in this image, or null: built for another OS ABI
   * (FreeBSD…), or another machine, or an executable without an execute bit that no object
   * loads. Load rules (no-missing-deps, linking, rpath, hardening) skip it, its problems become
   * one `never-loaded` info finding, and the summary counts it apart, never as failing.
   */
  neverLoaded: Nullable(Type.String()),
  /** Whether this binary can start (executables) or load (libraries) in this image. */
  status: BinaryStatus,
  /** Why it will fail, one line each. */
  problems: Type.Array(Type.String()),
  /** Parse problems: corrupt or truncated headers, tables out of bounds. */
  diagnostics: Type.Array(Type.String()),
});
export type Binary = Static<typeof Binary>;

export const Entrypoint = Type.Object({
  /** Entrypoint + Cmd as the runtime combines them. */
  argv: Type.Array(Type.String()),
  /** The program argv[0] resolves to (PATH and WorkingDir applied), before symlinks. */
  path: Nullable(Type.String()),
  /** The ELF file that will actually run (after symlinks, shebang interpreters, shells). */
  binary: Nullable(Type.String()),
  /** Shell form (`/bin/sh -c …`): the first word of the command, resolved. */
  command: Nullable(Type.String()),
  /** Shebang interpreter chain, e.g. [`/usr/bin/env`, `/usr/bin/python3`]. */
  interpreters: Type.Array(Type.String()),
  /** Multi-call binary applet name (busybox), when argv[0] names an applet. */
  applet: Nullable(Type.String()),
  startable: Type.Boolean(),
  /** The steps taken and, when it cannot start, why. */
  reasons: Type.Array(Type.String()),
});
export type Entrypoint = Static<typeof Entrypoint>;

export const SlimTotals = Type.Object({
  size: Type.Number(),
  compressedSize: Type.Number(),
  /**
   * Files: entries that are not directories (regular files, hard links, symlinks, devices,
   * FIFOs). The one definition of "file" in slim's summary, its text and its audit.
   */
  files: Type.Integer(),
  layers: Type.Integer(),
  binaries: Type.Integer(),
});
export type SlimTotals = Static<typeof SlimTotals>;

/**
 * What slim kept and dropped, counted in files (entries that are not directories, see
 * SlimTotals.files): `kept` lists every file of the output (`kept.length === after.files`),
 * `created` of them are new (written by slim, not in the source), and
 * `before.files === kept.length - created + dropped.count`. The audit's `totals.files` counts
 * the same way.
 */
export const SlimSummary = Type.Object({
  before: SlimTotals,
  after: SlimTotals,
  kept: Type.Array(Type.Object({ path: Type.String(), size: Type.Number(), reasons: Type.Array(Type.String()) })),
  /** Files of the output the source did not have (written by slim); they are in `kept`. */
  created: Type.Integer(),
  dropped: Type.Object({
    /** Files of the source not in the output. */
    count: Type.Integer(),
    size: Type.Number(),
    largest: Type.Array(Type.Object({ path: Type.String(), size: Type.Number() })),
  }),
  risks: Type.Array(Type.Object({ path: Nullable(Type.String()), message: Type.String() })),
  /**
   * Whether `after.compressedSize` is an estimate rather than the size of written blobs: a
   * --dry-run compresses nothing and scales the uncompressed size by the source's ratio.
   */
  compressedSizeEstimated: Type.Boolean(),
  /** Where the slimmed image was written, null for --dry-run. */
  output: Nullable(
    Type.Object({ path: Type.String(), format: SourceFormat, manifestDigest: Type.String(), configDigest: Type.String() }),
  ),
});
export type SlimSummary = Static<typeof SlimSummary>;

/** What the entrypoint needs and what the image provides: the one-line verdict at the top of every view. */
export const EntrypointVerdict = Type.Object({
  /** The ELF file that runs (after symlinks, shebangs, shells), else the program argv[0] resolves to, else argv[0]. */
  program: Type.String(),
  /** null when the program is not an ELF file of the image. */
  linkage: Nullable(Linkage),
  /** The libc family the program is built against (`none` for a static program without one). */
  libc: Nullable(Libc),
  /** Highest `GLIBC_x.y` (as `x.y`) any object of the program's closure requires, glibc's own objects excepted; null when none. */
  glibcRequired: Nullable(Type.String()),
  /** The object whose requirement that is. */
  glibcRequiredBy: Nullable(Type.String()),
  /**
   * The libc the image provides: the one the closure loads, else the image's. glibc's version is
   * the highest `GLIBC_x.y` libc.so.6 defines (its ABI level, which is the release for every
   * glibc that added symbols); musl's is its package's version when a database owns the file,
   * else the version string its libc.so embeds.
   */
  libcProvided: Nullable(
    Type.Object({
      family: StringEnum('glibc', 'musl'),
      path: Type.String(),
      version: Nullable(Type.String()),
      /**
       * Where `version` was read: `verdef` (libc.so.6's version definitions), `package` (the owning
       * package's version) or `embedded` (the version string musl's libc.so carries and prints).
       */
      versionFrom: Nullable(StringEnum('verdef', 'package', 'embedded')),
    }),
  ),
  /** Go toolchain and CGO_ENABLED (null when the build info does not record it), for Go programs. */
  go: Nullable(Type.Object({ version: Type.String(), cgoEnabled: Nullable(Type.Boolean()) })),
  canStart: Type.Boolean(),
  /** What was checked to decide `canStart`, one short clause each. */
  checked: Type.Array(Type.String()),
  /** When it cannot start: the entrypoint's reasons (the steps taken, then why); empty when it can. */
  problems: Type.Array(Type.String()),
});
export type EntrypointVerdict = Static<typeof EntrypointVerdict>;

export const FindingGroup = Type.Object({
  id: Type.String(),
  /** The worst severity among the group's findings. */
  severity: Severity,
  count: Type.Integer(),
  /** Up to three, worst first: those of the worst severity, the entrypoint's closure first, then by path. */
  examples: Type.Array(Type.Object({ path: Nullable(Type.String()), message: Type.String() })),
});
export type FindingGroup = Static<typeof FindingGroup>;

/**
 * The summary every view shows first (text, terminal UI, JSON), derived from the rest of the
 * Report by one pure function so that every view tells the same thing in the same order.
 */
export const ReportSummary = Type.Object({
  entrypoint: Nullable(EntrypointVerdict),
  /** Binaries are counted as files: hard links of one file count once (`paths` counts every name). */
  counts: Type.Object({
    binaries: Type.Integer(),
    /** Paths of ELF files: `binaries[].length`, hard links included. */
    paths: Type.Integer(),
    executables: Type.Integer(),
    libraries: Type.Integer(),
    /** Binaries with status `will-fail` that can be loaded at all (not `neverLoaded`). */
    failing: Type.Integer(),
    /** Binaries no loader will ever load here (`neverLoaded`): another OS ABI or machine, or not executable. */
    neverLoaded: Type.Integer(),
    /** Binaries with status `unknown`. */
    unknown: Type.Integer(),
    linkage: Type.Object({ static: Type.Integer(), 'static-pie': Type.Integer(), dynamic: Type.Integer() }),
    libc: Type.Object({ glibc: Type.Integer(), musl: Type.Integer(), none: Type.Integer(), other: Type.Integer() }),
    findings: Type.Object({ error: Type.Integer(), warning: Type.Integer(), info: Type.Integer() }),
  }),
  /** One group per finding id: errors, then warnings, then info; larger groups first; then by id. */
  findingGroups: Type.Array(FindingGroup),
  /**
   * `binaries[].path` in display order: the entrypoint's program and its closure in load order
   * (pinned), then failing, unknown, ok; executables before libraries; then by path.
   */
  binaryOrder: Type.Array(Type.String()),
});
export type ReportSummary = Static<typeof ReportSummary>;

export const Report = Type.Object(
  {
    schemaVersion: Type.Literal(SCHEMA_VERSION),
    tool: Type.Object({ name: Type.Literal('imgslim'), version: Type.String() }),
    source: Source,
    config: ImageConfigSummary,
    layers: Type.Array(Layer),
    filesystem: Filesystem,
    efficiency: Efficiency,
    binaries: Type.Array(Binary),
    entrypoint: Nullable(Entrypoint),
    findings: Type.Array(Finding),
    /** The distribution named by `/etc/os-release`, or null. */
    distro: Nullable(Distro),
    /** Installed packages from every package database found, in database order. */
    packages: Type.Array(Package),
    /** Each package database found, read or not, with its diagnostics. */
    packageDatabases: Type.Array(PackageDatabase),
    /** Entrypoint verdict, counts, grouped findings and binary order (schema 1.4.0). */
    summary: ReportSummary,
    slim: Type.Optional(SlimSummary),
  },
  { $id: 'https://imgslim.dev/schema/report.json', title: 'imgslim report' },
);
export type Report = Static<typeof Report>;

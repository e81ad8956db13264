/**
 * TypeBox schemas of the JSON an image is made of: OCI image index and manifest (and their Docker
 * manifest-list / schema-2 twins), descriptors, image config, the `oci-layout` file and the
 * `manifest.json` of `docker save`. They state what imgslim relies on, as Docker's Go types
 * decode it: unknown fields are tolerated, `null` is accepted wherever Go would decode it as "not
 * set", and a known field of the wrong type is an error. `Entrypoint`/`Cmd` may be one string
 * (Docker's strslice). Semantic checks (schema 1, diff_id counts) stay in `../parse.ts`.
 *
 * This module is never loaded at run time: `scripts/compile-schemas.mjs` turns it into the
 * standalone validators and plain JSON Schemas of `_compiled.ts` (see docs/decisions.md).
 * `expected` is our own keyword: the words error messages use for what a value should be.
 */
import { Type, type TSchema } from '@sinclair/typebox';

/** Any key: TypeBox's default record key pattern `^(.*)$` skips keys holding a newline. */
const AnyKey = Type.String({ pattern: '^[\\s\\S]*$' });

const nullable = <T extends TSchema>(schema: T) => Type.Optional(Type.Union([schema, Type.Null()], { expected: schema.expected }));

const Str = Type.String({ expected: 'a string' });
const StringList = Type.Array(Str, { expected: 'an array of strings' });
const StringMap = Type.Record(AnyKey, Str, { expected: 'an object of strings' });
const Int = Type.Integer({ expected: 'an integer' });
const Bool = Type.Boolean({ expected: 'true or false' });
const EmptyObjectMap = Type.Record(AnyKey, Type.Union([Type.Object({}), Type.Null()], { expected: 'an object' }), { expected: 'an object of objects' });

export const Digest = Type.String({
  pattern: '^(?:sha256:[0-9a-f]{64}|sha512:[0-9a-f]{128})$',
  expected: 'a digest (sha256:<64 hex> or sha512:<128 hex>)',
});

const Size = Type.Integer({ minimum: 0, maximum: Number.MAX_SAFE_INTEGER, expected: 'a non-negative integer' });

export const Platform = Type.Object(
  {
    architecture: Str,
    os: Str,
    variant: nullable(Str),
    'os.version': nullable(Str),
    'os.features': nullable(StringList),
    features: nullable(StringList),
  },
  { expected: 'an object' },
);

export const Descriptor = Type.Object(
  {
    mediaType: nullable(Str),
    digest: Digest,
    size: Size,
    urls: nullable(StringList),
    annotations: nullable(StringMap),
    platform: nullable(Platform),
    artifactType: nullable(Str),
    data: nullable(Str),
  },
  { expected: 'a descriptor object' },
);

const SchemaVersion = Type.Literal(2, { expected: '2' });

export const ImageIndex = Type.Object(
  {
    schemaVersion: SchemaVersion,
    mediaType: nullable(Str),
    artifactType: nullable(Str),
    manifests: nullable(Type.Array(Descriptor, { expected: 'an array of descriptors' })),
    subject: nullable(Descriptor),
    annotations: nullable(StringMap),
  },
  { expected: 'an object' },
);

export const ImageManifest = Type.Object(
  {
    schemaVersion: SchemaVersion,
    mediaType: nullable(Str),
    artifactType: nullable(Str),
    config: Descriptor,
    layers: nullable(Type.Array(Descriptor, { expected: 'an array of descriptors' })),
    subject: nullable(Descriptor),
    annotations: nullable(StringMap),
  },
  { expected: 'an object' },
);

const Command = Type.Union([StringList, Str], { expected: 'an array of strings' });

const Healthcheck = Type.Object(
  {
    Test: nullable(StringList),
    Interval: nullable(Int),
    Timeout: nullable(Int),
    StartPeriod: nullable(Int),
    StartInterval: nullable(Int),
    Retries: nullable(Int),
  },
  { expected: 'an object' },
);

export const ContainerConfig = Type.Object(
  {
    User: nullable(Str),
    ExposedPorts: nullable(EmptyObjectMap),
    Env: nullable(StringList),
    Entrypoint: nullable(Command),
    Cmd: nullable(Command),
    Volumes: nullable(EmptyObjectMap),
    WorkingDir: nullable(Str),
    Labels: nullable(StringMap),
    StopSignal: nullable(Str),
    StopTimeout: nullable(Int),
    ArgsEscaped: nullable(Bool),
    Healthcheck: nullable(Healthcheck),
    OnBuild: nullable(StringList),
    Shell: nullable(StringList),
  },
  { expected: 'an object' },
);

export const HistoryEntry = Type.Object(
  {
    created: nullable(Str),
    created_by: nullable(Str),
    author: nullable(Str),
    comment: nullable(Str),
    empty_layer: nullable(Bool),
  },
  { expected: 'an object' },
);

export const ImageConfig = Type.Object(
  {
    architecture: Str,
    os: Str,
    variant: nullable(Str),
    'os.version': nullable(Str),
    'os.features': nullable(StringList),
    created: nullable(Str),
    author: nullable(Str),
    config: nullable(ContainerConfig),
    rootfs: Type.Object(
      { type: nullable(Str), diff_ids: Type.Array(Digest, { expected: 'an array of digests' }) },
      { expected: 'an object with diff_ids' },
    ),
    history: nullable(Type.Array(Type.Union([HistoryEntry, Type.Null()], { expected: 'an object' }), { expected: 'an array' })),
  },
  { expected: 'an object' },
);

export const OciLayoutFile = Type.Object({ imageLayoutVersion: Type.String({ expected: 'a version string' }) }, { expected: 'an object' });

export const DockerSaveManifest = Type.Array(
  Type.Object(
    {
      Config: Type.String({ minLength: 1, expected: 'a non-empty string' }),
      RepoTags: nullable(StringList),
      Layers: nullable(StringList),
      Parent: nullable(Str),
    },
    { expected: 'an object' },
  ),
  { expected: 'an array of images' },
);

/** Every schema the generator compiles, by the name `validate()` takes. */
export const IMAGE_SCHEMAS = {
  descriptor: Descriptor,
  index: ImageIndex,
  manifest: ImageManifest,
  config: ImageConfig,
  ociLayout: OciLayoutFile,
  dockerSave: DockerSaveManifest,
} as const;

export type ImageSchemaName = keyof typeof IMAGE_SCHEMAS;

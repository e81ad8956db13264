/**
 * OCI / Docker image model. `digest` is always the digest of stored bytes (for a layer,
 * the compressed blob); `diffId` is the digest of the uncompressed layer tar.
 */
import type { VerifiedFileRange } from '../shared/file-range.js';

/** How an image was stored where imgslim read it. */
export const SOURCE_FORMATS = ['docker-archive', 'oci-layout', 'oci-archive', 'registry'] as const;
export type SourceFormat = (typeof SOURCE_FORMATS)[number];

export interface Platform {
  os: string;
  architecture: string;
  variant?: string;
  'os.version'?: string;
  'os.features'?: string[];
  features?: string[];
}

export interface Descriptor {
  mediaType: string;
  digest: string;
  size: number;
  annotations?: Record<string, string>;
  platform?: Platform;
  urls?: string[];
  artifactType?: string;
  data?: string;
}

export interface ImageManifest {
  schemaVersion: number;
  mediaType?: string;
  artifactType?: string;
  config: Descriptor;
  layers: Descriptor[];
  subject?: Descriptor;
  annotations?: Record<string, string>;
}

export interface ImageIndex {
  schemaVersion: number;
  mediaType?: string;
  artifactType?: string;
  manifests: Descriptor[];
  subject?: Descriptor;
  annotations?: Record<string, string>;
}

/** The container config as validated by `./schema` and normalised by `./parse` (no nulls, commands as arrays). */
export interface ContainerConfig {
  User?: string;
  ExposedPorts?: Record<string, object | null>;
  Env?: string[];
  Entrypoint?: string[];
  Cmd?: string[];
  Volumes?: Record<string, object | null>;
  WorkingDir?: string;
  Labels?: Record<string, string>;
  StopSignal?: string;
  StopTimeout?: number;
  ArgsEscaped?: boolean;
  Healthcheck?: { Test?: string[] | null; Interval?: number | null; Timeout?: number | null; StartPeriod?: number | null; Retries?: number | null };
  OnBuild?: string[];
  Shell?: string[];
  [key: string]: unknown;
}

export interface HistoryEntry {
  created?: string;
  created_by?: string;
  author?: string;
  comment?: string;
  empty_layer?: boolean;
}

export interface ImageConfig {
  architecture: string;
  os: string;
  variant?: string;
  'os.version'?: string;
  'os.features'?: string[];
  created?: string;
  author?: string;
  config?: ContainerConfig;
  rootfs: { type: string; diff_ids: string[] };
  history?: HistoryEntry[];
  [key: string]: unknown;
}

/** A layer of the selected image: its descriptor, its diffId, and a way to stream its stored bytes. */
export interface LayerBlob {
  index: number;
  /** Descriptor as the manifest gives it (legacy docker-save: digest/size of the stored layer.tar). */
  descriptor: Descriptor;
  /** The config's rootfs.diff_ids[index]. */
  diffId: string;
  /**
   * Streams the stored (possibly compressed) bytes. The stream verifies size and digest
   * against the descriptor as it goes and throws IntegrityError at the end on mismatch.
   * A yielded chunk belongs to the consumer: the source never writes to it again (the layer
   * scan moves chunks that own their whole ArrayBuffer to a worker thread).
   */
  open(): AsyncIterable<Uint8Array>;
  /**
   * Where the same stored bytes lie in a local file, when they do: a worker thread reads them
   * from there itself and checks size and digest as open() would (archive/worker-pool.ts).
   */
  file?: VerifiedFileRange;
  /**
   * The same stored bytes as open() yields, not verified, for a consumer that checks size and
   * digest against the descriptor itself (a worker thread: archive/worker-pool.ts), when they
   * come from elsewhere than a local file (a registry). `label` names them in errors, as open()'s do.
   * Each chunk is valid only until the next is asked for (the pool copies it into its ring first).
   */
  unverified?: { open(): AsyncIterable<Uint8Array>; label: string };
}

export interface ResolvedImage {
  format: SourceFormat;
  /** The path the user gave (`-` for stdin). */
  path: string;
  manifest: ImageManifest;
  manifestBytes: Uint8Array;
  manifestDigest: string;
  manifestMediaType: string;
  config: ImageConfig;
  configBytes: Uint8Array;
  configDigest: string;
  platform: Platform;
  /** The tag / ref.name the image was selected by, if any. */
  reference: string | null;
  /** Every tag / ref.name the selected image is known by. */
  tags: string[];
  layers: LayerBlob[];
  /** Releases file handles and removes any spool file. */
  close(): Promise<void>;
}

export interface OpenImageOptions {
  /** `name:tag`, `@N` (index in a docker-save manifest.json or OCI index) or an OCI ref.name. */
  selector?: string;
  /** `os/arch[/variant]`; default linux/amd64 when present, else the only platform. */
  platform?: string;
  /** Readable for `-`. Defaults to process.stdin. */
  stdin?: NodeJS.ReadableStream;
  /** How to reach a registry for `docker://` references. */
  registry?: RegistryAccess;
}

/** Credentials, TLS and retries for registry access (see src/sources/registry). */
export interface RegistryAccess {
  /** --creds USER[:PASS]; otherwise auth files and credential helpers are consulted. */
  creds?: string;
  /** --cert-dir DIR: `*.crt` CAs, `*.cert` + `*.key` client certificate (as skopeo). */
  certDir?: string;
  /** --tls-verify=false: certificates are not verified and plain HTTP is allowed. */
  tlsVerify?: boolean;
  /** Environment for REGISTRY_AUTH_FILE, XDG_RUNTIME_DIR, DOCKER_CONFIG (default process.env). */
  env?: NodeJS.ProcessEnv;
  /** Home directory holding .docker/config.json (default the user's). */
  home?: string;
  /** Tries and back-off for resets, 429 and 5xx. */
  retry?: { attempts: number; baseDelayMs: number; maxDelayMs: number; maxRetryAfterMs: number };
}

/**
 * Parsing of index, manifest, descriptor and config JSON into the typed model. The JSON is
 * validated once, here, against the schemas of `./schema` (one-line InputError naming the object
 * `label` and the field at fault), then normalised the way Docker's Go types decode it: `null`
 * means "not set" and is dropped, a one-string `Entrypoint`/`Cmd` becomes an array. Unknown
 * fields are kept (they are part of the bytes the digests cover); code above relies on the types.
 */
import { InputError } from '../shared/errors.js';
import { parseBoundedJson } from '../shared/json.js';
import { isDockerManifestV1 } from './media-types.js';
import { checkImageSchema } from './schema/index.js';
import type { ContainerConfig, Descriptor, HistoryEntry, ImageConfig, ImageIndex, ImageManifest, Platform } from './types.js';

type Json = Record<string, unknown>;

const decoder = new TextDecoder('utf-8', { fatal: true });

/** Parses JSON bytes (UTF-8, optional BOM, nesting bounded) or throws InputError naming `label`. */
export function parseJson(bytes: Uint8Array, label: string): unknown {
  let text: string;
  try {
    text = decoder.decode(bytes);
  } catch {
    throw new InputError(`${label}: not valid UTF-8 JSON`, { code: 'E_JSON' });
  }
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  return parseBoundedJson(text, label);
}

export function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Drops the members that are null (Go decodes them as "not set"). */
function dropNulls<T extends object>(object: T, keys: readonly string[]): T {
  const record = object as Json;
  for (const key of keys) if (record[key] === null) delete record[key];
  return object;
}

function normalizePlatform(platform: Platform): Platform {
  return dropNulls(platform, ['variant', 'os.version', 'os.features', 'features']);
}

function normalizeDescriptor(descriptor: Descriptor): Descriptor {
  const raw = descriptor as unknown as Json;
  if (raw.mediaType === null || raw.mediaType === undefined) descriptor.mediaType = '';
  dropNulls(descriptor, ['urls', 'annotations', 'platform', 'artifactType', 'data']);
  if (descriptor.platform) normalizePlatform(descriptor.platform);
  return descriptor;
}

/** Validates one descriptor (`what` names it in messages, e.g. `manifests[2]`). */
export function parseDescriptor(value: unknown, label: string, what: string): Descriptor {
  checkImageSchema('descriptor', value, `${label}: ${what}`);
  return normalizeDescriptor(value as Descriptor);
}

function checkSchemaVersion(value: unknown, label: string): void {
  if (isObject(value) && (value.schemaVersion === 1 || (typeof value.mediaType === 'string' && isDockerManifestV1(value.mediaType)))) {
    throw new InputError(`${label}: Docker image manifest schema 1 is not supported (re-push or re-save the image with a current Docker)`, {
      code: 'E_UNSUPPORTED',
    });
  }
}

/** An OCI index or Docker manifest list. `manifests: null` (Docker 25 `docker save`) reads as []. */
export function parseIndex(value: unknown, label: string): ImageIndex {
  checkSchemaVersion(value, label);
  checkImageSchema('index', value, label);
  const index = dropNulls(value as ImageIndex, ['mediaType', 'artifactType', 'subject', 'annotations']);
  index.manifests = (index.manifests ?? []).map(normalizeDescriptor);
  if (index.subject) normalizeDescriptor(index.subject);
  return index;
}

/** An OCI image manifest or Docker v2 schema 2 manifest. */
export function parseManifest(value: unknown, label: string): ImageManifest {
  checkSchemaVersion(value, label);
  if (isObject(value) && value.config === undefined && Array.isArray(value.manifests)) {
    throw new InputError(`${label}: is an index (it lists manifests), not an image manifest`, { code: 'E_MANIFEST' });
  }
  checkImageSchema('manifest', value, label);
  const manifest = dropNulls(value as ImageManifest, ['mediaType', 'artifactType', 'subject', 'annotations']);
  normalizeDescriptor(manifest.config);
  manifest.layers = (manifest.layers ?? []).map(normalizeDescriptor);
  if (manifest.subject) normalizeDescriptor(manifest.subject);
  return manifest;
}

const CONTAINER_FIELDS = ['User', 'ExposedPorts', 'Env', 'Entrypoint', 'Cmd', 'Volumes', 'WorkingDir', 'Labels', 'StopSignal', 'StopTimeout', 'ArgsEscaped', 'Healthcheck', 'OnBuild', 'Shell'];
const HISTORY_FIELDS = ['created', 'created_by', 'author', 'comment', 'empty_layer'];

function normalizeContainerConfig(config: ContainerConfig): ContainerConfig {
  dropNulls(config, CONTAINER_FIELDS);
  // Docker's strslice: one string is a one-element list.
  if (typeof config.Entrypoint === 'string') config.Entrypoint = [config.Entrypoint];
  if (typeof config.Cmd === 'string') config.Cmd = [config.Cmd];
  return config;
}

/**
 * An image config. Requires `architecture`, `os` and `rootfs.diff_ids` (valid digests);
 * `layerCount`, when given, must equal the number of diff_ids.
 */
export function parseImageConfig(value: unknown, label: string, layerCount?: number): ImageConfig {
  if (isObject(value) && !(isObject(value.rootfs) && Array.isArray(value.rootfs.diff_ids))) {
    throw new InputError(`${label}: has no rootfs.diff_ids, so it does not describe a container image`, { code: 'E_CONFIG' });
  }
  checkImageSchema('config', value, label);
  const config = dropNulls(value as ImageConfig, ['variant', 'os.version', 'os.features', 'created', 'author', 'config', 'history']);
  if (config.config) normalizeContainerConfig(config.config);
  if (config.history) config.history = config.history.map((entry: HistoryEntry | null) => (entry === null ? {} : dropNulls(entry, HISTORY_FIELDS)));
  if (layerCount !== undefined && config.rootfs.diff_ids.length !== layerCount) {
    throw new InputError(
      `${label}: rootfs.diff_ids lists ${config.rootfs.diff_ids.length} layer(s) but the manifest has ${layerCount}; the config does not describe this image`,
      { code: 'E_DIFFIDS' },
    );
  }
  return config;
}

/** The `oci-layout` file: `imageLayoutVersion` must be 1.x. */
export function parseOciLayoutFile(value: unknown, label: string): { imageLayoutVersion: string } {
  checkImageSchema('ociLayout', value, label);
  const layout = value as { imageLayoutVersion: string };
  if (!/^1(\.|$)/.test(layout.imageLayoutVersion)) {
    throw new InputError(`${label}: unsupported imageLayoutVersion "${layout.imageLayoutVersion}" (imgslim reads 1.x)`, { code: 'E_LAYOUT' });
  }
  return layout;
}

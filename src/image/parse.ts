/**
 * Parsing of index, manifest, descriptor and config JSON into the typed model, with one-line
 * InputError messages naming the object (`label`) and the field at fault. Unknown fields are
 * kept (they are part of the bytes the digests cover); required ones are checked.
 */
import { InputError } from '../shared/errors.js';
import { parseDigest } from './digest.js';
import { isDockerManifestV1 } from './media-types.js';
import type { Descriptor, ImageConfig, ImageIndex, ImageManifest, Platform } from './types.js';

type Json = Record<string, unknown>;

const decoder = new TextDecoder('utf-8', { fatal: true });

/** Parses JSON bytes (UTF-8, optional BOM) or throws InputError naming `label`. */
export function parseJson(bytes: Uint8Array, label: string): unknown {
  let text: string;
  try {
    text = decoder.decode(bytes);
  } catch {
    throw new InputError(`${label}: not valid UTF-8 JSON`, { code: 'E_JSON' });
  }
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  try {
    return JSON.parse(text);
  } catch (error) {
    const reason = error instanceof Error ? error.message.split('\n')[0] : String(error);
    throw new InputError(`${label}: invalid JSON (${reason})`, { code: 'E_JSON', cause: error });
  }
}

export function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function fail(label: string, message: string): never {
  throw new InputError(`${label}: ${message}`, { code: 'E_MANIFEST' });
}

function expectObject(value: unknown, label: string, what: string): Json {
  if (!isObject(value)) fail(label, `${what} is ${describe(value)}, expected an object`);
  return value;
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return typeof value === 'object' ? 'an object' : `${typeof value} ${JSON.stringify(value)}`;
}

function optionalStringMap(value: unknown, label: string, what: string): Record<string, string> | undefined {
  if (value === undefined || value === null) return undefined;
  const map = expectObject(value, label, what);
  for (const [key, entry] of Object.entries(map)) {
    if (typeof entry !== 'string') fail(label, `${what}["${key}"] is ${describe(entry)}, expected a string`);
  }
  return map as Record<string, string>;
}

function parsePlatformField(value: unknown, label: string, what: string): Platform | undefined {
  if (value === undefined || value === null) return undefined;
  const platform = expectObject(value, label, what);
  if (typeof platform.os !== 'string' || typeof platform.architecture !== 'string') {
    fail(label, `${what} needs string "os" and "architecture"`);
  }
  return platform as unknown as Platform;
}

/** Validates one descriptor (`what` names it in messages, e.g. `manifests[2]`). */
export function parseDescriptor(value: unknown, label: string, what: string): Descriptor {
  const object = expectObject(value, label, what);
  const mediaType = object.mediaType ?? '';
  if (typeof mediaType !== 'string') fail(label, `${what}.mediaType is ${describe(mediaType)}, expected a string`);
  parseDigest(object.digest, `${label}: ${what}`);
  const size = object.size;
  if (typeof size !== 'number' || !Number.isSafeInteger(size) || size < 0) {
    fail(label, `${what}.size is ${describe(size)}, expected a non-negative integer`);
  }
  const descriptor: Descriptor = { ...object, mediaType, digest: object.digest as string, size };
  const annotations = optionalStringMap(object.annotations, label, `${what}.annotations`);
  if (annotations) descriptor.annotations = annotations;
  else delete descriptor.annotations;
  const platform = parsePlatformField(object.platform, label, `${what}.platform`);
  if (platform) descriptor.platform = platform;
  else delete descriptor.platform;
  if (object.urls !== undefined && !(Array.isArray(object.urls) && object.urls.every((url) => typeof url === 'string'))) {
    fail(label, `${what}.urls must be an array of strings`);
  }
  return descriptor;
}

function checkSchemaVersion(object: Json, label: string): void {
  if (object.schemaVersion === 1 || isDockerManifestV1(object.mediaType as string | undefined)) {
    throw new InputError(`${label}: Docker image manifest schema 1 is not supported (re-push or re-save the image with a current Docker)`, {
      code: 'E_UNSUPPORTED',
    });
  }
  if (object.schemaVersion !== 2) fail(label, `schemaVersion is ${describe(object.schemaVersion)}, expected 2`);
}

/** An OCI index or Docker manifest list. `manifests: null` (Docker 25 `docker save`) reads as []. */
export function parseIndex(value: unknown, label: string): ImageIndex {
  const object = expectObject(value, label, 'the index');
  checkSchemaVersion(object, label);
  if (object.mediaType !== undefined && typeof object.mediaType !== 'string') fail(label, 'mediaType must be a string');
  const list = object.manifests ?? [];
  if (!Array.isArray(list)) fail(label, `manifests is ${describe(list)}, expected an array`);
  const manifests = list.map((entry, index) => parseDescriptor(entry, label, `manifests[${index}]`));
  const annotations = optionalStringMap(object.annotations, label, 'annotations');
  return { ...object, schemaVersion: 2, manifests, ...(annotations ? { annotations } : {}) } as ImageIndex;
}

/** An OCI image manifest or Docker v2 schema 2 manifest. */
export function parseManifest(value: unknown, label: string): ImageManifest {
  const object = expectObject(value, label, 'the manifest');
  checkSchemaVersion(object, label);
  if (object.mediaType !== undefined && typeof object.mediaType !== 'string') fail(label, 'mediaType must be a string');
  if (object.config === undefined && Array.isArray(object.manifests)) fail(label, 'is an index (it lists manifests), not an image manifest');
  const config = parseDescriptor(object.config, label, 'config');
  const list = object.layers ?? [];
  if (!Array.isArray(list)) fail(label, `layers is ${describe(list)}, expected an array`);
  const layers = list.map((entry, index) => parseDescriptor(entry, label, `layers[${index}]`));
  const annotations = optionalStringMap(object.annotations, label, 'annotations');
  return { ...object, schemaVersion: 2, config, layers, ...(annotations ? { annotations } : {}) } as ImageManifest;
}

/**
 * An image config. Requires `architecture`, `os` and `rootfs.diff_ids` (valid digests);
 * `layerCount`, when given, must equal the number of diff_ids.
 */
export function parseImageConfig(value: unknown, label: string, layerCount?: number): ImageConfig {
  const object = expectObject(value, label, 'the config');
  const rootfs = object.rootfs;
  if (!isObject(rootfs) || !Array.isArray(rootfs.diff_ids)) {
    throw new InputError(`${label}: has no rootfs.diff_ids, so it does not describe a container image`, { code: 'E_CONFIG' });
  }
  rootfs.diff_ids.forEach((diffId, index) => parseDigest(diffId, `${label}: rootfs.diff_ids[${index}]`));
  for (const field of ['architecture', 'os'] as const) {
    if (typeof object[field] !== 'string') throw new InputError(`${label}: "${field}" is ${describe(object[field])}, expected a string`, { code: 'E_CONFIG' });
  }
  if (object.variant !== undefined && typeof object.variant !== 'string') {
    throw new InputError(`${label}: "variant" must be a string`, { code: 'E_CONFIG' });
  }
  if (object.config !== undefined && object.config !== null && !isObject(object.config)) {
    throw new InputError(`${label}: "config" must be an object`, { code: 'E_CONFIG' });
  }
  if (object.history !== undefined && object.history !== null && !Array.isArray(object.history)) {
    throw new InputError(`${label}: "history" must be an array`, { code: 'E_CONFIG' });
  }
  if (layerCount !== undefined && rootfs.diff_ids.length !== layerCount) {
    throw new InputError(
      `${label}: rootfs.diff_ids lists ${rootfs.diff_ids.length} layer(s) but the manifest has ${layerCount}; the config does not describe this image`,
      { code: 'E_DIFFIDS' },
    );
  }
  return object as ImageConfig;
}

/**
 * `manifest.json` of a `docker save` archive: one entry per image with its config member,
 * tags and layer members. Selection by `name:tag` (normalised: `busybox` ≡
 * `docker.io/library/busybox:latest`) or by position `@N`.
 */
import { isObject, normalizeReference } from '../../image/index.js';
import { InputError, UsageError } from '../../shared/errors.js';

export interface DockerSaveEntry {
  Config: string;
  RepoTags: string[];
  Layers: string[];
  /** Present in Docker and go-containerregistry saves; describes source blobs, not the stored bytes. */
  LayerSources?: Record<string, unknown>;
  Parent?: string;
}

const INDEX_SELECTOR = /^@(\d+)$/;

function stringArray(value: unknown, label: string, what: string): string[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value) || !value.every((item) => typeof item === 'string')) {
    throw new InputError(`${label}: ${what} must be an array of strings`, { code: 'E_MANIFEST' });
  }
  return value;
}

export function parseDockerManifest(json: unknown, label: string): DockerSaveEntry[] {
  if (json === null) throw new InputError(`${label} is null: the archive holds no image`, { code: 'E_NO_IMAGES' });
  if (!Array.isArray(json)) throw new InputError(`${label} must be an array of images`, { code: 'E_MANIFEST' });
  if (json.length === 0) throw new InputError(`${label} lists no images`, { code: 'E_NO_IMAGES' });
  return json.map((item, position) => {
    const what = `[${position}]`;
    if (!isObject(item)) throw new InputError(`${label}: entry ${what} is not an object`, { code: 'E_MANIFEST' });
    if (typeof item.Config !== 'string' || item.Config === '') {
      throw new InputError(`${label}: entry ${what} has no Config`, { code: 'E_MANIFEST' });
    }
    const entry: DockerSaveEntry = {
      Config: item.Config,
      RepoTags: stringArray(item.RepoTags, label, `${what}.RepoTags`),
      Layers: stringArray(item.Layers, label, `${what}.Layers`),
    };
    if (isObject(item.LayerSources)) entry.LayerSources = item.LayerSources;
    if (typeof item.Parent === 'string') entry.Parent = item.Parent;
    return entry;
  });
}

function listChoices(entries: DockerSaveEntry[]): string {
  return entries
    .map((entry, position) => (entry.RepoTags.length > 0 ? `@${position} (${entry.RepoTags.join(', ')})` : `@${position} (untagged)`))
    .join(', ');
}

export interface DockerSelection {
  entry: DockerSaveEntry;
  position: number;
  /** The RepoTag that matched the selector, as stored. */
  reference: string | null;
}

export function selectDockerEntry(entries: DockerSaveEntry[], selector: string | undefined, where: string): DockerSelection {
  if (selector === undefined || selector === '') {
    if (entries.length === 1) return { entry: entries[0]!, position: 0, reference: null };
    throw new UsageError(`${where} holds ${entries.length} images; choose one with --image: ${listChoices(entries)}`, { code: 'E_AMBIGUOUS' });
  }
  const byIndex = INDEX_SELECTOR.exec(selector);
  if (byIndex) {
    const position = Number(byIndex[1]);
    const entry = entries[position];
    if (!entry) {
      throw new UsageError(`${where}: ${selector} is out of range: manifest.json lists ${entries.length} image(s): ${listChoices(entries)}`, {
        code: 'E_SELECTOR',
      });
    }
    return { entry, position, reference: null };
  }
  const wanted = normalizeReference(selector);
  for (const [position, entry] of entries.entries()) {
    const tag = entry.RepoTags.find((repoTag) => repoTag === selector || (wanted !== null && normalizeReference(repoTag) === wanted));
    if (tag !== undefined) return { entry, position, reference: tag };
  }
  throw new UsageError(`${where}: no image tagged "${selector}"; available: ${listChoices(entries)}`, { code: 'E_NOT_FOUND' });
}

/**
 * `manifest.json` of a `docker save` archive: one entry per image with its config member,
 * tags and layer members. Selection by `name:tag` (normalised: `busybox` ≡
 * `docker.io/library/busybox:latest`) or by position `@N`.
 */
import { checkImageSchema, normalizeReference } from '../../image/index.js';
import { InputError, UsageError } from '../../shared/errors.js';

export interface DockerSaveEntry {
  Config: string;
  RepoTags: string[];
  Layers: string[];
  Parent?: string;
}

const INDEX_SELECTOR = /^@(\d+)$/;

/** Validates manifest.json against its schema (null lists read as empty). */
export function parseDockerManifest(json: unknown, label: string): DockerSaveEntry[] {
  if (json === null) throw new InputError(`${label} is null: the archive holds no image`, { code: 'E_NO_IMAGES' });
  checkImageSchema('dockerSave', json, label);
  const entries = json as Array<{ Config: string; RepoTags?: string[] | null; Layers?: string[] | null; Parent?: string | null }>;
  if (entries.length === 0) throw new InputError(`${label} lists no images`, { code: 'E_NO_IMAGES' });
  return entries.map((item) => {
    const entry: DockerSaveEntry = { Config: item.Config, RepoTags: item.RepoTags ?? [], Layers: item.Layers ?? [] };
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

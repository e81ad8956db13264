/**
 * What slim writes when the user does not say: the output format (the input's, except that a
 * `.tar` name from an OCI layout means an OCI archive) and the tag (the source's, so
 * `umoci unpack --image OUT:TAG` and `docker load` find the image under the name it had).
 */
import { parseReference } from '../image/index.js';
import type { SourceFormat } from '../report/index.js';
import { isOciRefName, type WriteFormat } from '../sources/index.js';

/**
 * `--format`, else the input's format; an OCI layout written to a `*.tar` name becomes an OCI
 * archive (a directory named `app.tar` is never what was meant). Docker and OCI archives are
 * tar files already, whatever the name.
 */
export function outputFormat(requested: WriteFormat | undefined, source: SourceFormat, target: string): WriteFormat {
  if (requested !== undefined) return requested;
  if (source === 'oci-layout' && target.toLowerCase().endsWith('.tar')) return 'oci-archive';
  // A registry image written to a file: an OCI archive (one file, every layer media type).
  if (source === 'registry') return 'oci-archive';
  return source;
}

/**
 * `--tag`, else derived from the source's tags.
 * docker-archive: the first source tag that is a full `name:tag` reference (Docker RepoTags, or an
 * OCI ref.name written as a reference), else none (RepoTags null: `docker load` keeps it untagged,
 * as for the source). OCI: the source's ref.name as it was; a Docker RepoTag gives its tag part, as
 * Docker writes ref.name in its own OCI index; `latest` when the source has no tag.
 */
export function outputTag(requested: string | null | undefined, format: WriteFormat, sourceFormat: SourceFormat, sourceTags: readonly string[]): string | null {
  if (requested !== undefined && requested !== null) return requested;
  if (format === 'docker-archive') return sourceTags.find(isTaggedReference) ?? null;
  const first = sourceTags[0];
  const derived = first === undefined ? undefined : sourceFormat === 'docker-archive' || sourceFormat === 'registry' ? parseReference(first)?.tag : first;
  return derived !== undefined && derived !== null && isOciRefName(derived) ? derived : 'latest';
}

/** `name:tag` with an explicit tag (a bare `latest` or `1.0` is an OCI tag, not a repository name). */
function isTaggedReference(text: string): boolean {
  const lastSlash = text.lastIndexOf('/');
  if (!text.slice(lastSlash + 1).includes(':')) return false;
  const reference = parseReference(text);
  return reference !== null && reference.digest === null && reference.tag !== null;
}

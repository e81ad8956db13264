/**
 * Docker image references (`[domain/]path[:tag][@digest]`), normalised the way Docker's
 * distribution/reference does, so that `test_image_1`, `test_image_1:latest`,
 * `docker.io/library/test_image_1` and `index.docker.io/library/test_image_1:latest` are equal.
 */

export interface ImageReference {
  /** Registry host, `docker.io` by default. */
  domain: string;
  /** Repository path; Docker Hub official images get `library/`. */
  path: string;
  /** `latest` when neither a tag nor a digest is given. */
  tag: string | null;
  digest: string | null;
}

const COMPONENT = /^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*$/;
const DOMAIN = /^(?:localhost|\[[0-9a-fA-F:]+\]|[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?(?:\.[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?)*)(?::[0-9]+)?$/;
const TAG = /^[\w][\w.-]{0,127}$/;
const DIGEST = /^[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9a-fA-F]{32,}$/;

export const DEFAULT_DOMAIN = 'docker.io';

/** Parses and normalises a reference, or returns null when it is not a valid one. */
export function parseReference(text: string): ImageReference | null {
  let rest = text;
  let digest: string | null = null;
  const at = rest.indexOf('@');
  if (at >= 0) {
    digest = rest.slice(at + 1);
    rest = rest.slice(0, at);
    if (!DIGEST.test(digest)) return null;
  }
  let tag: string | null = null;
  const lastSlash = rest.lastIndexOf('/');
  const colon = rest.lastIndexOf(':');
  if (colon > lastSlash) {
    tag = rest.slice(colon + 1);
    rest = rest.slice(0, colon);
    if (!TAG.test(tag)) return null;
  }
  const components = rest.split('/');
  let domain = DEFAULT_DOMAIN;
  const first = components[0] ?? '';
  if (components.length > 1 && (first.includes('.') || first.includes(':') || first === 'localhost' || first !== first.toLowerCase())) {
    if (!DOMAIN.test(first)) return null;
    domain = first === 'index.docker.io' ? DEFAULT_DOMAIN : first;
    components.shift();
  }
  if (components.length === 0 || !components.every((component) => COMPONENT.test(component))) return null;
  if (domain === DEFAULT_DOMAIN && components.length === 1) components.unshift('library');
  const path = components.join('/');
  if (domain.length + 1 + path.length > 255) return null;
  if (tag === null && digest === null) tag = 'latest';
  return { domain, path, tag, digest };
}

/** The fully qualified form (`docker.io/library/busybox:latest`), or null when invalid. */
export function normalizeReference(text: string): string | null {
  const ref = parseReference(text);
  return ref ? formatReference(ref) : null;
}

export function formatReference(ref: ImageReference): string {
  let text = `${ref.domain}/${ref.path}`;
  if (ref.tag !== null) text += `:${ref.tag}`;
  if (ref.digest !== null) text += `@${ref.digest}`;
  return text;
}

/** Docker's "familiar" repository name: `busybox`, `bazel/v1/tarball`, `localhost:5000/foo`. */
export function familiarName(ref: ImageReference): string {
  if (ref.domain !== DEFAULT_DOMAIN) return `${ref.domain}/${ref.path}`;
  return ref.path.startsWith('library/') && ref.path.split('/').length === 2 ? ref.path.slice('library/'.length) : ref.path;
}

/** `busybox:latest` for `docker.io/library/busybox:latest`. */
export function familiarString(ref: ImageReference): string {
  let text = familiarName(ref);
  if (ref.tag !== null) text += `:${ref.tag}`;
  if (ref.digest !== null) text += `@${ref.digest}`;
  return text;
}

/** True when both texts are valid references naming the same thing. */
export function sameReference(a: string, b: string): boolean {
  const left = normalizeReference(a);
  return left !== null && left === normalizeReference(b);
}

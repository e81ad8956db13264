/**
 * A `docker://` reference as the distribution API needs it: Docker Hub short names normalised as
 * Docker does (`alpine` → docker.io/library/alpine:latest, served by registry-1.docker.io).
 */
import { formatReference, parseReference, type ImageReference } from '../../image/index.js';
import { UsageError } from '../../shared/errors.js';

export interface RegistryReference {
  /** The registry as users name it (`docker.io`, `127.0.0.1:5000`): the key for credentials. */
  registry: string;
  /** The host[:port] the API is served on. */
  apiHost: string;
  repository: string;
  tag: string | null;
  digest: string | null;
}

const DOCKER_HUB_API = 'registry-1.docker.io';

export function parseRegistryReference(text: string): RegistryReference {
  const ref = parseReference(text);
  if (!ref) {
    throw new UsageError(`docker://${text}: not a valid image reference (expected [HOST[:PORT]/]REPO[:TAG|@DIGEST])`, { code: 'E_REFERENCE' });
  }
  return fromImageReference(ref);
}

export function fromImageReference(ref: ImageReference): RegistryReference {
  return {
    registry: ref.domain,
    apiHost: ref.domain === 'docker.io' ? DOCKER_HUB_API : ref.domain,
    repository: ref.path,
    tag: ref.tag,
    digest: ref.digest,
  };
}

/** What the manifests endpoint is asked for: the digest when there is one, else the tag. */
export function manifestReference(ref: RegistryReference): string {
  return ref.digest ?? ref.tag ?? 'latest';
}

export function describeReference(ref: RegistryReference): string {
  return `docker://${formatReference({ domain: ref.registry, path: ref.repository, tag: ref.tag, digest: ref.digest })}`;
}

/** Loopback hosts may be spoken to in plain HTTP (as Docker treats localhost registries). */
export function isLoopbackHost(hostPort: string): boolean {
  const host = hostPort.startsWith('[') ? hostPort.slice(1, hostPort.indexOf(']')) : hostPort.replace(/:\d+$/, '');
  return host === 'localhost' || host === '::1' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host);
}

/**
 * Choosing an image in an OCI index: at the top of a layout by `org.opencontainers.image.ref.name`
 * or `@N`, and inside (nested) indexes by platform.
 */
import {
  DEFAULT_PLATFORM,
  formatPlatform,
  platformMatches,
  platformMatchesIgnoringVariant,
  shortDigest,
  type Descriptor,
  type Platform,
} from '../../image/index.js';
import { InputError, UsageError } from '../../shared/errors.js';

export const REF_NAME_ANNOTATION = 'org.opencontainers.image.ref.name';

const INDEX_SELECTOR = /^@(\d+)$/;
const MAX_LISTED = 20;

export function refNameOf(descriptor: Descriptor): string | undefined {
  return descriptor.annotations?.[REF_NAME_ANNOTATION];
}

function listChoices(manifests: Descriptor[]): string {
  const lines = manifests.slice(0, MAX_LISTED).map((descriptor, index) => {
    const name = refNameOf(descriptor);
    const platform = descriptor.platform ? ` ${formatPlatform(descriptor.platform)}` : '';
    return `@${index}${name !== undefined ? ` (${name})` : ''}${platform}`;
  });
  if (manifests.length > MAX_LISTED) lines.push(`… ${manifests.length - MAX_LISTED} more`);
  return lines.join(', ');
}

/** Position in index.json of the entry the selector (or, without one, the platform) chooses. */
export function chooseTopLevel(manifests: Descriptor[], selector: string | undefined, platform: Platform | null, where: string): number {
  if (manifests.length === 0) throw new InputError(`${where}: index.json lists no images`, { code: 'E_NO_IMAGES' });
  if (selector !== undefined && selector !== '') {
    const byIndex = INDEX_SELECTOR.exec(selector);
    if (byIndex) {
      const position = Number(byIndex[1]);
      if (position >= manifests.length) {
        throw new UsageError(`${where}: ${selector} is out of range: index.json lists ${manifests.length} entr${manifests.length === 1 ? 'y' : 'ies'} (${listChoices(manifests)})`, {
          code: 'E_SELECTOR',
        });
      }
      return position;
    }
    const matches = manifests.flatMap((descriptor, position) => (refNameOf(descriptor) === selector ? [position] : []));
    if (matches.length === 0) {
      throw new UsageError(`${where}: no image named "${selector}"; available: ${listChoices(manifests)}`, { code: 'E_NOT_FOUND' });
    }
    const digests = new Set(matches.map((position) => manifests[position]!.digest));
    if (digests.size > 1) {
      throw new UsageError(`${where}: the name "${selector}" is ambiguous (${matches.map((position) => `@${position}`).join(', ')}); choose one by @N`, {
        code: 'E_AMBIGUOUS',
      });
    }
    return matches[0]!;
  }
  if (new Set(manifests.map((descriptor) => descriptor.digest)).size === 1) return 0;
  if (platform) {
    const matching = manifests.flatMap((descriptor, position) =>
      descriptor.platform && platformMatches(platform, descriptor.platform) ? [position] : [],
    );
    if (new Set(matching.map((position) => manifests[position]!.digest)).size === 1) return matching[0]!;
  }
  throw new UsageError(`${where} holds ${manifests.length} images; choose one with --image: ${listChoices(manifests)}`, { code: 'E_AMBIGUOUS' });
}

/** Entries of a multi-platform index that are images (Docker's attestation manifests are not). */
function imageEntries(manifests: Descriptor[]): Descriptor[] {
  return manifests.filter(
    (descriptor) =>
      descriptor.annotations?.['vnd.docker.reference.type'] !== 'attestation-manifest' &&
      !(descriptor.platform?.os === 'unknown' && descriptor.platform.architecture === 'unknown'),
  );
}

/**
 * The entry of a (nested) index for the wanted platform; without one, linux/amd64 when present,
 * else the only image. Ambiguity is a UsageError listing the platforms.
 */
export function choosePlatform(manifests: Descriptor[], wanted: Platform | null, where: string): Descriptor {
  const candidates = imageEntries(manifests);
  if (candidates.length === 0) throw new InputError(`${where} lists no images`, { code: 'E_NO_IMAGES' });
  const available = () => [...new Set(candidates.map((descriptor) => (descriptor.platform ? formatPlatform(descriptor.platform) : `@${manifests.indexOf(descriptor)} (no platform)`)))].join(', ');
  if (wanted) {
    const exact = candidates.find((descriptor) => descriptor.platform && platformMatches(wanted, descriptor.platform));
    if (exact) return exact;
    if (!wanted.variant) {
      const loose = candidates.filter((descriptor) => descriptor.platform && platformMatchesIgnoringVariant(wanted, descriptor.platform));
      if (loose.length === 1) return loose[0]!;
    }
    throw new UsageError(`${where} has no image for ${formatPlatform(wanted)}; available: ${available()}`, { code: 'E_PLATFORM' });
  }
  if (candidates.length === 1) return candidates[0]!;
  const preferred = candidates.find((descriptor) => descriptor.platform && platformMatches(DEFAULT_PLATFORM, descriptor.platform));
  if (preferred) return preferred;
  if (new Set(candidates.map((descriptor) => descriptor.digest)).size === 1) return candidates[0]!;
  throw new UsageError(`${where} holds images for several platforms; choose one with --platform: ${available()}`, { code: 'E_PLATFORM' });
}

/** `sha256:0123…` label for a descriptor in messages. */
export function describeDescriptor(descriptor: Descriptor): string {
  const name = refNameOf(descriptor);
  return name !== undefined ? `"${name}" (${shortDigest(descriptor.digest)})` : shortDigest(descriptor.digest);
}

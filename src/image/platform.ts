/**
 * Platforms as `os/arch[/variant]` strings, normalised the way containerd's `platforms`
 * package does (x86_64 → amd64, aarch64 → arm64, arm64/v8 ≡ arm64, amd64/v1 ≡ amd64,
 * arm ≡ arm/v7), so that `linux/arm64` selects an index entry written as `linux/arm64/v8`.
 */
import { UsageError } from '../shared/errors.js';
import type { Platform } from './types.js';

const PART = /^[a-z0-9._-]+$/;

/** Parses `os/arch[/variant]` (case-insensitive). Throws UsageError on anything else. */
export function parsePlatform(text: string): Platform {
  const parts = text.trim().toLowerCase().split('/');
  if (parts.length < 2 || parts.length > 3 || parts.some((part) => !PART.test(part))) {
    throw new UsageError(`invalid platform "${text}": expected os/arch[/variant], e.g. linux/amd64 or linux/arm/v7`, {
      code: 'E_PLATFORM',
    });
  }
  const [os = '', architecture = '', variant] = parts;
  return variant === undefined ? { os, architecture } : { os, architecture, variant };
}

/** `linux/amd64`, `linux/arm/v7`; `unknown` for a missing field. */
export function formatPlatform(platform: Pick<Platform, 'os' | 'architecture' | 'variant'>): string {
  const base = `${platform.os || 'unknown'}/${platform.architecture || 'unknown'}`;
  return platform.variant ? `${base}/${platform.variant}` : base;
}

/** The canonical form used for comparisons (containerd's Normalize). */
export function normalizePlatform(platform: Pick<Platform, 'os' | 'architecture' | 'variant'>): Platform {
  const os = normalizeOs(platform.os ?? '');
  const [architecture, variant] = normalizeArch(platform.architecture ?? '', platform.variant ?? '');
  return variant ? { os, architecture, variant } : { os, architecture };
}

function normalizeOs(os: string): string {
  const lower = os.toLowerCase();
  return lower === 'macos' ? 'darwin' : lower;
}

function normalizeArch(arch: string, variant: string): [string, string] {
  const a = arch.toLowerCase();
  const v = variant.toLowerCase();
  switch (a) {
    case 'i386':
      return ['386', ''];
    case 'x86_64':
    case 'x86-64':
    case 'amd64':
      return ['amd64', v === 'v1' ? '' : v];
    case 'aarch64':
    case 'arm64':
      if (v === '8' || v === 'v8' || v === 'v8.0') return ['arm64', ''];
      if (v === '9' || v === '9.0' || v === 'v9.0') return ['arm64', 'v9'];
      return ['arm64', v];
    case 'armhf':
      return ['arm', 'v7'];
    case 'armel':
      return ['arm', 'v6'];
    case 'arm':
      if (v === '' || v === '7') return ['arm', 'v7'];
      if (v === '5' || v === '6' || v === '8') return ['arm', `v${v}`];
      return ['arm', v];
    default:
      return [a, v];
  }
}

/** True when both name the same platform after normalisation (OS version and features ignored). */
export function platformMatches(wanted: Platform, candidate: Platform): boolean {
  const a = normalizePlatform(wanted);
  const b = normalizePlatform(candidate);
  return a.os === b.os && a.architecture === b.architecture && (a.variant ?? '') === (b.variant ?? '');
}

/** Same OS and architecture, any variant (used when the wanted platform names no variant). */
export function platformMatchesIgnoringVariant(wanted: Platform, candidate: Platform): boolean {
  const a = normalizePlatform(wanted);
  const b = normalizePlatform(candidate);
  return a.os === b.os && a.architecture === b.architecture;
}

/** The default platform imgslim selects from a multi-platform index. */
export const DEFAULT_PLATFORM: Platform = { os: 'linux', architecture: 'amd64' };

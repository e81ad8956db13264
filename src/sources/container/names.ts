/** Member names inside containers, cleaned the way Go's path.Clean does (tar names are not trusted). */
import { posix } from 'node:path';

/**
 * `./a//b/` → `a/b`; `/manifest.json` → `manifest.json`; `..` never climbs above the root.
 * The root itself is the empty string.
 */
export function cleanName(name: string): string {
  const cleaned = posix.normalize(`/${name}`);
  return cleaned === '/' ? '' : cleaned.replace(/^\/+/, '').replace(/\/+$/, '');
}

/** The name a symlink at `linkName` with target `target` points to. */
export function symlinkTarget(linkName: string, target: string): string {
  if (target.startsWith('/')) return cleanName(target);
  return cleanName(posix.join(posix.dirname(cleanName(linkName)), target));
}

/** Whether `name` is a safe relative path (no `..`, not absolute): used before touching the disk. */
export function isSafeRelativeName(name: string): boolean {
  if (name === '' || name.startsWith('/') || name.includes('\0')) return false;
  return name.split('/').every((part) => part !== '..' && part !== '');
}

/** Small helpers shared by the database readers. */
import type { DatabaseNote, PackageFiles, PackageManager } from './types.js';

const decoder = new TextDecoder('utf-8');

/** Database text as UTF-8 (invalid sequences become U+FFFD; never throws). */
export function decodeText(bytes: Uint8Array): string {
  return decoder.decode(bytes);
}

/** A database that exists but whose content was not captured. */
export function unreadableNote(manager: PackageManager, path: string, files: PackageFiles): DatabaseNote {
  const why = files.tooLarge?.(path) ? 'larger than the capture limit' : 'not a regular file, or its content was not captured';
  return { manager, path, status: 'not-read', packages: 0, diagnostics: [`${path}: ${why}, not read`] };
}

/**
 * Operating-system errors (Node's errno errors) as words a user reads: "no space left on device",
 * not `ENOSPC: no space left on device, write`. One place, so every message says it the same way.
 */

export interface SystemError extends Error {
  code: string;
  syscall?: string;
  path?: string;
  dest?: string;
}

/** An errno error from Node (fs, net, child processes): a string `code` such as ENOENT and a `syscall`. */
export function isSystemError(error: unknown): error is SystemError {
  return error instanceof Error && typeof (error as SystemError).code === 'string' && /^E[A-Z0-9]+$/.test((error as SystemError).code) && typeof (error as SystemError).syscall === 'string';
}

const WORDS: Record<string, string> = {
  ENOENT: 'no such file or directory',
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  EISDIR: 'it is a directory',
  ENOTDIR: 'a parent is not a directory',
  ENOSPC: 'no space left on device',
  EDQUOT: 'disk quota exceeded',
  EROFS: 'read-only file system',
  EIO: 'input/output error',
  EFBIG: 'file too large',
  EEXIST: 'it already exists',
  ENOTEMPTY: 'it is a directory that is not empty',
  EXDEV: 'not on the same file system',
  EMFILE: 'too many open files',
  ENAMETOOLONG: 'file name too long',
  ELOOP: 'too many levels of symbolic links',
  EBUSY: 'device or resource busy',
};

/** The operating system's reason, in words (the errno name for codes without words). */
export function systemErrorText(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const code = (error as Partial<SystemError>).code;
  if (typeof code === 'string' && WORDS[code]) return WORDS[code];
  // Node's own text: "ENOSPC: no space left on device, write" → "no space left on device".
  const match = /^E[A-Z0-9]+: ([^,]+)/.exec(error.message);
  return match ? match[1]! : error.message;
}

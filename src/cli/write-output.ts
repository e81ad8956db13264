/** Writes an output file atomically: a temp file beside it, then rename (no partial file on failure). */
import { randomBytes } from 'node:crypto';
import { closeSync, openSync, writeSync } from 'node:fs';
import { rm, writeFile, rename } from 'node:fs/promises';
import path from 'node:path';
import { UsageError } from '../shared/errors.js';
import { systemErrorText } from '../shared/system-error.js';

/** The whole content, or a function that writes it in pieces (a large report, never one string). */
export type OutputContent = string | Uint8Array | ((write: (text: string) => void) => void);

export async function writeFileAtomic(file: string, content: OutputContent): Promise<void> {
  const temp = path.join(path.dirname(file), `.${path.basename(file)}.${randomBytes(6).toString('hex')}.tmp`);
  try {
    if (typeof content === 'function') writePieces(temp, content);
    else await writeFile(temp, content, { mode: 0o644, flag: 'wx' });
    await rename(temp, file);
  } catch (error) {
    await rm(temp, { force: true });
    throw new UsageError(`cannot write ${file}: ${systemErrorText(error)}`, { code: 'E_OUTPUT', cause: error });
  }
}

function writePieces(file: string, produce: (write: (text: string) => void) => void): void {
  const fd = openSync(file, 'wx', 0o644);
  try {
    produce((text) => {
      const bytes = Buffer.from(text);
      for (let done = 0; done < bytes.length; ) done += writeSync(fd, bytes, done, bytes.length - done);
    });
  } finally {
    closeSync(fd);
  }
}

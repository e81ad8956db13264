/** Writes an output file atomically: a temp file beside it, then rename (no partial file on failure). */
import { randomBytes } from 'node:crypto';
import { rm, writeFile, rename } from 'node:fs/promises';
import path from 'node:path';
import { UsageError } from '../shared/errors.js';
import { systemErrorText } from '../shared/system-error.js';

export async function writeFileAtomic(file: string, content: string | Uint8Array): Promise<void> {
  const temp = path.join(path.dirname(file), `.${path.basename(file)}.${randomBytes(6).toString('hex')}.tmp`);
  try {
    await writeFile(temp, content, { mode: 0o644, flag: 'wx' });
    await rename(temp, file);
  } catch (error) {
    await rm(temp, { force: true });
    throw new UsageError(`cannot write ${file}: ${systemErrorText(error)}`, { code: 'E_OUTPUT', cause: error });
  }
}

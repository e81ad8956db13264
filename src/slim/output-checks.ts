/**
 * The checks writeImage makes, made before the work, so a bad -o or --tag fails in a second and
 * not after minutes of reading layers: the parent directory, what is at the path already, the
 * tag's grammar, and an archive output that would replace the input image.
 */
import { readdirSync, realpathSync, statSync } from 'node:fs';
import path from 'node:path';
import { parseReference } from '../image/index.js';
import { UsageError } from '../shared/errors.js';
import { isOciRefName, type WriteFormat } from '../sources/index.js';

/** `format` undefined: only what holds for every format (the input's is not known yet). */
export function checkOutput(target: string, format: WriteFormat | undefined, tag: string | null, input?: string): void {
  const parent = path.dirname(target);
  if (!statSync(parent, { throwIfNoEntry: false })?.isDirectory()) throw new UsageError(`slim: cannot write ${target}: ${parent} is not a directory`, { code: 'E_OUTPUT' });
  if (format === undefined) return;
  if (input !== undefined && input !== '-' && format !== 'oci-layout' && realpathOrSelf(path.resolve(input)) === realpathOrSelf(target)) {
    // An OCI layout output that exists gains the image beside the others; an archive would be replaced.
    throw new UsageError(`slim: the output ${target} is the input image; write the slimmed image elsewhere`, { code: 'E_OUTPUT' });
  }
  const existing = statSync(target, { throwIfNoEntry: false });
  if (format === 'oci-layout') {
    if (existing && !existing.isDirectory()) throw new UsageError(`slim: cannot write an OCI layout to ${target}: it exists and is not a directory`, { code: 'E_OUTPUT' });
    const names = existing ? readdirSync(target) : [];
    if (names.length > 0 && !(names.includes('oci-layout') && names.includes('index.json'))) {
      throw new UsageError(`slim: cannot write an OCI layout to ${target}: the directory is not empty and not an OCI image layout`, { code: 'E_OUTPUT' });
    }
  } else if (existing && !existing.isFile()) {
    throw new UsageError(`slim: cannot write ${target}: it exists and is not a regular file`, { code: 'E_OUTPUT' });
  }
  if (tag === null) return;
  const valid = format === 'docker-archive' ? parseReference(tag)?.digest === null : isOciRefName(tag);
  if (!valid) throw new UsageError(`slim: invalid --tag "${tag}" for ${format} (expected ${format === 'docker-archive' ? 'name[:tag]' : 'an OCI ref.name'})`, { code: 'E_TAG' });
}

function realpathOrSelf(file: string): string {
  try {
    return realpathSync(file);
  } catch {
    return file;
  }
}

/**
 * Writing a planned image as an OCI image layout directory. A new layout is built in a temporary
 * sibling directory and renamed into place. An existing layout gets the image added the way skopeo
 * and umoci do: missing blobs written (each via temp file + rename), then index.json replaced
 * atomically, the new entry replacing any with the same ref.name. On failure, blobs this call
 * added are removed again and index.json is untouched.
 */
import { mkdir, open, readdir, readFile, rename, rmdir, stat, utimes } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { parseIndex, parseJson, parseOciLayoutFile, type Descriptor } from '../../image/index.js';
import { ImgslimError, UsageError } from '../../shared/errors.js';
import { refNameOf } from '../oci/select.js';
import { canonicalJsonBytes } from './canonical-json.js';
import { checkLayerBlob, fileBody, inspectTarget, removeQuietly, temporarySibling, writeAll } from './files.js';
import type { ImagePlan, PlannedFile } from './plan.js';

async function writeFile(path: string, file: PlannedFile, mtime: number): Promise<void> {
  const handle = await open(path, 'wx', 0o644);
  try {
    const body = fileBody(file);
    if (body instanceof Uint8Array) await writeAll(handle, body);
    else for await (const chunk of body) await writeAll(handle, chunk);
    await handle.sync();
  } finally {
    await handle.close();
  }
  await utimes(path, mtime, mtime);
}

async function writeFresh(target: string, plan: ImagePlan, replaceEmptyDirectory: boolean): Promise<void> {
  const temporary = temporarySibling(target);
  try {
    await mkdir(temporary, { mode: 0o755 });
    for (const directory of plan.directories) await mkdir(join(temporary, directory), { mode: 0o755 });
    for (const file of plan.files) await writeFile(join(temporary, file.name), file, plan.mtime);
    for (const directory of [...plan.directories].reverse()) await utimes(join(temporary, directory), plan.mtime, plan.mtime);
    if (replaceEmptyDirectory) await rmdir(target);
    await rename(temporary, target);
  } catch (error) {
    await removeQuietly(temporary);
    throw error;
  }
}

async function readExistingIndex(target: string): Promise<Record<string, unknown>> {
  const label = `${target}/index.json`;
  try {
    parseOciLayoutFile(parseJson(await readFile(join(target, 'oci-layout')), `${target}/oci-layout`), `${target}/oci-layout`);
    const bytes = await readFile(join(target, 'index.json'));
    parseIndex(parseJson(bytes, label), label);
    // Written back as it was, with only the new entry merged in (parseIndex normalises its copy).
    return parseJson(bytes, label) as Record<string, unknown>;
  } catch (error) {
    if (error instanceof UsageError) throw error;
    const reason = error instanceof ImgslimError ? error.message : (error as Error).message;
    throw new UsageError(`cannot add to the OCI layout ${target}: ${reason}`, { code: 'E_OUTPUT', cause: error });
  }
}

function mergedManifests(existing: Descriptor[], entry: Descriptor): Descriptor[] {
  const name = refNameOf(entry);
  const kept = existing.filter((descriptor) =>
    name !== undefined ? refNameOf(descriptor) !== name : !(refNameOf(descriptor) === undefined && descriptor.digest === entry.digest),
  );
  return [...kept, entry];
}

async function mergeInto(target: string, plan: ImagePlan): Promise<void> {
  const index = await readExistingIndex(target);
  const added: string[] = [];
  try {
    for (const file of plan.files) {
      if (!file.name.startsWith('blobs/')) continue;
      const destination = join(target, file.name);
      const present = await stat(destination).catch(() => null);
      if (present?.isFile()) continue;
      await mkdir(dirname(destination), { recursive: true, mode: 0o755 });
      const temporary = temporarySibling(destination);
      try {
        await writeFile(temporary, file, plan.mtime);
        await rename(temporary, destination);
      } catch (error) {
        await removeQuietly(temporary);
        throw error;
      }
      added.push(destination);
    }
    const manifests = mergedManifests((index.manifests as Descriptor[] | null) ?? [], plan.indexEntry);
    const indexPath = join(target, 'index.json');
    const temporary = temporarySibling(indexPath);
    try {
      await writeFile(temporary, { name: 'index.json', bytes: canonicalJsonBytes({ ...index, manifests }) }, plan.mtime);
      await rename(temporary, indexPath);
    } catch (error) {
      await removeQuietly(temporary);
      throw error;
    }
  } catch (error) {
    for (const path of added) await removeQuietly(path);
    throw error;
  }
}

export async function writeLayoutOutput(target: string, plan: ImagePlan): Promise<void> {
  const existing = await inspectTarget(target);
  if (existing === 'file' || existing === 'other') {
    throw new UsageError(`cannot write an OCI layout to ${target}: it exists and is not a directory`, { code: 'E_OUTPUT' });
  }
  for (const file of plan.files) if ('layer' in file) await checkLayerBlob(file.layer);
  if (existing === 'absent') return writeFresh(target, plan, false);
  const names = await readdir(target);
  if (names.length === 0) return writeFresh(target, plan, true);
  if (names.includes('oci-layout') && names.includes('index.json')) return mergeInto(target, plan);
  throw new UsageError(`cannot write an OCI layout to ${target}: the directory is not empty and not an OCI image layout`, { code: 'E_OUTPUT' });
}

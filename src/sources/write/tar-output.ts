/**
 * Writing a planned image as a tar (docker-archive, oci-archive): entries sorted by name, fixed
 * mode/uid/gid/mtime, into a temporary sibling that is renamed over the target only when complete.
 */
import { open, rename } from 'node:fs/promises';
import { TarWriter, type TarWriteEntry } from '../../archive/index.js';
import { UsageError } from '../../shared/errors.js';
import { checkLayerBlob, fileBody, fileSize, inspectTarget, removeQuietly, temporarySibling, writeAll } from './files.js';
import type { ImagePlan, PlannedFile } from './plan.js';

type Item = { name: string; entry: TarWriteEntry; file?: PlannedFile };

function items(plan: ImagePlan): Item[] {
  const base = { uid: 0, gid: 0, uname: '', gname: '', mtime: plan.mtime };
  const list: Array<{ name: string; make: () => Item }> = [
    ...plan.directories.map((name) => ({
      name,
      make: (): Item => ({ name, entry: { ...base, name: `${name}/`, type: 'directory', mode: 0o755 } }),
    })),
    ...plan.files.map((file) => ({
      name: file.name,
      make: (): Item => ({ name: file.name, entry: { ...base, name: file.name, type: 'file', mode: 0o644, size: fileSize(file) }, file }),
    })),
  ];
  return list.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0)).map((item) => item.make());
}

export async function writeTarOutput(target: string, plan: ImagePlan): Promise<void> {
  const existing = await inspectTarget(target);
  if (existing === 'directory' || existing === 'other') {
    throw new UsageError(`cannot write ${target}: it exists and is not a regular file`, { code: 'E_OUTPUT' });
  }
  for (const file of plan.files) if ('layer' in file) await checkLayerBlob(file.layer);
  const temporary = temporarySibling(target);
  const handle = await open(temporary, 'wx', 0o644);
  try {
    try {
      const writer = new TarWriter((chunk) => writeAll(handle, chunk));
      for (const item of items(plan)) await writer.add(item.entry, item.file ? fileBody(item.file) : undefined);
      await writer.finish();
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(temporary, target);
  } catch (error) {
    await removeQuietly(temporary);
    throw error;
  }
}

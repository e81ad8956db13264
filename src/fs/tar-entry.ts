/**
 * One tar header → one LayerEntry, with the checks a container runtime would fail on made
 * up front: unsafe names, invalid whiteouts, names Linux cannot create, empty link targets
 * and record types containerd and Docker refuse ("unhandled tar header type").
 */
import type { TarHeader } from '../archive/types.js';
import { InputError } from '../shared/errors.js';
import { checkPathLimits, layerName, normalizeEntryPath, normalizeLinkTarget, PATH_MAX, utf8Length } from './paths.js';
import type { LayerEntry } from './types.js';
import { classifyWhiteout } from './whiteout.js';

/** null for records that are not part of any filesystem (PAX global headers). `layerIndex` is 0-based; messages say `layer N`, 1-based, as every message does. */
export function layerEntryFromTar(header: TarHeader, layerIndex: number): LayerEntry | null {
  if (header.type === 'pax-global') return null;
  const where = layerName(layerIndex);
  if (header.type === 'gnu-dumpdir' || header.type === 'other') {
    const flag = String.fromCharCode(header.typeflag);
    throw new InputError(
      `${where}: ${JSON.stringify(header.name)} has tar type '${flag}', which container runtimes refuse to unpack ("unhandled tar header type")`,
      { code: 'E_UNSUPPORTED_ENTRY' },
    );
  }
  let path: string;
  try {
    path = normalizeEntryPath(header.name);
  } catch (error) {
    throw withLayer(error, where);
  }

  const whiteout = classifyWhiteoutIn(path, where);
  if (whiteout) {
    const target = whiteout.kind === 'whiteout' ? whiteout.target : whiteout.dir;
    limits(target, where);
    return entry(header, target, whiteout.kind, header.size, null);
  }
  limits(path, where);

  switch (header.type) {
    case 'file':
      return entry(header, path, 'file', header.size, null);
    case 'directory':
    case 'fifo':
    case 'char':
    case 'block':
      return entry(header, path, header.type, 0, null);
    case 'symlink':
      return entry(header, path, 'symlink', 0, symlinkTarget(header, path, where));
    case 'hardlink':
      return entry(header, path, 'hardlink', 0, hardlinkTarget(header, path, where));
  }
}

/** One object shape for every entry (fixed field order, optional fields appended): V8 reads these fast. */
function entry(header: TarHeader, path: string, type: LayerEntry['type'], size: number, linkTarget: string | null): LayerEntry {
  const result: LayerEntry = {
    path,
    type,
    size,
    mode: header.mode & 0o7777,
    uid: header.uid,
    gid: header.gid,
    mtime: header.mtime,
    linkTarget,
  };
  if (Object.keys(header.xattrs).length > 0) result.xattrs = header.xattrs;
  if (header.uname) result.uname = header.uname;
  if (header.gname) result.gname = header.gname;
  if (type === 'char' || type === 'block') {
    result.devmajor = header.devmajor;
    result.devminor = header.devminor;
  }
  if (header.rawName) result.rawPath = header.rawName;
  if (type === 'file' && header.sparse) result.sparse = header.sparse;
  return result;
}

function symlinkTarget(header: TarHeader, path: string, where: string): string {
  // symlink(2) fails with ENOENT on an empty target and ENAMETOOLONG past PATH_MAX - 1.
  if (header.linkname === '') {
    throw new InputError(`${where}: symlink ${path} has an empty target, which Linux cannot create`, { code: 'E_INVALID_LINK' });
  }
  if (utf8Length(header.linkname) >= PATH_MAX) {
    throw new InputError(`${where}: symlink ${path} has a target longer than ${PATH_MAX - 1} bytes (PATH_MAX)`, {
      code: 'E_PATH_TOO_LONG',
    });
  }
  return header.linkname;
}

function hardlinkTarget(header: TarHeader, path: string, where: string): string {
  if (header.linkname === '') {
    throw new InputError(`${where}: invalid hard link ${path}: it names no target`, { code: 'E_INVALID_LINK' });
  }
  return normalizeLinkTarget(header.linkname);
}

function classifyWhiteoutIn(path: string, where: string) {
  try {
    return classifyWhiteout(path);
  } catch (error) {
    throw withLayer(error, where);
  }
}

function limits(path: string, where: string): void {
  try {
    checkPathLimits(path);
  } catch (error) {
    throw withLayer(error, where);
  }
}

function withLayer(error: unknown, where: string): unknown {
  if (error instanceof InputError) return new InputError(`${where}: ${error.message}`, { code: error.code, cause: error });
  return error;
}

/**
 * Every output of a run, checked before anything is read or written: no output may be an input
 * or lie inside one (or hold one), no two outputs may overlap, and each output's directory must
 * take a new file (a probe file is created and removed: /proc, /sys, read-only mounts and missing
 * directories fail here, in a second, with one sentence and exit 2).
 */
import { randomBytes } from 'node:crypto';
import { closeSync, openSync, realpathSync, rmSync, statSync } from 'node:fs';
import path from 'node:path';
import { UsageError } from '../shared/errors.js';
import { systemErrorText } from '../shared/system-error.js';

export interface NamedPath {
  /** How the user named it: `-o`, `--audit`, `IMAGE`, `--report`. */
  option: string;
  path: string;
  /** The path as the user wrote it, for messages (default `path`). */
  shown?: string;
  /** An OCI layout directory an image is added to: it may be the input itself. */
  layout?: boolean;
}

export function checkOutputPaths(command: string, outputs: NamedPath[], inputs: NamedPath[]): void {
  const resolved = outputs.map((output) => ({ ...output, shown: output.shown ?? output.path, real: canonical(output.path) }));
  for (const [index, output] of resolved.entries()) {
    for (const input of inputs) {
      if (input.path === '-') continue;
      const real = canonical(input.path);
      if (output.layout && real === output.real) continue;
      if (overlaps(output.real, real)) {
        throw new UsageError(`${command}: ${output.option} ${output.shown} would overwrite the input ${input.shown ?? input.path}; write it elsewhere`, { code: 'E_OUTPUT' });
      }
    }
    for (const other of resolved.slice(index + 1)) {
      if (overlaps(output.real, other.real)) {
        throw new UsageError(`${command}: ${output.option} ${output.shown} and ${other.option} ${other.shown} are the same place; give each output its own path`, { code: 'E_OUTPUT' });
      }
    }
    if (!output.layout && statSync(output.real, { throwIfNoEntry: false })?.isDirectory()) {
      throw new UsageError(`${command}: cannot write ${output.option} ${output.shown}: it is a directory; give a file name`, { code: 'E_OUTPUT' });
    }
    probeDirectory(command, output.option, output.shown, path.dirname(output.real));
  }
}

/** The path with its directory's symlinks resolved (the file itself need not exist). */
function canonical(file: string): string {
  const absolute = path.resolve(file);
  try {
    return realpathSync(absolute);
  } catch {
    try {
      return path.join(realpathSync(path.dirname(absolute)), path.basename(absolute));
    } catch {
      return absolute;
    }
  }
}

function overlaps(a: string, b: string): boolean {
  return a === b || a.startsWith(`${b}/`) || b.startsWith(`${a}/`);
}

function probeDirectory(command: string, option: string, file: string, directory: string): void {
  const probe = path.join(directory, `.imgslim-probe-${randomBytes(6).toString('hex')}`);
  try {
    closeSync(openSync(probe, 'wx', 0o600));
  } catch (error) {
    throw new UsageError(`${command}: cannot write ${option} ${file}: cannot create a file in ${directory} (${systemErrorText(error)})`, { code: 'E_OUTPUT', cause: error });
  }
  rmSync(probe, { force: true });
}

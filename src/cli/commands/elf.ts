import { existsSync, statSync } from 'node:fs';
import path from 'node:path';
import { describeFileOnDisk, diskContext } from '../../analysis/index.js';
import { SCHEMA_VERSION, type Binary } from '../../report/index.js';
import { InputError, UsageError } from '../../shared/errors.js';
import { ExitCode } from '../exit-codes.js';
import { renderBinaryText } from '../../ui/index.js';
import { oneOf, parseCommandArgs } from '../args.js';
import type { Command } from '../command.js';
import { EXIT_CODES_HELP } from '../exit-codes.js';

const usage = `Usage: imgslim elf FILE... [options]

Prints the ELF analysis of files on disk: class, machine, type, linkage, libc, interpreter,
NEEDED, SONAME, RPATH/RUNPATH, symbol version needs, hardening and Go build info. With
--root, dependencies are resolved inside DIR as the loader of that tree would (symlinks are
followed inside DIR, never on the host) and FILE may be a path inside DIR.

Options:
  --root DIR            resolve dependencies inside this root filesystem (default: none)
  --env KEY=VALUE       environment for the loader, e.g. --env LD_LIBRARY_PATH=/opt/lib (repeatable)
  --workdir DIR         working directory for empty RPATH entries (default /)
  -f, --format FORMAT   text or json (default text)
  -q, --quiet           accepted for symmetry with the other commands (elf shows no progress)

${EXIT_CODES_HELP}
`;

export const elfCommand: Command = {
  name: 'elf',
  summary: 'Print the ELF analysis of files on disk (dependencies resolved against --root)',
  usage,
  async run(argv, io) {
    const { values, positionals } = parseCommandArgs('elf', argv, {
      root: { type: 'string' },
      env: { type: 'string', multiple: true },
      workdir: { type: 'string' },
      format: { type: 'string', short: 'f' },
      quiet: { type: 'boolean', short: 'q' },
    });
    const format = oneOf('elf', 'format', values.format, ['text', 'json'] as const, 'text');
    if (positionals.length === 0) throw new UsageError("elf: expected at least one FILE (see 'imgslim elf --help')");
    const root = values.root === undefined ? null : path.resolve(io.cwd, values.root);
    if (root !== null && !(existsSync(root) && statSync(root).isDirectory())) throw new UsageError(`elf: --root ${values.root} is not a directory`);
    const context = diskContext({ root, env: values.env ?? [], workingDir: values.workdir ?? '/' });
    const binaries: Binary[] = [];
    const errors: string[] = [];
    for (const file of positionals) {
      try {
        binaries.push(describeFileOnDisk(file, io.cwd, root, context));
      } catch (error) {
        if (!(error instanceof InputError)) throw error;
        errors.push(error.message);
      }
    }
    if (format === 'json') io.stdout.write(`${JSON.stringify({ schemaVersion: SCHEMA_VERSION, binaries }, null, 2)}\n`);
    else io.stdout.write(binaries.map((binary) => renderBinaryText(binary)).join('\n'));
    for (const message of errors) io.stderr.write(`imgslim: ${message}\n`);
    return errors.length > 0 ? ExitCode.input : ExitCode.ok;
  },
};

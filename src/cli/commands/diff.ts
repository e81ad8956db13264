import path from 'node:path';
import { diffReports } from '../../diff/index.js';
import type { Report } from '../../report/index.js';
import { UsageError } from '../../shared/errors.js';
import type { ProgressSink } from '../../shared/progress.js';
import { createProgress, presentDiff, renderDiffText } from '../../ui/index.js';
import { inspectImageArg } from '../analyze-image.js';
import { oneOf, parseCommandArgs } from '../args.js';
import type { Command } from '../command.js';
import { EXIT_CODES_HELP } from '../exit-codes.js';
import type { CliIO } from '../io.js';
import type { ImageArgs } from '../analyze-image.js';
import { writeFileAtomic } from '../write-output.js';

const usage = `Usage: imgslim diff A B [options]

Compares two images read from their files: paths added, removed and changed (content digest,
mode, owner, symlink target, xattrs), ELF binaries whose linkage, libc, NEEDED entries, resolved
closure, glibc floor, hardening or Go build settings changed, package versions, and size and
efficiency totals. A is the image compared from (before), B the one compared to (after), e.g. a
base image and its upgrade, or a source and its slim result.

A and B are docker save archives, OCI image layout directories or OCI archives (not stdin).
Every file's content is hashed while the layers stream, so a change that keeps the size is seen.

Options:
  --image SELECTOR      pick one image of several in A and in B: name:tag, @N, or an OCI ref.name
  --platform OS/ARCH    pick a platform of a multi-platform index, in both
  -f, --format FORMAT   text or json (schema: imgslim schema diff); default: the terminal
                        UI on a terminal, else text
  -o, --output FILE     write to FILE instead of stdout
  --tui / --no-tui      force / never show the terminal UI
  -q, --quiet           no progress on stderr
  --debug               stack traces on errors

${EXIT_CODES_HELP}
`;

export const diffCommand: Command = {
  name: 'diff',
  summary: 'Compare two images: files, binaries, packages, size and efficiency',
  usage,
  async run(argv, io) {
    const { values, positionals } = parseCommandArgs('diff', argv, {
      image: { type: 'string' },
      platform: { type: 'string' },
      format: { type: 'string', short: 'f' },
      output: { type: 'string', short: 'o' },
      quiet: { type: 'boolean', short: 'q' },
      tui: { type: 'boolean' },
      'no-tui': { type: 'boolean' },
    });
    const format = values.format === undefined ? undefined : oneOf('diff', 'format', values.format, ['text', 'json'] as const, 'text');
    if (positionals.length !== 2) throw new UsageError(`diff: expected two images A and B, got ${positionals.length} (see 'imgslim diff --help')`);
    if (positionals.includes('-')) throw new UsageError('diff: images are read from files, not stdin');
    const progress = createProgress(io, { quiet: values.quiet ?? false });
    let reports: [Report, Report];
    try {
      reports = [await analyse(positionals[0]!, values, io, progress), await analyse(positionals[1]!, values, io, progress)];
    } finally {
      progress.close();
    }
    const diff = diffReports(...reports);
    if (!values.output && format !== 'json') {
      await presentDiff(diff, io, { tui: values.tui ? true : values['no-tui'] ? false : undefined, format });
      return 0;
    }
    const text = format === 'json' ? `${JSON.stringify(diff, null, 2)}\n` : renderDiffText(diff);
    if (values.output) await writeFileAtomic(path.resolve(io.cwd, values.output), text);
    else io.stdout.write(text);
    return 0;
  },
};

/** Every file hashed: a content change that keeps the size is still a change. */
async function analyse(image: string, values: ImageArgs, io: CliIO, progress: ProgressSink): Promise<Report> {
  const analysis = await inspectImageArg(image, values, io, progress, { contentDigests: 'all', planFacts: false });
  await analysis.image.close();
  return analysis.report;
}

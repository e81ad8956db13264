import path from 'node:path';
import type { Report } from '../../report/index.js';
import { UsageError } from '../../shared/errors.js';
import { presentReport, renderTextReport, writeJson } from '../../ui/index.js';
import { analyzeImageArg, type ImageArgs } from '../analyze-image.js';
import { oneOf, parseCommandArgs } from '../args.js';
import { IMAGE_ARGUMENT_HELP, registryHelp, REGISTRY_OPTIONS } from '../registry-options.js';
import type { Command } from '../command.js';
import type { CliIO } from '../io.js';
import { loadSavedReport } from '../saved-report.js';
import { EXIT_CODES_HELP } from '../exit-codes.js';
import { checkOutputPaths } from '../output-paths.js';
import { writeFileAtomic } from '../write-output.js';

const usage = `Usage: imgslim analyze IMAGE [options]
       imgslim analyze --report REPORT.json [options]

Reads a container image from the file alone and reports its layers, its final filesystem,
every ELF binary (linkage, libc, interpreter, NEEDED, symbol versions, hardening, Go build
info), each binary's dependencies resolved as the image's own loader would, the entrypoint,
and what will fail at run time.

IMAGE is a docker save archive (legacy or Docker >= 25), an OCI image layout directory, an
OCI archive, or - for an archive on stdin. The format is detected from the content.
${IMAGE_ARGUMENT_HELP}

Options:
  --image SELECTOR      pick one image of several: name:tag, @N, or an OCI ref.name
  --platform OS/ARCH    pick a platform of a multi-platform index (e.g. linux/arm64/v8);
                        default linux/amd64 when present, else the only one
${registryHelp(24)}
  -f, --format FORMAT   text, json, cyclonedx (a CycloneDX 1.6 JSON SBOM) or spdx-json
                        (an SPDX 2.3 JSON SBOM); default: the terminal UI on a terminal,
                        else text
  -o, --output FILE     write the report to FILE instead of stdout
  --findings all        text: list every finding (default: one line per kind, worst first)
  --tui / --no-tui      force / never show the terminal UI
  --report FILE         show a saved JSON report instead of reading an image
  -q, --quiet           no progress on stderr
  --debug               stack traces on errors

${EXIT_CODES_HELP}
`;

export const analyzeCommand: Command = {
  name: 'analyze',
  summary: 'Report layers, filesystem, every ELF binary and what will fail at run time',
  usage,
  async run(argv, io) {
    const { values, positionals } = parseCommandArgs('analyze', argv, {
      image: { type: 'string' },
      platform: { type: 'string' },
      ...REGISTRY_OPTIONS,
      format: { type: 'string', short: 'f' },
      output: { type: 'string', short: 'o' },
      tui: { type: 'boolean' },
      'no-tui': { type: 'boolean' },
      report: { type: 'string' },
      findings: { type: 'string' },
      quiet: { type: 'boolean', short: 'q' },
    });
    const format = values.format === undefined ? undefined : oneOf('analyze', 'format', values.format, FORMATS, 'text');
    const findings = values.findings === undefined ? undefined : oneOf('analyze', 'findings', values.findings, ['grouped', 'all'] as const, 'grouped');
    if (values.output) {
      const input = values.report ?? positionals[0];
      const inputs = input === undefined || input === '-' ? [] : [{ option: 'input', path: path.resolve(io.cwd, input), shown: input }];
      checkOutputPaths('analyze', [{ option: '-o', path: path.resolve(io.cwd, values.output), shown: values.output }], inputs);
    }
    const report = values.report
      ? await loadReportArg(values.report, positionals, io)
      : await analyzeFromArgs(positionals, values, io, isSbomFormat(format));
    if (isSbomFormat(format)) {
      const text = `${JSON.stringify(await sbomDocument(format, report), null, 2)}\n`;
      if (values.output) await writeFileAtomic(path.resolve(io.cwd, values.output), text);
      else io.stdout.write(text);
      return 0;
    }
    if (values.output) {
      const content = format === 'json' ? (write: (text: string) => void) => writeJson(report, write) : renderTextReport(report, { findings });
      await writeFileAtomic(path.resolve(io.cwd, values.output), content);
      return 0;
    }
    await presentReport(report, io, { tui: values.tui ? true : values['no-tui'] ? false : undefined, format, findings });
    return 0;
  },
};

const FORMATS = ['text', 'json', 'cyclonedx', 'spdx-json'] as const;
type SbomFormat = 'cyclonedx' | 'spdx-json';

function isSbomFormat(format: string | undefined): format is SbomFormat {
  return format === 'cyclonedx' || format === 'spdx-json';
}

async function sbomDocument(format: SbomFormat, report: Report): Promise<unknown> {
  const sbom = await import('../../sbom/index.js');
  return format === 'cyclonedx' ? sbom.cyclonedxDocument(report) : sbom.spdxDocument(report);
}

async function loadReportArg(file: string, positionals: string[], io: CliIO): Promise<Report> {
  if (positionals.length > 0) throw new UsageError('analyze: give either IMAGE or --report FILE, not both');
  return loadSavedReport(file, io);
}

/** An SBOM lists each ELF file's SHA-256 and SHA-1, so only then is ELF content hashed while it streams. */
async function analyzeFromArgs(positionals: string[], values: ImageArgs, io: CliIO, sbom: boolean): Promise<Report> {
  if (positionals.length !== 1) throw new UsageError(`analyze: expected one IMAGE, got ${positionals.length} (see 'imgslim analyze --help')`);
  return analyzeImageArg(positionals[0]!, values, io, sbom ? { contentDigests: 'elf' } : {});
}

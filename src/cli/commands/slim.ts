import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { existsSync, statSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import path from 'node:path';
import { imagePath, inspectImageArg } from '../analyze-image.js';
import { ExitCode, UsageError } from '../../shared/errors.js';
import { isSystemError, systemErrorText } from '../../shared/system-error.js';
import { buildAudit, checkKeepPatterns, checkOutput, outputFormat, slimAnalysis, slimReport, type SlimCompression, type SlimOptions } from '../../slim/index.js';
import type { WriteFormat } from '../../sources/index.js';
import { createProgress, presentReport } from '../../ui/index.js';
import { oneOf, parseCommandArgs } from '../args.js';
import { IMAGE_ARGUMENT_HELP, REGISTRY_HELP, REGISTRY_OPTIONS, registryAccess } from '../registry-options.js';
import { isRegistryArgument } from '../../sources/index.js';
import type { Command } from '../command.js';
import { EXIT_CODES_HELP } from '../exit-codes.js';
import { auditProbes, probeOriginal, probeSession, stagingPath, verifySlimmed } from '../slim-probes.js';
import { checkOutputPaths } from '../output-paths.js';
import { writeFileAtomic } from '../write-output.js';

const IMAGE_FORMATS = ['docker-archive', 'oci-layout', 'oci-archive'] as const;
const REPORT_FORMATS = ['text', 'json'] as const;
/** Errors of a file system that cannot take what is written (not of a bad input). */
const OUTPUT_ERRNOS = new Set(['ENOSPC', 'EDQUOT', 'EFBIG', 'EROFS', 'EIO']);
const COMPRESSIONS = ['gzip', 'zstd', 'none'] as const;

const usage = `Usage: imgslim slim IMAGE -o OUT [options]
       imgslim slim IMAGE --dry-run [options]

Writes a minimal FROM-scratch image holding only what the entrypoint needs, from the image file
alone: the entrypoint and the symlinks on its way, shebang interpreters and shells, every
dependency resolved as the image's own loader would, and what loaders and libc open at run time
(NSS modules and nsswitch.conf, CA certificates when TLS is linked, /etc/passwd and /etc/group
reduced to root and the User, zoneinfo for TZ, /tmp). Language runtimes (python, perl, ruby,
java) keep their standard library. Every kept file says why; what static analysis cannot see
(dlopen, scripts' child programs) is reported as a risk. One layer, sorted, ownership and modes
and mtimes as in the source (clamped to the created time): the same input gives a
byte-identical image.
${IMAGE_ARGUMENT_HELP}

Options:
  -o, --output OUT          where to write the image (a file, or a directory for oci-layout;
                            an existing OCI layout gains the image beside the others), or
                            docker://HOST/REPO[:TAG] to push it (an OCI image; the pushed
                            digest is printed on stderr)
  -f, --format FORMAT       the image format: docker-archive, oci-layout or oci-archive
                            (default: the input's, except that OUT named *.tar from an OCI
                            layout writes an oci-archive); and/or the report format: text or json
                            (default: the terminal UI on a terminal, else text: before →
                            after, risks, output and kept files; json holds the whole
                            analysis). Repeatable.
  --compress ALGO           gzip (default), zstd or none
  --keep PATH_OR_GLOB       also keep this path (a directory keeps its subtree; ELF files keep
                            their closures); * and ? match within a name, ** across names,
                            [...] a class, {a,b} alternatives (as policy paths:). Repeatable.
  --entrypoint PROGRAM      run PROGRAM instead of the image's Entrypoint, and clear Cmd (as
                            docker run --entrypoint does); a JSON array gives arguments too:
                            '["/app/server","--port","80"]'
  --tag NAME:TAG            name the image (docker-archive: a Docker reference; OCI: ref.name);
                            default: the source's tag (OCI: its tag part, else 'latest';
                            docker-archive: untagged when the source has no name:tag)
  --audit FILE              write every file of the source, kept or dropped, with its reasons,
                            as JSON ('imgslim schema audit' prints its JSON Schema)
  --force                   write the image even when its entrypoint could not start (by
                            default slim refuses: exit 1, nothing written)
  --dry-run                 show the plan (kept files, reasons, sizes) and write no image; the
                            compressed size after is then an estimate (≈, the source's ratio)
  --image SELECTOR          pick one image of several: name:tag, @N, or an OCI ref.name
  --platform OS/ARCH        pick a platform of a multi-platform index
  --probe 'CMD'             run CMD (shell words; the program looked up in the image's PATH,
                            with its Env, WorkingDir and User) in a sandbox of the original
                            image under strace, and keep every path it used; then run it on
                            the slimmed image and compare exit code and stdout. Repeatable.
                            Needs root, util-linux, iproute2 and strace.
  --probe-http PORT[/PATH]  start the Entrypoint+Cmd the same way, GET /PATH from 127.0.0.1:PORT
                            inside its network namespace, stop it with SIGTERM; compare status
                            and body digest on the slimmed image. Repeatable.
  --probe-timeout SECONDS   how long a probe may run or wait for its port (default 30)
  --no-verify               keep what the probes used, skip running them on the slimmed image
  --keep-unprobed           with probes, also keep the programs and plugins static rules add for
                            a program the probes ran but that it never used (its package's other
                            helpers, the other plugins of a plugin directory, the programs its
                            strings name); by default they are left out, each group as a risk
${REGISTRY_HELP}
  --tui / --no-tui          force / never show the terminal UI
  -q, --quiet               no progress on stderr (nor the probe and verification lines)
  --debug                   stack traces on errors

Environment: SOURCE_DATE_EPOCH sets the image's created time and clamps every mtime to it
(default: the source image's created time).

${EXIT_CODES_HELP}
`;

export const slimCommand: Command = {
  name: 'slim',
  summary: 'Write a minimal FROM-scratch image holding only what the entrypoint needs',
  usage,
  async run(argv, io) {
    const { values, positionals } = parseCommandArgs('slim', argv, {
      output: { type: 'string', short: 'o' },
      format: { type: 'string', short: 'f', multiple: true },
      compress: { type: 'string' },
      keep: { type: 'string', multiple: true },
      entrypoint: { type: 'string' },
      tag: { type: 'string' },
      audit: { type: 'string' },
      'dry-run': { type: 'boolean' },
      image: { type: 'string' },
      platform: { type: 'string' },
      ...REGISTRY_OPTIONS,
      tui: { type: 'boolean' },
      'no-tui': { type: 'boolean' },
      quiet: { type: 'boolean', short: 'q' },
      force: { type: 'boolean' },
      probe: { type: 'string', multiple: true },
      'probe-http': { type: 'string', multiple: true },
      'probe-timeout': { type: 'string' },
      'no-verify': { type: 'boolean' },
      'keep-unprobed': { type: 'boolean' },
    });
    if (positionals.length !== 1) throw new UsageError(`slim: expected one IMAGE, got ${positionals.length} (see 'imgslim slim --help')`);
    const dryRun = values['dry-run'] ?? false;
    if (!dryRun && !values.output) throw new UsageError("slim: -o OUT is required (or --dry-run to only show the plan)");
    if (values.output === '-') throw new UsageError('slim: the image cannot be written to stdout; give -o a path');
    const formats = splitFormats(values.format ?? []);
    const input = positionals[0]!;
    const pushing = values.output !== undefined && isRegistryArgument(values.output);
    if (pushing && formats.image !== undefined) throw new UsageError('slim: -o docker://… pushes an OCI image; -f docker-archive/oci-layout/oci-archive is for files');
    const options: SlimOptions = {
      keep: values.keep ?? [],
      force: values.force ?? false,
      entrypoint: values.entrypoint === undefined ? undefined : parseEntrypoint(values.entrypoint),
      sourceDateEpoch: sourceDateEpoch(io.env.SOURCE_DATE_EPOCH),
      output: dryRun
        ? undefined
        : {
            path: pushing ? values.output! : path.resolve(io.cwd, values.output!),
            format: formats.image,
            compression: oneOf('slim', 'compress', values.compress, COMPRESSIONS, 'gzip') as SlimCompression,
            tag: values.tag ?? null,
            registry: registryAccess(values, io),
          },
    };
    checkKeepPatterns(values.keep ?? []);
    if (dryRun) oneOf('slim', 'compress', values.compress, COMPRESSIONS, 'gzip');
    if (options.output && !pushing) checkOutput(options.output.path, formats.image, options.output.tag ?? null, imagePath(input, io));
    const auditPath = values.audit === undefined ? undefined : path.resolve(io.cwd, values.audit);
    checkOutputPaths(
      'slim',
      [
        ...(options.output && !pushing ? [{ option: '-o', path: options.output.path, shown: values.output, layout: mayBeLayout(options.output.path, formats.image, imagePath(input, io)) }] : []),
        ...(auditPath ? [{ option: '--audit', path: auditPath, shown: values.audit }] : []),
      ],
      [{ option: 'IMAGE', path: imagePath(input, io), shown: input }],
    );
    // All outputs or none: an image written for an audit that then cannot be written is removed.
    const imageExisted = options.output && !pushing ? existsSync(options.output.path) : true;
    const probes = probeSession(values, io);
    if (pushing && probes?.verify) throw new UsageError('slim: probe verification runs the slimmed image from a file; write it to a file, or give --no-verify to push');

    const progress = createProgress(io, { quiet: values.quiet ?? false });
    const abort = new AbortController();
    const interrupt = () => abort.abort();
    process.once('SIGINT', interrupt);
    process.once('SIGTERM', interrupt);
    try {
      const analysis = await inspectImageArg(input, values, io, progress);
      try {
        const config = analysis.image.config.config ?? {};
        const entrypoint = options.entrypoint ?? [...(config.Entrypoint ?? []), ...(config.Cmd ?? [])];
        const probed = probes ? await probeOriginal(probes, analysis, entrypoint, abort.signal) : null;
        if (probed) {
          options.extraPaths = probed.extraPaths;
          options.narrowToProbes = !values['keep-unprobed'];
        }
        collectAnalysisGarbage();
        const target = options.output?.path;
        const staged = probes?.verify && target ? stagingPath(target, outputFormat(options.output?.format, analysis.image.format, target)) : null;
        const result = await slimAnalysis(analysis, { ...options, ...(staged && options.output ? { output: { ...options.output, path: staged } } : {}), progress, signal: abort.signal });
        if (staged && target && probes && probed) await verifySlimmed(probes, probed.runs, staged, target, options.entrypoint ?? null, abort.signal);
        if (result.output && values.output) result.output.path = values.output;
        if (result.summary.output && values.output) result.summary.output.path = values.output;
        if (values.audit) {
          const audit = buildAudit(analysis, result.plan, options, result.output);
          if (probed) audit.probes = auditProbes(probed.runs, staged ? true : null);
          await writeFileAtomic(auditPath!, `${JSON.stringify(audit, null, 2)}\n`).catch(async (error: unknown) => {
            if (!imageExisted && options.output) await rm(options.output.path, { recursive: true, force: true });
            throw error;
          });
        }
        progress.close();
        await presentReport(slimReport(analysis.report, result), io, {
          tui: values.tui ? true : values['no-tui'] ? false : undefined,
          format: formats.report,
          text: 'slim',
        });
        if (pushing && result.output) io.stderr.write(`imgslim: pushed ${values.output}@${result.output.manifestDigest}\n`);
        return ExitCode.ok;
      } finally {
        await analysis.image.close();
      }
    } catch (error) {
      if (abort.signal.aborted) {
        io.stderr.write('imgslim: slim: interrupted; no image was written\n');
        return ExitCode.interrupted;
      }
      // The disk filling up (or failing) while the image is written: exit 2, one sentence (temporaries are already removed).
      if (values.output && isSystemError(error) && OUTPUT_ERRNOS.has(error.code)) {
        throw new UsageError(`slim: cannot write ${values.output}: ${systemErrorText(error)}`, { code: 'E_OUTPUT', cause: error });
      }
      throw error;
    } finally {
      progress.close();
      process.off('SIGINT', interrupt);
      process.off('SIGTERM', interrupt);
    }
  },
};

/**
 * One full collection between the analysis and the writing: the scan's transient buffers are
 * dead by then, and without it V8 keeps them while the writer's own read and zlib buffers pile
 * up, which measured 193-235 MB peak RSS on the bench image instead of 175-186 MB (35 ms).
 * V8 exposes `gc` to a new context once the flag is set, so no `--expose-gc` on the command line.
 */
function collectAnalysisGarbage(): void {
  setFlagsFromString('--expose-gc');
  (runInNewContext('gc') as () => void)();
}

/** Whether -o may be an OCI layout directory (which may be the input layout itself, gaining the image). */
function mayBeLayout(output: string, format: WriteFormat | undefined, input: string): boolean {
  if (format !== undefined) return format === 'oci-layout';
  return !output.toLowerCase().endsWith('.tar') && input !== '-' && statSync(input, { throwIfNoEntry: false })?.isDirectory() === true;
}

/** `--format` takes image formats and report formats (their names never overlap), at most one of each. */
function splitFormats(values: string[]): { image?: WriteFormat; report?: 'text' | 'json' } {
  const result: { image?: WriteFormat; report?: 'text' | 'json' } = {};
  for (const value of values) {
    if ((IMAGE_FORMATS as readonly string[]).includes(value)) {
      if (result.image && result.image !== value) throw new UsageError(`slim: two image formats given (${result.image}, ${value})`);
      result.image = value as WriteFormat;
    } else if ((REPORT_FORMATS as readonly string[]).includes(value)) {
      if (result.report && result.report !== value) throw new UsageError(`slim: two report formats given (${result.report}, ${value})`);
      result.report = value as 'text' | 'json';
    } else {
      throw new UsageError(`slim: --format must be one of ${[...IMAGE_FORMATS, ...REPORT_FORMATS].join(', ')} (got '${value}')`);
    }
  }
  return result;
}

/** A JSON array of strings, or one program path (as `docker run --entrypoint` takes it). */
export function parseEntrypoint(value: string): string[] {
  const trimmed = value.trim();
  if (!trimmed.startsWith('[')) {
    if (trimmed === '') throw new UsageError('slim: --entrypoint needs a program');
    return [value];
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(trimmed);
  } catch (error) {
    throw new UsageError(`slim: --entrypoint ${value}: not a JSON array (${(error as Error).message})`, { cause: error });
  }
  if (!Array.isArray(parsed) || parsed.length === 0 || !parsed.every((item) => typeof item === 'string') || parsed[0] === '') {
    throw new UsageError(`slim: --entrypoint ${value}: expected a non-empty JSON array of strings`);
  }
  return parsed as string[];
}

function sourceDateEpoch(value: string | undefined): number | undefined {
  if (value === undefined || value === '') return undefined;
  if (!/^\d+$/.test(value)) throw new UsageError(`SOURCE_DATE_EPOCH must be a whole number of seconds since 1970 (got '${value}')`);
  return Number(value);
}


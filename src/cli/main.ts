/**
 * Entry point: dispatches to a subcommand and maps errors to exit codes. The only place
 * that turns an exception into a one-line message (a stack trace only with --debug).
 */
import { ExitCode, exitCodeOf, isImgslimError } from '../shared/errors.js';
import type { Command } from './command.js';
import { processIO, stdoutExitCode, type CliIO } from './io.js';
import { VERSION } from '../shared/version.js';
import { EXIT_CODES_HELP } from './exit-codes.js';

/** Commands load lazily so that `--help` or a JSON run never pays for the UI or other commands. */
const COMMANDS: Record<string, { summary: string; load: () => Promise<Command> }> = {
  analyze: {
    summary: 'Report layers, filesystem, every ELF binary and what will fail at run time',
    load: async () => (await import('./commands/analyze.js')).analyzeCommand,
  },
  slim: {
    summary: 'Write a minimal FROM-scratch image holding only what the entrypoint needs',
    load: async () => (await import('./commands/slim.js')).slimCommand,
  },
  check: {
    summary: 'Gate an image (or a saved report) on a policy: exit 1 when a rule fails',
    load: async () => (await import('./commands/check.js')).checkCommand,
  },
  diff: {
    summary: 'Compare two images: files, binaries, packages, size and efficiency',
    load: async () => (await import('./commands/diff.js')).diffCommand,
  },
  elf: {
    summary: 'Print the ELF analysis of files on disk (dependencies resolved against --root)',
    load: async () => (await import('./commands/elf.js')).elfCommand,
  },
  schema: {
    summary: 'Print the JSON Schema of the report, the policy file, the slim audit or the diff',
    load: async () => (await import('./commands/schema.js')).schemaCommand,
  },
};

export function renderMainHelp(): string {
  const width = Math.max(...Object.keys(COMMANDS).map((name) => name.length));
  const lines = Object.entries(COMMANDS).map(([name, c]) => `  ${name.padEnd(width)}  ${c.summary}`);
  return `imgslim ${VERSION}: what native code is inside a container image, whether it will run, and a slimmer image

Usage: imgslim <command> [options]

Commands:
${lines.join('\n')}

Run 'imgslim <command> --help' for a command's options.
Global options: --debug (show stack traces), --version, --help

${EXIT_CODES_HELP}
`;
}

export async function runCli(argv: string[], io: CliIO = processIO()): Promise<number> {
  const debug = argv.includes('--debug') || io.env.IMGSLIM_DEBUG === '1';
  const args = argv.filter((arg) => arg !== '--debug');
  const [name, ...rest] = args;
  try {
    if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
      const topic = name === 'help' ? rest[0] : undefined;
      if (topic && COMMANDS[topic]) {
        io.stdout.write((await COMMANDS[topic].load()).usage);
        return ExitCode.ok;
      }
      (name === undefined ? io.stderr : io.stdout).write(renderMainHelp());
      return name === undefined ? ExitCode.usage : ExitCode.ok;
    }
    if (name === '--version' || name === '-V') {
      io.stdout.write(`${VERSION}\n`);
      return ExitCode.ok;
    }
    const entry = COMMANDS[name];
    if (!entry) {
      io.stderr.write(`imgslim: unknown command '${name}' (commands: ${Object.keys(COMMANDS).join(', ')})\n`);
      return ExitCode.usage;
    }
    const command = await entry.load();
    if (rest.includes('--help') || rest.includes('-h')) {
      io.stdout.write(command.usage);
      return ExitCode.ok;
    }
    const code = await command.run(rest, io);
    return stdoutExitCode() ?? code;
  } catch (error) {
    const closed = stdoutExitCode();
    if (closed !== undefined) return closed;
    io.stderr.write(`imgslim: ${describeError(error, debug)}\n`);
    return exitCodeOf(error);
  }
}

/** One line (the message and its causes), or the full stacks with --debug. */
export function describeError(error: unknown, debug: boolean): string {
  if (debug) return error instanceof Error ? (error.stack ?? error.message) + causeStacks(error) : String(error);
  if (!(error instanceof Error)) return String(error);
  const prefix = isImgslimError(error) ? '' : 'internal error: ';
  const suffix = isImgslimError(error) ? '' : ' (run with --debug for details and please report it)';
  return `${prefix}${oneLine(error.message)}${suffix}`;
}

function causeStacks(error: Error): string {
  let text = '';
  for (let cause = error.cause; cause instanceof Error; cause = cause.cause) {
    text += `\ncaused by: ${cause.stack ?? cause.message}`;
  }
  return text;
}

function oneLine(message: string): string {
  return message.replace(/\s*\n\s*/g, '; ');
}

/**
 * Behaving like a Unix tool: a reader that goes away early (`| head`) ends the run quietly with
 * 141, every error is one sentence with its documented exit code, and the exit codes in --help
 * and README.md agree.
 */
import { spawn } from 'node:child_process';
import { PassThrough } from 'node:stream';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, test } from 'vitest';
import { ExitCode } from '../../src/cli/exit-codes.js';
import { EXIT_CODES_HELP } from '../../src/cli/exit-codes.js';
import { runCli } from '../../src/cli/main.js';
import { ensureBuilt } from '../helpers/build.js';
import { runCliBinary, runCliInProcess } from '../helpers/cli.js';
import { repoRoot } from '../helpers/peer-corpus.js';
import { scratch } from '../slim/_support.js';

const sample = (name: string) => path.join(repoRoot, 'samples', name);

function expectOneSentence(stderr: string, pattern: RegExp) {
  expect(stderr).toMatch(pattern);
  expect(stderr.trim().split('\n')).toHaveLength(1);
  expect(stderr).not.toMatch(/\n\s+at |E[A-Z]{3,}\b/);
}

/** Runs the built binary with stdout a pipe the test closes before reading anything. */
function runWithClosedStdout(args: string[], cwd = repoRoot): Promise<{ code: number | null; signal: string | null; stderr: string }> {
  ensureBuilt();
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [path.join(repoRoot, 'bin', 'imgslim.js'), ...args], { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout.destroy();
    let stderr = '';
    child.stderr.on('data', (chunk) => (stderr += String(chunk)));
    child.on('error', reject);
    child.on('close', (code, signal) => resolve({ code, signal, stderr }));
  });
}

describe('a closed stdout ends the run quietly', () => {
  beforeAll(() => ensureBuilt(), 300_000);
  const cases: Array<[string, string[]]> = [
    ['analyze text', ['analyze', sample('glibc-apps.tar'), '-f', 'text', '-q']],
    ['analyze json', ['analyze', sample('glibc-apps.tar'), '-f', 'json', '-q']],
    ['check', ['check', sample('glibc-apps.tar'), '-q']],
    ['elf', ['elf', '/bin/ls', '/bin/cat', '-f', 'json']],
  ];
  test.each(cases)('%s', async (_name, args) => {
    const result = await runWithClosedStdout(args);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(ExitCode.closedPipe);
  });

  test('analyze --report and slim -f json', async () => {
    const dir = scratch('cli/epipe');
    const report = runCliBinary(['analyze', sample('glibc-apps.tar'), '-f', 'json', '-q']);
    expect(report.code).toBe(0);
    writeFileSync(path.join(dir, 'report.json'), report.stdout);
    const fromReport = await runWithClosedStdout(['analyze', '--report', 'report.json', '-f', 'text'], dir);
    expect([fromReport.code, fromReport.stderr]).toEqual([ExitCode.closedPipe, '']);
    const slim = await runWithClosedStdout(['slim', sample('static-oci'), '-o', 'out.tar', '-f', 'json', '-q'], dir);
    expect([slim.code, slim.stderr]).toEqual([ExitCode.closedPipe, '']);
  });
});

describe('errors are one sentence with the documented code', () => {
  test('a missing --report file and a missing image: exit 3, the same words', async () => {
    const image = await runCliInProcess(['analyze', '/nonexistent/image.tar']);
    const report = await runCliInProcess(['analyze', '--report', '/nonexistent/report.json']);
    const checked = await runCliInProcess(['check', '--report', '/nonexistent/report.json', '-q']);
    for (const result of [image, report, checked]) {
      expect(result.code).toBe(ExitCode.input);
      expectOneSentence(result.stderr, /^imgslim: \/nonexistent\/\w+\.(tar|json): no such file or directory\n$/);
    }
  });

  test('elf: a file that is not ELF exits 3; -q is accepted', async () => {
    const dir = scratch('cli/elf-q');
    writeFileSync(path.join(dir, 'notes.txt'), 'plain text\n');
    const result = await runCliInProcess(['elf', '-q', path.join(dir, 'notes.txt')]);
    expect(result.code).toBe(ExitCode.input);
    expectOneSentence(result.stderr, /notes\.txt: not an ELF file/);
    expect((await runCliInProcess(['elf', '-q', '/bin/ls'])).code).toBe(0);
  });

  test('check --report with --image or --platform is a usage error', async () => {
    for (const option of [['--image', 'foo'], ['--platform', 'linux/arm64']]) {
      const result = await runCliInProcess(['check', '--report', 'report.json', ...option, '-q']);
      expect(result.code).toBe(ExitCode.usage);
      expectOneSentence(result.stderr, new RegExp(`check: ${option[0]} selects an image to read; a --report has none`));
    }
  });

  test('the exit codes in --help are the ones README.md documents, and every ExitCode is in both', () => {
    const help = new Map([...EXIT_CODES_HELP.matchAll(/^ {2}(\d+)\s+(.*)$/gm)].map((match) => [Number(match[1]), match[2]]));
    const readme = readFileSync(path.join(repoRoot, 'README.md'), 'utf8');
    const table = new Set([...readme.matchAll(/^\| (\d+) \|/gm)].map((match) => Number(match[1])));
    expect([...table].sort((a, b) => a - b)).toEqual([...help.keys()].sort((a, b) => a - b));
    for (const code of Object.values(ExitCode)) expect(help.has(code), `exit code ${code}`).toBe(true);
    for (const code of [5, 130, 141]) expect(help.has(code)).toBe(true);
  });
});

/** The CLI in-process with stdout a terminal (or not), to see its colour decision. */
async function runOn(terminal: boolean, args: string[], env: NodeJS.ProcessEnv, cwd: string): Promise<{ code: number; stdout: string }> {
  let stdout = '';
  const stdin = Object.assign(new PassThrough(), { isTTY: terminal });
  stdin.end();
  const stream = (write: (text: string) => void) => ({ write: (chunk: string | Uint8Array) => (write(String(chunk)), true), isTTY: terminal, columns: 100 });
  const code = await runCli(args, { stdout: stream((text) => (stdout += text)), stderr: stream(() => undefined), stdin, env, cwd });
  return { code, stdout };
}

describe('check colours its text as analyze does', () => {
  test('on a terminal; never with NO_COLOR or off a terminal; always with FORCE_COLOR', async () => {
    const dir = scratch('cli/check-colour');
    const report = await runCliInProcess(['analyze', sample('static-oci'), '-f', 'json', '-q']);
    writeFileSync(path.join(dir, 'report.json'), report.stdout);
    const args = ['check', '--report', 'report.json', '--rule', 'entrypoint-static', '-q', '--no-tui'];
    const green = '\x1b[32mPASS\x1b[0m';
    const onTerminal = await runOn(true, args, {}, dir);
    expect(onTerminal.code).toBe(0);
    expect(onTerminal.stdout).toContain(`  ${green}  entrypoint-static`);
    expect(onTerminal.stdout).toContain(`Result: ${green}`);
    expect((await runOn(true, args, { NO_COLOR: '1' }, dir)).stdout).not.toContain('\x1b[');
    expect((await runOn(true, args, { TERM: 'dumb' }, dir)).stdout).not.toContain('\x1b[');
    expect((await runOn(false, args, {}, dir)).stdout).not.toContain('\x1b[');
    expect((await runOn(false, args, { FORCE_COLOR: '1', NO_COLOR: '1' }, dir)).stdout).toContain(green);
    // A results file is never coloured.
    expect((await runOn(true, [...args, '-o', 'results.txt'], { FORCE_COLOR: '1' }, dir)).code).toBe(0);
    expect(readFileSync(path.join(dir, 'results.txt'), 'utf8')).not.toContain('\x1b[');
  });
});

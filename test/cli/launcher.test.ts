/**
 * bin/imgslim.js answers --version/-V itself, before the CLI's modules load (issue 13: start-up
 * time), with the output and exit code runCli gives; anything else still reaches runCli.
 */
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, openSync, closeSync, rmSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, test } from 'vitest';
import { ExitCode } from '../../src/cli/exit-codes.js';
import { runCliBinary, runCliInProcess } from '../helpers/cli.js';
import { repoRoot } from '../helpers/peer-corpus.js';
import { testTmp } from '../helpers/tools.js';

describe('bin/imgslim.js --version', () => {
  test.each(['--version', '-V', '--debug --version', '--version --debug', '-V ignored'])('imgslim %s prints what runCli prints', async (args) => {
    const argv = args.split(' ');
    const launcher = runCliBinary(argv);
    const inProcess = await runCliInProcess(argv);
    expect(launcher).toEqual(inProcess);
    expect(launcher.stdout).toMatch(/^\d+\.\d+\.\d+\S*\n$/);
  });

  test('needs no built CLI: the launcher and package.json alone answer it', () => {
    const dir = testTmp('launcher', String(process.pid));
    rmSync(dir, { recursive: true, force: true });
    mkdirSync(path.join(dir, 'bin'), { recursive: true });
    copyFileSync(path.join(repoRoot, 'bin', 'imgslim.js'), path.join(dir, 'bin', 'imgslim.js'));
    copyFileSync(path.join(repoRoot, 'package.json'), path.join(dir, 'package.json'));
    try {
      const version = spawnSync(process.execPath, [path.join(dir, 'bin', 'imgslim.js'), '--version'], { encoding: 'utf8' });
      expect([version.status, version.stderr]).toEqual([0, '']);
      expect(version.stdout).toBe(runCliBinary(['--version']).stdout);
      // Any other argument needs dist/: proof that --version did not load it.
      const help = spawnSync(process.execPath, [path.join(dir, 'bin', 'imgslim.js'), '--help'], { encoding: 'utf8' });
      expect(help.status).not.toBe(0);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('a full stdout is reported as every command reports it: one sentence, exit 2', () => {
    const full = openSync('/dev/full', 'w');
    try {
      const result = spawnSync(process.execPath, [path.join(repoRoot, 'bin', 'imgslim.js'), '--version'], { stdio: ['ignore', full, 'pipe'], encoding: 'utf8' });
      expect([result.status, result.stderr]).toEqual([ExitCode.usage, 'imgslim: cannot write to stdout: no space left on device\n']);
    } finally {
      closeSync(full);
    }
  });
});

/**
 * Outputs never touch inputs or each other, every output is checked before anything is written,
 * and a run writes all its outputs or none.
 */
import { copyFileSync, existsSync, mkdirSync, readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { describe, expect, test } from 'vitest';
import { ensureBuilt } from '../helpers/build.js';
import { hasTool, isRoot } from '../helpers/tools.js';
import { ExitCode } from '../../src/cli/exit-codes.js';
import { runCliInProcess } from '../helpers/cli.js';
import { repoRoot } from '../helpers/peer-corpus.js';
import { scratch } from '../slim/_support.js';

const sample = (name: string) => path.join(repoRoot, 'samples', name);

function expectOneSentence(stderr: string, pattern: RegExp) {
  expect(stderr).toMatch(pattern);
  expect(stderr.trim().split('\n')).toHaveLength(1);
  expect(stderr).not.toMatch(/\n\s+at |\bE[A-Z]{3,}\b/);
}

describe('slim outputs', () => {
  test('--audit naming the input image is refused and the image is untouched', async () => {
    const dir = scratch('cli/audit-input');
    copyFileSync(sample('glibc-apps.tar'), path.join(dir, 'image.tar'));
    const before = readFileSync(path.join(dir, 'image.tar'));
    const result = await runCliInProcess(['slim', 'image.tar', '-o', 'out.tar', '--audit', 'image.tar', '-q'], { cwd: dir });
    expect(result.code).toBe(ExitCode.usage);
    expectOneSentence(result.stderr, /--audit image\.tar would overwrite the input/);
    expect(readFileSync(path.join(dir, 'image.tar')).equals(before)).toBe(true);
    expect(readdirSync(dir)).toEqual(['image.tar']);
  });

  test('-o and --audit at the same path are refused', async () => {
    const dir = scratch('cli/audit-same');
    const result = await runCliInProcess(['slim', sample('glibc-apps.tar'), '-o', 'out.tar', '--audit', './out.tar', '-q'], { cwd: dir });
    expect(result.code).toBe(ExitCode.usage);
    expectOneSentence(result.stderr, /are the same place/);
  });

  test.each(['/proc/x.tar', '/sys/x.tar'])('-o %s is exit 2 with one sentence', async (output) => {
    const result = await runCliInProcess(['slim', sample('static-oci'), '-o', output, '-q']);
    expect(result.code).toBe(ExitCode.usage);
    expectOneSentence(result.stderr, new RegExp(`cannot write -o ${output.replace('.', '\\.')}: cannot create a file in /(proc|sys)`));
  });

  test('--audit into /proc fails before the image is written: nothing is left behind', async () => {
    const dir = scratch('cli/audit-proc');
    const result = await runCliInProcess(['slim', sample('glibc-apps.tar'), '-o', 'a.tar', '--audit', '/proc/a.json', '-q'], { cwd: dir });
    expect(result.code).toBe(ExitCode.usage);
    expectOneSentence(result.stderr, /cannot write --audit \/proc\/a\.json/);
    expect(readdirSync(dir)).toEqual([]);
  });

  test('-o naming a directory for a file output is a usage sentence, not EISDIR', async () => {
    const dir = scratch('cli/audit-dir');
    mkdirSync(path.join(dir, 'sub'));
    const result = await runCliInProcess(['slim', sample('glibc-apps.tar'), '-o', 'a.tar', '--audit', 'sub', '-q'], { cwd: dir });
    expect(result.code).toBe(ExitCode.usage);
    expectOneSentence(result.stderr, /it is a directory; give a file name/);
    // A directory apart from the input: with the checkout under /tmp, `-o /tmp` would hold the input.
    const checked = await runCliInProcess(['check', sample('glibc-apps.tar'), '-o', 'sub', '-q'], { cwd: dir });
    expect(checked.code).toBe(ExitCode.usage);
    expectOneSentence(checked.stderr, /check: cannot write -o sub: it is a directory/);
    expect(existsSync(path.join(dir, 'a.tar'))).toBe(false);
  });
});

const canMount = isRoot('the disk-full test (a small tmpfs in a private mount namespace)') && hasTool('unshare');

describe.skipIf(!canMount)('a full disk', () => {
  test('slim into a 64 KiB tmpfs: exit 2, "no space left on device", nothing left behind', () => {
    ensureBuilt();
    const dir = scratch('cli/disk-full');
    const script = `mount -t tmpfs -o size=64k none "$1" && "$2" "$3" slim "$4" -o "$1/out.tar" -q -f json; code=$?; ls -A "$1"; exit $code`;
    const result = spawnSync('unshare', ['-m', 'sh', '-c', script, 'sh', dir, process.execPath, path.join(repoRoot, 'bin', 'imgslim.js'), sample('glibc-apps.tar')], { encoding: 'utf8', timeout: 120_000 });
    expect(result.status).toBe(ExitCode.usage);
    expectOneSentence(result.stderr, /^imgslim: slim: cannot write .*out\.tar: no space left on device\n$/);
    expect(result.stdout).toBe('');
  }, 300_000);
});

/**
 * samples/verify.sh checks every fact samples/README.md states about the sample images with
 * tools independent of imgslim (skopeo, umoci, readelf, tar, python3, chroot). It runs here, so
 * the tests (and CI) fail when a sample or its README drifts; and a sample swapped for another
 * makes it fail with exit 1 and FAIL lines, not pass quietly.
 */
import { spawnSync } from 'node:child_process';
import { copyFileSync, cpSync, mkdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { repoRoot } from '../helpers/peer-corpus.js';
import { hasTool, isRoot, testTmp } from '../helpers/tools.js';

const TOOLS = ['umoci', 'skopeo', 'tar', 'readelf', 'chroot', 'python3'];
const ready = TOOLS.every((tool) => hasTool(tool, 'samples/verify.sh')) && isRoot('samples/verify.sh');
const scratch = testTmp('samples', `verify-${process.pid}`);

function verify(samples: string): { status: number | null; stdout: string; stderr: string } {
  mkdirSync(scratch, { recursive: true });
  const run = spawnSync('bash', [path.join(samples, 'verify.sh')], { encoding: 'utf8', env: { ...process.env, TMPDIR: scratch }, timeout: 300_000 });
  if (run.error) throw run.error;
  return { status: run.status, stdout: run.stdout, stderr: run.stderr };
}

describe.skipIf(!ready)('samples/verify.sh', () => {
  afterAll(() => rmSync(scratch, { recursive: true, force: true }));

  test('every fact samples/README.md states holds', () => {
    const run = verify(path.join(repoRoot, 'samples'));
    expect(run.stdout.split('\n').filter((line) => line.startsWith('FAIL'))).toEqual([]);
    expect(run.stdout).toContain('verify.sh: every fact holds');
    expect(run.stdout.split('\n').filter((line) => line.startsWith('ok ')).length).toBeGreaterThanOrEqual(70);
    expect(run.status, run.stderr).toBe(0);
  }, 300_000);

  test('a sample that is not what the README says fails the script with exit 1', () => {
    const copy = path.join(scratch, 'samples-swapped');
    cpSync(path.join(repoRoot, 'samples'), copy, { recursive: true });
    copyFileSync(path.join(repoRoot, 'samples', 'musl-dynamic.tar'), path.join(copy, 'glibc-dynamic.tar'));
    const run = verify(copy);
    expect(run.stdout).toMatch(/^FAIL glibc: /m);
    expect(run.stdout).toMatch(/verify\.sh: \d+ fact\(s\) FAILED/);
    expect(run.status).toBe(1);
  }, 300_000);
});

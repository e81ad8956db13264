import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { expect, test } from 'vitest';
import { repoRoot } from './helpers/peer-corpus.js';

test('the whole project type-checks under strict settings', () => {
  const tsc = path.join(repoRoot, 'node_modules', 'typescript', 'bin', 'tsc');
  const run = spawnSync(process.execPath, [tsc, '-p', 'tsconfig.json', '--noEmit'], { cwd: repoRoot, encoding: 'utf8' });
  // tsc must have started and finished: a missing compiler or a crash is a failure, not silence.
  expect(run.error).toBeUndefined();
  expect(`${run.stdout}${run.stderr}`).toBe('');
  expect(run.status).toBe(0);
}, 180_000);

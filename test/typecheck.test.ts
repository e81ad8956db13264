import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { expect, test } from 'vitest';
import { repoRoot } from './helpers/peer-corpus.js';

test('the whole project type-checks under strict settings', () => {
  const tsc = path.join(repoRoot, 'node_modules', 'typescript', 'bin', 'tsc');
  let output = '';
  try {
    execFileSync(process.execPath, [tsc, '-p', 'tsconfig.json', '--noEmit'], { cwd: repoRoot, stdio: 'pipe' });
  } catch (error) {
    output = String((error as { stdout?: Buffer }).stdout ?? error);
  }
  expect(output).toBe('');
}, 180_000);

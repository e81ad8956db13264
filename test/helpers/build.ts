/** Builds dist/ from src/ when it is stale (`npm run build`: tsc, then the bundle bin/imgslim.js runs), once, safely across parallel test workers. */
import { execFileSync } from 'node:child_process';
import { mkdirSync, readdirSync, rmSync, statSync, writeFileSync, existsSync } from 'node:fs';
import path from 'node:path';
import { repoRoot } from './peer-corpus.js';

const stamp = path.join(repoRoot, 'dist', '.build-stamp');
const lock = path.join(repoRoot, 'dist.lock');

function newestMtime(dir: string): number {
  let newest = 0;
  for (const name of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, name.name);
    newest = Math.max(newest, name.isDirectory() ? newestMtime(full) : statSync(full).mtimeMs);
  }
  return newest;
}

function isFresh(): boolean {
  return existsSync(stamp) && statSync(stamp).mtimeMs >= newestMtime(path.join(repoRoot, 'src'));
}

export function ensureBuilt(): void {
  if (isFresh()) return;
  for (let attempt = 0; ; attempt++) {
    try {
      mkdirSync(lock);
      break;
    } catch {
      if (attempt > 600) throw new Error('timed out waiting for another worker to build dist/');
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 200);
      if (isFresh()) return;
    }
  }
  try {
    if (isFresh()) return;
    try {
      execFileSync(process.execPath, [path.join(repoRoot, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', 'tsconfig.build.json'], {
        cwd: repoRoot,
        stdio: 'pipe',
      });
    } catch (error) {
      // Type errors still emit JavaScript; the typecheck test reports them.
      if (!existsSync(path.join(repoRoot, 'dist', 'cli', 'main.js'))) throw error;
    }
    execFileSync(process.execPath, [path.join(repoRoot, 'scripts', 'bundle.mjs')], { cwd: repoRoot, stdio: 'pipe' });
    writeFileSync(stamp, '');
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
}

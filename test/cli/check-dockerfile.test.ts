/**
 * The Dockerfile, verified without a Docker engine: its RUN steps are the commands CI runs
 * (.ci/run) and this test runs; its COPY steps fit the .dockerignore allowlist; and the
 * runtime stage's content (a build, then `npm prune --omit=dev`, in a copy of the context)
 * runs `imgslim check` on real sample images as an unprivileged user, native addon included.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { ensureBuilt } from '../helpers/build.js';
import { repoRoot } from '../helpers/peer-corpus.js';
import { missingPrerequisite, testTmp } from '../helpers/tools.js';

const dockerfile = readFileSync(path.join(repoRoot, 'Dockerfile'), 'utf8');
const instructions = dockerfile
  .replace(/\\\n/g, ' ')
  .split('\n')
  .map((line) => line.trim())
  .filter((line) => line !== '' && !line.startsWith('#'));

function args(keyword: string): string[] {
  return instructions.filter((line) => line.startsWith(`${keyword} `)).map((line) => line.slice(keyword.length + 1).replace(/\s+/g, ' ').trim());
}

describe('Dockerfile', () => {
  test('its RUN steps are the commands CI and this test run', () => {
    const runs = args('RUN').map((run) => run.replace(/^(--mount=\S+ )+/, ''));
    expect(runs).toEqual([
      'apt-get update && apt-get install -y --no-install-recommends python3 make g++ libisal-dev && rm -rf /var/lib/apt/lists/*',
      'npm ci --no-audit --no-fund',
      'npm prune --omit=dev --no-audit --no-fund',
      'apt-get update && apt-get install -y --no-install-recommends libisal2 && rm -rf /var/lib/apt/lists/*',
    ]);
    expect(readFileSync(path.join(repoRoot, '.ci', 'run'), 'utf8')).toContain('npm ci --no-audit --no-fund');
  });

  test('multi-stage, non-root, imgslim as the entrypoint', () => {
    expect(args('FROM')).toEqual(['${NODE_IMAGE} AS build', '${NODE_IMAGE}']);
    expect(args('ARG')).toEqual(['NODE_IMAGE=node:20-bookworm-slim']);
    expect(args('USER')).toEqual(['node']);
    expect(args('ENTRYPOINT')).toEqual(['["node", "/opt/imgslim/bin/imgslim.js"]']);
  });

  test('every file the build stage copies passes the .dockerignore allowlist', () => {
    const allowed = readFileSync(path.join(repoRoot, '.dockerignore'), 'utf8')
      .split('\n')
      .filter((line) => line.startsWith('!'))
      .map((line) => line.slice(1).replace(/\/$/, ''));
    const copied = args('COPY')
      .filter((copy) => !copy.startsWith('--from='))
      .flatMap((copy) => copy.split(' ').slice(0, -1))
      .map((file) => file.replace(/\/$/, ''));
    expect(copied.sort()).toEqual(allowed.sort());
    for (const file of copied) expect(existsSync(path.join(repoRoot, file)), file).toBe(true);
  });
});

describe('the runtime stage, built as the Dockerfile builds it', () => {
  let app = '';

  beforeAll(() => {
    // `npm ci` (run by CI on this checkout) installed node_modules and its `prepare` step is `npm run build`.
    ensureBuilt();
    mkdirSync(testTmp('policy'), { recursive: true });
    app = mkdtempSync(testTmp('policy', 'docker-'));
    for (const item of ['package.json', 'package-lock.json', 'bin', 'dist', 'node_modules', 'native/build/addon']) {
      if (item === 'native/build/addon' && !existsSync(path.join(repoRoot, item))) continue; // checked below
      cpSync(path.join(repoRoot, item), path.join(app, item), { recursive: true, verbatimSymlinks: true });
    }
    execFileSync('npm', ['prune', '--omit=dev', '--no-audit', '--no-fund'], {
      cwd: app,
      stdio: 'pipe',
      env: { ...process.env, npm_config_offline: 'true', npm_config_update_notifier: 'false' },
    });
    chmodSync(app, 0o755);
  }, 300_000);

  afterAll(() => {
    if (app) rmSync(app, { recursive: true, force: true });
  });

  test('only production dependencies remain, with the compiled zstd and ISA-L addons', () => {
    const installed = readdirSync(path.join(app, 'node_modules'));
    for (const dev of ['typescript', 'vitest', 'ajv', 'ink-testing-library', 'tar-stream', 'elfy']) expect(installed).not.toContain(dev);
    for (const prod of ['yaml', 'ink', 'react', 'zstd-napi', '@sinclair']) expect(installed).toContain(prod);
    expect(existsSync(path.join(app, 'node_modules', 'zstd-napi', 'build', 'Release', 'binding.node'))).toBe(true);
    if (!existsSync(path.join(app, 'native', 'build', 'addon'))) {
      missingPrerequisite('the ISA-L inflater is not built (npm ci with libisal-dev installed)', "the runtime stage's ISA-L check");
      return;
    }
    const inflater = execFileSync(process.execPath, ['-e', "import('./dist/archive/isal-inflater.js').then((m) => console.log(m.gzipInflaterName()))"], { cwd: app, encoding: 'utf8' });
    expect(inflater.trim()).toBe('isa-l');
    console.info(`[imgslim tests] Docker runtime stage: node_modules ${(directorySize(path.join(app, 'node_modules')) / 1e6).toFixed(1)} MB`);
  });

  const asUser = process.getuid?.() === 0 && existsSync('/usr/bin/setpriv');
  if (!asUser) console.warn('[imgslim tests] not root or no setpriv: the runtime-stage CLI runs as the current user');

  /** The runtime stage's ENV line as variables. */
  function dockerfileEnv(): Record<string, string> {
    const line = args('ENV').at(-1) ?? '';
    return Object.fromEntries(line.split(/\s+/).filter(Boolean).map((pair) => pair.split('=') as [string, string]));
  }

  function imgslim(...cliArgs: string[]) {
    // As the runtime stage's ENTRYPOINT and ENV run it.
    const node = [process.execPath, path.join(app, 'bin', 'imgslim.js'), ...cliArgs];
    const command = asUser ? ['/usr/bin/setpriv', '--reuid=1000', '--regid=1000', '--clear-groups', ...node] : node;
    const result = spawnSync(command[0]!, command.slice(1), { cwd: app, env: { PATH: process.env.PATH, ...dockerfileEnv() }, timeout: 120_000 });
    return { code: result.status, stdout: result.stdout.toString(), stderr: result.stderr.toString() };
  }

  test('the runtime ENV tunes malloc, so the launcher runs in place', () => {
    expect(dockerfileEnv()).toMatchObject({ NODE_ENV: 'production', MALLOC_ARENA_MAX: '2', MALLOC_MMAP_THRESHOLD_: '131072' });
  });

  test('runs check on sample images (gzip and zstd layers) as uid 1000', () => {
    // As `docker run -v "$PWD:/work"` mounts them: the user's files, readable by the container user.
    const work = path.join(app, 'work');
    mkdirSync(work);
    for (const sample of ['static-oci', 'layers.tar']) cpSync(path.join(repoRoot, 'samples', sample), path.join(work, sample), { recursive: true });
    execFileSync('chmod', ['-R', 'a+rX', work]);
    const passed = imgslim('check', path.join(work, 'static-oci'), '-q', '--rule', 'entrypoint-static', '--rule', 'non-root-user');
    expect(passed.stderr).toBe('');
    expect(passed.code).toBe(0);
    expect(passed.stdout).toContain('PASS  entrypoint-static');
    const failed = imgslim('check', path.join(work, 'layers.tar'), '-q', '--rule', 'no-capabilities');
    expect(failed.stderr).toBe('');
    expect(failed.code).toBe(1);
    expect(failed.stdout).toMatch(/\/usr\/local\/bin\/cap-hello has file capabilities: cap_net_bind_service[=+]ep/);
  });
});

function directorySize(dir: string): number {
  let total = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) total += directorySize(full);
    else if (entry.isFile()) total += statSync(full).size;
  }
  return total;
}

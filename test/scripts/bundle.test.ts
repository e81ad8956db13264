/**
 * dist/bundle/ (scripts/bundle.mjs), what bin/imgslim.js runs: every entry is there under its
 * own name, every file the code reaches by a relative URL names the same file from the bundle
 * as from dist/, the bundle's reports equal those of dist/'s modules loaded one by one, and a
 * checkout with no bundle gets one line and exit 2.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { beforeAll, describe, expect, test } from 'vitest';
// @ts-expect-error: a plain ESM script without type declarations
import { ENTRIES } from '../../scripts/bundle.mjs';
import { ensureBuilt } from '../helpers/build.js';
import { repoRoot } from '../helpers/peer-corpus.js';
import { testTmp } from '../helpers/tools.js';

const dist = path.join(repoRoot, 'dist');
const bundle = path.join(dist, 'bundle');

/** Files under `dir` (recursively) ending in .js. */
function scripts(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((name) => name.endsWith('.js'))
    .map((name) => path.join(dir, name));
}

/** The files a module names by `new URL('relative', import.meta.url)` or createRequire's require('relative'). */
function relativeTargets(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  const found = [
    ...text.matchAll(/new URL\((['"])(\.{1,2}\/[^'"]+)\1, import\.meta\.url\)/g),
    ...text.matchAll(/(?:\brequire\w*|createRequire\(import\.meta\.url\))\((['"])(\.{1,2}\/[^'"]+)\1\)/g),
  ].map((match) => match[2]!);
  return found.map((relative) => fileURLToPath(new URL(relative, pathToFileURL(file))));
}

/** A launcher that runs dist/cli/main.js, as bin/imgslim.js did before the bundle. */
function unbundledLauncher(): string {
  mkdirSync(testTmp('bundle'), { recursive: true });
  const launcher = path.join(mkdtempSync(testTmp('bundle', 'launcher-')), 'unbundled.mjs');
  const main = pathToFileURL(path.join(dist, 'cli', 'main.js')).href;
  writeFileSync(launcher, `const { runCli } = await import(${JSON.stringify(main)});\nprocess.exitCode = await runCli(process.argv.slice(2));\n`);
  return launcher;
}

describe('dist/bundle/', () => {
  beforeAll(() => ensureBuilt());

  test('every entry is there under its own name', () => {
    for (const name of Object.keys(ENTRIES as Record<string, string>)) expect(existsSync(path.join(bundle, `${name}.js`)), name).toBe(true);
  });

  test('relative URLs name the same files from the bundle as from dist/', () => {
    const fromDist = new Set(scripts(dist).filter((file) => !file.startsWith(bundle + path.sep)).flatMap(relativeTargets));
    const fromBundle = new Set(scripts(bundle).flatMap(relativeTargets));
    // The worker entry, the two task modules, the ISA-L addon, package.json.
    expect(fromBundle.size).toBeGreaterThanOrEqual(5);
    for (const target of fromBundle) {
      if (!target.endsWith('.node')) expect(existsSync(target), target).toBe(true);
    }
    // An entry of the bundle stands for its module in dist/; other files are the same file.
    const entries = ENTRIES as Record<string, string>;
    const asInDist = (target: string) => (path.dirname(target) === bundle ? path.join(dist, entries[path.basename(target, '.js')] ?? `bundle/${path.basename(target)}`) : target);
    expect([...fromBundle].map(asInDist).filter((target) => !fromDist.has(target))).toEqual([]);
  });

  test.each(['glibc-dynamic.tar', 'musl-dynamic.tar', 'static-oci'])('%s: the same report as dist/ module by module', (sample) => {
    const image = path.join(repoRoot, 'samples', sample);
    const args = ['analyze', image, '--format', 'json', '--quiet'];
    const bundled = execFileSync(process.execPath, [path.join(repoRoot, 'bin', 'imgslim.js'), ...args], { encoding: 'utf8', maxBuffer: 64 << 20 });
    const unbundled = execFileSync(process.execPath, [unbundledLauncher(), ...args], { encoding: 'utf8', maxBuffer: 64 << 20 });
    expect(bundled.length).toBeGreaterThan(1000);
    expect(bundled).toBe(unbundled);
  });

  test('without a bundle: one line and exit 2', () => {
    mkdirSync(testTmp('bundle'), { recursive: true });
    const app = mkdtempSync(testTmp('bundle', 'app-'));
    mkdirSync(path.join(app, 'bin'));
    copyFileSync(path.join(repoRoot, 'bin', 'imgslim.js'), path.join(app, 'bin', 'imgslim.js'));
    copyFileSync(path.join(repoRoot, 'package.json'), path.join(app, 'package.json'));
    const run = spawnSync(process.execPath, [path.join(app, 'bin', 'imgslim.js'), 'analyze', 'image.tar'], { encoding: 'utf8' });
    expect(run.status).toBe(2);
    expect(run.stderr).toBe(`imgslim: ${path.join(app, 'dist', 'bundle', 'scan-workers.js')} is missing: run \`npm run build\` in ${app}/\n`);
    // --version needs no bundle.
    expect(spawnSync(process.execPath, [path.join(app, 'bin', 'imgslim.js'), '--version'], { encoding: 'utf8' }).stdout).toMatch(/^\d+\.\d+\.\d+\n$/);
  });
});

#!/usr/bin/env node
/**
 * Bundles dist/ (tsc's output) into dist/bundle/, what bin/imgslim.js runs: the CLI, the scan
 * workers' entry and the byte tasks they load, split into shared chunks. Node 20 pays about a
 * millisecond per ES module it resolves and links, in every isolate: a layer worker loaded 114
 * modules (0.14 s of CPU each), the CLI 240 (docs/decisions.md, "One bundle").
 *
 * Every entry keeps its file name, and dist/bundle/ sits as deep as dist/<folder>/, so the
 * relative URLs the code resolves from `import.meta.url` (the worker entry, the task modules,
 * native/build/addon/, package.json) name the same files in the bundle as in dist/.
 * Dynamic imports stay lazy: each becomes a chunk loaded when first needed (Ink, SBOM, registry).
 */
import { rmSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';

const dist = fileURLToPath(new URL('../dist/', import.meta.url));

/** Entry name → module: the names other modules reach by URL must stay these. */
export const ENTRIES = {
  main: 'cli/main.js',
  'scan-workers': 'analysis/scan-workers.js',
  'worker-main': 'archive/worker-main.js',
  'scan-task': 'analysis/scan-task.js',
  'copy-task': 'slim/copy-task.js',
};

/** Installed packages stay imports (native addons, and Ink with React, loaded only for the TUI). */
const isExternal = (id) => id.startsWith('node:') || !(id.startsWith('.') || id.startsWith('/'));

export async function bundleDist() {
  // rolldown is a devDependency: an installed imgslim (npm prune --omit=dev) only runs the bundle.
  const { build } = await import('rolldown');
  rmSync(`${dist}bundle`, { recursive: true, force: true });
  await build({
    input: Object.fromEntries(Object.entries(ENTRIES).map(([name, file]) => [name, `${dist}${file}`])),
    platform: 'node',
    external: isExternal,
    logLevel: 'warn',
    output: {
      dir: `${dist}bundle`,
      format: 'esm',
      entryFileNames: '[name].js',
      chunkFileNames: '[name]-[hash].js',
    },
  });
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) await bundleDist();

/**
 * The layer order of ../shared/STYLE.md (and COORD.md), checked on the sources for every folder
 * of src/: a folder imports only the folders its row allows (shared/ always), and another
 * folder only through its index.ts (shared/ has no index: its files are its API). A new folder
 * of src/ must get a row here. KNOWN lists today's violations: each must still exist (so the
 * list only shrinks) and nothing outside it may be added.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { expect, test } from 'vitest';
import { repoRoot } from './helpers/peer-corpus.js';

const src = path.join(repoRoot, 'src');

/** Folder → the folders it may import (besides shared/). */
const MAY_IMPORT: Record<string, readonly string[]> = {
  shared: [],
  archive: [],
  image: [],
  elf: [],
  sources: ['image', 'archive'], // sources/registry too: it is one more source
  fs: ['image', 'archive'],
  packages: ['fs'],
  analysis: ['archive', 'image', 'sources', 'fs', 'elf', 'packages'],
  report: ['analysis', 'image', 'elf', 'fs'], // the words and shapes the Report publishes are defined below it
  policy: ['report'],
  sbom: ['report'],
  diff: ['report', 'fs'],
  slim: ['archive', 'image', 'sources', 'fs', 'elf', 'packages', 'analysis', 'report'],
  probe: ['archive', 'image', 'sources', 'fs'],
  ui: ['report', 'policy', 'diff'],
  cli: ['archive', 'image', 'sources', 'fs', 'elf', 'packages', 'analysis', 'report', 'policy', 'sbom', 'diff', 'slim', 'probe', 'ui'],
};

/** Violations present when this test was written (issue 10): to be removed, never added to. */
const KNOWN = [
  'analysis → report/index.js', // analysis builds the Report from report/'s schema types; the table puts report above analysis
  'cli → diff/schema.js',
  'cli → report/schema.js',
  'cli → slim/audit-schema.js',
  'diff → report/schema.js', // schema modules compose report's TypeBox schemas
  'fs → archive/types.js',
  'slim → report/schema.js', // the audit schema composes report's TypeBox schemas
];

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? sources(path.join(dir, entry.name)) : /\.tsx?$/.test(entry.name) ? [path.join(dir, entry.name)] : [],
  );
}

function specifiers(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  return [...text.matchAll(/(?:\bfrom\s+|^\s*import\s+|\bimport\(\s*)'(\.[^']*)'/gm)].map((match) => match[1]!);
}

const folders = readdirSync(src, { withFileTypes: true }).filter((entry) => entry.isDirectory()).map((entry) => entry.name);

function violations(): string[] {
  const found = new Set<string>();
  for (const folder of folders) {
    for (const file of sources(path.join(src, folder))) {
      for (const specifier of specifiers(file)) {
        const target = path.relative(src, path.resolve(path.dirname(file), specifier)).split(path.sep);
        const [to, ...rest] = target;
        if (to === folder || to === 'shared') continue;
        const inside = rest.join('/');
        if (!(MAY_IMPORT[folder] ?? []).includes(to!) || inside !== 'index.js') found.add(`${folder} → ${to}/${inside}`);
      }
    }
  }
  return [...found].sort();
}

test('every folder of src/ has a row in the layer table', () => {
  expect(folders.filter((folder) => !(folder in MAY_IMPORT))).toEqual([]);
});

test('folders import only lower folders, through their index.ts', () => {
  const found = violations();
  expect(found.filter((violation) => !KNOWN.includes(violation))).toEqual([]);
  // A fixed violation must leave KNOWN, so the list only shrinks.
  expect(KNOWN.filter((violation) => !found.includes(violation))).toEqual([]);
});

test('the checker sees imports: ui reaches report through its index', () => {
  expect(sources(path.join(src, 'ui')).some((file) => specifiers(file).some((specifier) => specifier.endsWith('report/index.js')))).toBe(true);
});

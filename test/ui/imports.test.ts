/**
 * Architecture rules for src/ui, checked on the sources: the UI sees Reports and diffs (types only) and
 * shared helpers, never parsers, tar, fs, ELF or the CLI; and Ink/React load only when the
 * terminal UI is shown (nothing reachable through static imports from index.ts pulls them in).
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, test } from 'vitest';
import { repoRoot } from '../helpers/peer-corpus.js';

const uiRoot = path.join(repoRoot, 'src', 'ui');

interface ImportRef {
  specifier: string;
  typeOnly: boolean;
  dynamic: boolean;
}

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? sources(path.join(dir, entry.name)) : /\.tsx?$/.test(entry.name) ? [path.join(dir, entry.name)] : [],
  );
}

function importsOf(file: string): ImportRef[] {
  const text = readFileSync(file, 'utf8');
  const refs: ImportRef[] = [];
  for (const match of text.matchAll(/^\s*(import|export)\s+(type\s+)?[^'"]*?from\s+'([^']+)'/gm)) {
    refs.push({ specifier: match[3]!, typeOnly: match[2] !== undefined, dynamic: false });
  }
  for (const match of text.matchAll(/^\s*import\s+'([^']+)'/gm)) refs.push({ specifier: match[1]!, typeOnly: false, dynamic: false });
  for (const match of text.matchAll(/\bimport\(\s*'([^']+)'\s*\)/g)) refs.push({ specifier: match[1]!, typeOnly: false, dynamic: true });
  return refs;
}

function resolve(from: string, specifier: string): string {
  const target = path.resolve(path.dirname(from), specifier);
  const ts = target.replace(/\.js$/, '.ts');
  return sources(path.dirname(ts)).find((file) => file === ts || file === ts.replace(/\.ts$/, '.tsx')) ?? ts;
}

const files = sources(uiRoot);

describe('src/ui import rules', () => {
  test('relative imports stay in ui/, or reach report/ and diff/ (types only) and shared/', () => {
    const violations: string[] = [];
    for (const file of files) {
      for (const ref of importsOf(file)) {
        if (!ref.specifier.startsWith('.')) continue;
        const target = path.relative(path.join(repoRoot, 'src'), path.resolve(path.dirname(file), ref.specifier));
        const where = `${path.relative(repoRoot, file)} → ${ref.specifier}`;
        if (target.startsWith(`ui${path.sep}`) || target.startsWith(`shared${path.sep}`)) continue;
        if ((target === path.join('report', 'index.js') || target === path.join('diff', 'index.js')) && ref.typeOnly) continue;
        violations.push(where);
      }
    }
    expect(violations).toEqual([]);
  });

  test('packages: only ink and react', () => {
    const packages = new Set(files.flatMap((file) => importsOf(file).filter((ref) => !ref.specifier.startsWith('.')).map((ref) => ref.specifier)));
    expect([...packages].sort()).toEqual(['ink', 'react']);
  });

  test('Ink and React are reachable from index.ts only through a dynamic import', () => {
    const seen = new Set<string>();
    const reached: string[] = [];
    const visit = (file: string) => {
      if (seen.has(file)) return;
      seen.add(file);
      if (file.endsWith('.tsx')) reached.push(path.relative(repoRoot, file));
      for (const ref of importsOf(file)) {
        if (ref.dynamic || ref.typeOnly) continue;
        if (!ref.specifier.startsWith('.')) {
          reached.push(ref.specifier);
          continue;
        }
        const target = resolve(file, ref.specifier);
        if (target.startsWith(uiRoot)) visit(target);
      }
    };
    visit(path.join(uiRoot, 'index.ts'));
    expect(reached).toEqual([]);
    expect(seen.size).toBeGreaterThan(10);
    const dynamic = files.flatMap((file) => importsOf(file).filter((ref) => ref.dynamic).map((ref) => `${path.relative(uiRoot, file)} → ${ref.specifier}`));
    expect(dynamic).toEqual(['present.ts → ./tui/run-tui.js', 'present.ts → ./tui/run-diff-tui.js']);
  });

  test('files stay small', () => {
    const long = files.map((file) => [path.relative(repoRoot, file), readFileSync(file, 'utf8').split('\n').length] as const).filter(([, lines]) => lines > 250);
    expect(long).toEqual([]);
  });
});

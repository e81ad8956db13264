/** Shared by the keep-plan tests: build an image in code, analyse it, plan it. */
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll } from 'vitest';
import { inspectImage, type ImageAnalysis } from '../../src/analysis/index.js';
import { planKeep, type KeepPlan, type PlanOptions } from '../../src/slim/index.js';
import type { EntrySpec, ImageSpec } from '../helpers/image-builder.js';
import { writeImageFile } from './_host-images.js';
import { scratch } from './_support.js';
import { testTmp } from '../helpers/tools.js';

/** Registers the hooks of one test file; returns its `plan(spec, options)`. */
export function planHarness(name: string) {
  const opened: ImageAnalysis[] = [];
  let dir = '';
  let counter = 0;
  beforeAll(() => {
    dir = scratch(`plan/${name}`);
  });
  afterAll(async () => {
    for (const analysis of opened) await analysis.image.close();
  });
  return async function plan(spec: ImageSpec, options: PlanOptions = {}): Promise<{ plan: KeepPlan; analysis: ImageAnalysis }> {
    const file = await writeImageFile('oci-archive', path.join(dir, `image-${counter++}.tar`), spec);
    const analysis = await inspectImage(file);
    opened.push(analysis);
    return { plan: planKeep(analysis, options), analysis };
  };
}

export const layer = (entries: EntrySpec[]) => ({ entries });
export const kept = (p: KeepPlan) => [...p.kept.keys()].sort();
export const reasonsOf = (p: KeepPlan, file: string) => p.kept.get(file) ?? [];
/** The text a plan rewrote `file` to (a reduced /etc/passwd), or null when it keeps the file as it is. */
export function replacedText(p: KeepPlan, file: string): string | null {
  const replaced = p.replacements.get(file);
  return replaced?.kind === 'content' ? Buffer.from(replaced.content).toString() : null;
}
export const risks = (p: KeepPlan) => p.risks.map((risk) => `${risk.path ?? '-'}: ${risk.message}`);

/** Compiles a C source with gcc (flags after the source, so -l works). */
export function compile(name: string, source: string, flags: string[] = []): string {
  const out = testTmp('slim', 'programs', name);
  mkdirSync(path.dirname(out), { recursive: true });
  writeFileSync(`${out}.c`, source);
  execFileSync('gcc', ['-O2', '-o', out, `${out}.c`, ...flags], { stdio: 'pipe' });
  return out;
}

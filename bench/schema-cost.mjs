#!/usr/bin/env node
/**
 * `node bench/schema-cost.mjs` (after `npm run build`): what validating image JSON costs with the
 * validators compiled ahead of time (dist/image/schema) against compiling the same TypeBox
 * schemas at run time. Each variant runs in fresh processes (best of N, default 5): module load time, RSS after a GC,
 * and the time to validate a typical config 10,000 times. Ratios only: the machine is shared.
 */
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const config = {
  architecture: 'amd64',
  os: 'linux',
  created: '2024-01-01T00:00:00Z',
  config: { Env: ['PATH=/usr/bin:/bin', 'LANG=C.UTF-8'], Entrypoint: ['/app/server'], Cmd: ['--port', '80'], ExposedPorts: { '80/tcp': {} }, Labels: { a: 'b' } },
  rootfs: { type: 'layers', diff_ids: Array.from({ length: 8 }, (_, i) => `sha256:${String(i).repeat(64)}`) },
  history: Array.from({ length: 12 }, () => ({ created: '2024-01-01T00:00:00Z', created_by: '/bin/sh -c make' })),
};

const variants = {
  'no validation': `await import(${JSON.stringify(path.join(repo, 'dist/shared/errors.js'))}); const check = () => true;`,
  'compiled ahead of time': `const { matchesImageSchema } = await import(${JSON.stringify(path.join(repo, 'dist/image/schema/index.js'))});
    const check = (value) => matchesImageSchema('config', value);`,
  'TypeBox at run time': `const { TypeCompiler } = await import('@sinclair/typebox/compiler');
    const { ImageConfig } = await import(${JSON.stringify(path.join(repo, 'dist/image/schema/definitions.js'))});
    const compiled = TypeCompiler.Compile(ImageConfig); const check = (value) => compiled.Check(value);`,
};

const runs = Number(process.argv[2] ?? 5);
for (const [name, setup] of Object.entries(variants)) {
  const samples = [];
  for (let run = 0; run < runs; run++) {
  const script = `const start = performance.now();
    ${setup}
    const loaded = performance.now() - start;
    const config = ${JSON.stringify(config)};
    const t = performance.now(); let ok = 0; for (let i = 0; i < 10000; i++) ok += check(structuredClone(config)) ? 1 : 0;
    const validate = performance.now() - t;
    globalThis.gc(); const rss = process.memoryUsage().rss;
    console.log(JSON.stringify({ loaded, validate, rss, ok }));`;
  const result = spawnSync(process.execPath, ['--expose-gc', '--input-type=module', '-e', script], { cwd: repo, encoding: 'utf8' });
  if (result.status !== 0) throw new Error(result.stderr);
  samples.push(JSON.parse(result.stdout));
  }
  const best = (key) => Math.min(...samples.map((sample) => sample[key]));
  const [loaded, validate, rss, ok] = [best('loaded'), best('validate'), best('rss'), samples[0].ok];
  console.log(`${name.padEnd(24)} load ${loaded.toFixed(1).padStart(6)} ms   RSS ${(rss / 1048576).toFixed(1).padStart(5)} MiB   10k configs ${validate.toFixed(0).padStart(5)} ms (${ok} valid, structuredClone included)`);
}

#!/usr/bin/env node
/**
 * `node bench/compare/ldso-host.mjs [DIR...]`: this machine as one big image. Every dynamic x86-64
 * ELF file at the top of DIR (default /usr/bin, /usr/sbin, /usr/lib/x86_64-linux-gnu) is resolved
 * by imgslim (dist/, `npm run build` first) with createDirLookup('/') and compared path for path
 * with `ld.so --list` (docs/decisions/resolver.md, "Measurements"). test/elf/resolve/real-host.test.ts
 * runs the same comparison on a 60-file sample in CI. Objects whose real load picks a CPU-specific
 * glibc-hwcaps variant are left out: imgslim models a baseline CPU. Prints each mismatch, then the
 * totals and the time of a cold and a warm pass; exits 1 on any mismatch.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, lstatSync, readdirSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { parseElf } from '../../dist/elf/parse.js';
import { createDirLookup, resolveClosure } from '../../dist/elf/resolve/index.js';

const LDSO = '/lib64/ld-linux-x86-64.so.2';
const dirs = process.argv.length > 2 ? process.argv.slice(2) : ['/usr/bin', '/usr/sbin', '/usr/lib/x86_64-linux-gnu'];
if (!existsSync(LDSO)) {
  console.error(`ldso-host: ${LDSO} is missing (an x86-64 glibc host is needed)`);
  process.exit(2);
}

/** The path as ld.so prints it: the candidate it opened, before symlinks. */
function spelled(result) {
  return result.deps
    .filter((dep) => !['interpreter', 'vdso', 'already-loaded'].includes(dep.via))
    .map((dep) => {
      if (dep.path === null) return `${dep.name} not found`;
      const opened = dep.via === 'ld.so.cache' || dep.via === 'path' ? dep.chain[0] : `${dep.viaDetail}/${dep.name}`;
      return `${dep.name} ${opened}`;
    });
}

function realList(file) {
  const run = spawnSync(LDSO, ['--list', file], { encoding: 'utf8', timeout: 20_000 });
  const lines = [];
  for (const line of run.stdout.split('\n')) {
    const match = /^\t(\S+) => (.+?)(?: \(0x[0-9a-f]+\))?$/.exec(line);
    if (match) lines.push(`${match[1]} ${match[2]}`);
  }
  return lines.some((line) => line.includes('/glibc-hwcaps/')) ? null : lines;
}

const coldStart = performance.now();
const lookup = createDirLookup('/', parseElf);
const objects = [];
for (const dir of dirs) {
  for (const name of readdirSync(dir).sort()) {
    const file = `${dir}/${name}`;
    if (!lstatSync(file).isFile()) continue;
    const elf = lookup.elf(file);
    if (elf === null || elf.machine !== 62 || elf.dynamic === null) continue;
    const isProgram = elf.interpreter !== null;
    if (!isProgram && elf.dynamic.needed.length === 0) continue;
    objects.push({ file, elf, isProgram });
  }
}
const ours = objects.map(({ file, elf }) => spelled(resolveClosure(file, elf, lookup, { env: [] })));
const coldMs = performance.now() - coldStart;
const warmStart = performance.now();
for (const { file, elf } of objects) resolveClosure(file, elf, lookup, { env: [] });
const warmMs = performance.now() - warmStart;

let compared = 0;
let identical = 0;
let hwcaps = 0;
let edges = 0;
let programs = 0;
objects.forEach(({ file, isProgram }, i) => {
  const real = realList(file);
  if (real === null) {
    hwcaps++;
    return;
  }
  compared++;
  if (isProgram) programs++;
  edges += real.length;
  if (ours[i].join(', ') === real.join(', ')) identical++;
  else console.log(`${file}\n  imgslim: ${ours[i].join(', ')}\n  ld.so:   ${real.join(', ')}`);
});
console.log(
  `${identical}/${compared} identical (${programs} programs, ${compared - programs} libraries, ${edges} edges; ` +
    `${hwcaps} left out for glibc-hwcaps) in ${dirs.join(', ')}`,
);
console.log(
  `resolution: cold pass (parse + resolve) ${(coldMs / 1000).toFixed(1)} s, warm ${warmMs.toFixed(0)} ms ` +
    `(${(warmMs / objects.length).toFixed(2)} ms per object)`,
);
process.exitCode = identical === compared ? 0 : 1;

#!/usr/bin/env node
/**
 * `node bench/compare/elfinfo-builds.mjs BASE_DIST [CHUNK] [DIR...]`: streams every ELF file of
 * DIRs (default /usr/bin, /usr/sbin, /usr/lib/x86_64-linux-gnu, /usr/libexec; files up to 200 MB)
 * through the ELF collector of another build (BASE_DIST, e.g. a worktree's dist/) and of this
 * one, in CHUNK-byte pieces (default 65536), compiled strings on as slim has them, and reports
 * the files whose ElfInfo differs. For a change that must not alter what is parsed:
 *
 *   git worktree add /tmp/base COMMIT && (cd /tmp/base && ln -s "$PWD/node_modules" . && npx tsc -p tsconfig.build.json)
 *   node bench/compare/elfinfo-builds.mjs /tmp/base/dist 7777
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

const [baseDist, chunkArg, ...dirArgs] = process.argv.slice(2);
if (!baseDist) {
  process.stderr.write('usage: node bench/compare/elfinfo-builds.mjs BASE_DIST [CHUNK] [DIR...]\n');
  process.exit(2);
}
const chunk = Number(chunkArg ?? 65536) || 65536;
const dirs = dirArgs.length > 0 ? dirArgs : ['/usr/bin', '/usr/sbin', '/usr/lib/x86_64-linux-gnu', '/usr/libexec'];
const load = (dist) => import(pathToFileURL(path.join(path.resolve(dist), 'elf', 'index.js')).href);
const base = await load(baseDist);
const current = await load(new URL('../../dist', import.meta.url).pathname);

function collect(elf, bytes) {
  const collector = elf.createElfCollector(bytes.length, {});
  for (let at = 0; at < bytes.length; at += chunk) collector.push(bytes.subarray(at, at + chunk));
  return JSON.stringify(collector.finish());
}

let files = 0;
let withPaths = 0;
const differ = [];
for (const dir of dirs) {
  let names;
  try {
    names = readdirSync(dir);
  } catch {
    continue;
  }
  for (const name of names) {
    const file = path.join(dir, name);
    const stat = statSync(file, { throwIfNoEntry: false });
    if (!stat?.isFile() || stat.size < 64 || stat.size > 200e6) continue;
    const bytes = readFileSync(file);
    if (bytes.readUInt32BE(0) !== 0x7f454c46) continue;
    const info = collect(current, bytes);
    files++;
    if (info.includes('"compiledPaths"')) withPaths++;
    if (info !== collect(base, bytes)) differ.push(file);
  }
}
for (const file of differ) process.stdout.write(`differs: ${file}\n`);
process.stdout.write(`${files} ELF files in ${chunk}-byte chunks, ${withPaths} with compiled paths: ${differ.length} differ\n`);
process.exitCode = differ.length === 0 ? 0 : 1;

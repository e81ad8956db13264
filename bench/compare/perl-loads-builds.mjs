#!/usr/bin/env node
/**
 * `node bench/compare/perl-loads-builds.mjs BASE_DIST [DIR...]`: reads every perl source (`.pm`,
 * `.pl`) under DIRs (default this machine's perl library trees) with the PerlSourceScanner of
 * another build (BASE_DIST, e.g. a worktree's dist/) and of this one, fed in 4 KiB pieces, and
 * reports the files whose loads differ, with both builds' CPU time (the second of two alternating
 * runs each). For a change that must not
 * alter what slim's plan learns from perl code.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

const [baseDist, ...dirArgs] = process.argv.slice(2);
if (!baseDist) {
  process.stderr.write('usage: node bench/compare/perl-loads-builds.mjs BASE_DIST [DIR...]\n');
  process.exit(2);
}
const dirs = dirArgs.length > 0 ? dirArgs : ['/usr/share/perl', '/usr/share/perl5', '/usr/lib/x86_64-linux-gnu/perl', '/usr/lib/x86_64-linux-gnu/perl5', '/usr/lib/x86_64-linux-gnu/perl-base'];
const load = (dist) => import(pathToFileURL(path.join(path.resolve(dist), 'analysis', 'perl-source.js')).href);
const builds = { base: await load(baseDist), current: await load(new URL('../../dist', import.meta.url).pathname) };

function* perlFiles(dir) {
  let entries;
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch {
    return;
  }
  for (const entry of entries) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) yield* perlFiles(full);
    else if (entry.isFile() && /\.p[ml]$/.test(entry.name)) yield full;
  }
}

const texts = dirs.flatMap((dir) => [...perlFiles(dir)]).map((file) => ({ file, text: readFileSync(file, 'latin1') }));
const results = {};
const cpu = {};
// Twice each, alternating, so that neither build's time includes a cold start the other's does not.
for (const name of ['base', 'current', 'base', 'current']) {
  const build = builds[name];
  const started = process.cpuUsage();
  results[name] = texts.map(({ text }) => {
    const scanner = new build.PerlSourceScanner();
    for (let at = 0; at < text.length; at += 4096) scanner.push(text.slice(at, at + 4096));
    return JSON.stringify(scanner.finish());
  });
  const used = process.cpuUsage(started);
  cpu[name] = ((used.user + used.system) / 1e6).toFixed(2);
}
const differ = texts.filter((_, i) => results.base[i] !== results.current[i]).map(({ file }) => file);
for (const file of differ) process.stdout.write(`differs: ${file}\n`);
const megabytes = (texts.reduce((sum, { text }) => sum + text.length, 0) / 1e6).toFixed(1);
process.stdout.write(`${texts.length} perl files (${megabytes} MB): ${differ.length} differ; CPU base ${cpu.base} s, current ${cpu.current} s\n`);
process.exitCode = differ.length === 0 ? 0 : 1;

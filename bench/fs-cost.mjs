#!/usr/bin/env node
/**
 * `node --expose-gc bench/fs-cost.mjs [--full] [--rounds N]`: what src/fs (dist/fs) costs on
 * synthetic docker-style layers, the table of docs/decisions/fs.md "Measurements". Layer 0 holds
 * D directories × 100 files (`/usr/share/dNNNNN/fNNN`); each later layer k re-lists every 7th
 * directory from the k-th, rewrites every third file in it, and whites out every 50th directory
 * from the 2k-th (these offsets give the document's counts: 121,100 entries → 93,902 final
 * paths, 408,385 → 268,982). Per input, best of N rounds (default 3): the headers through
 * layerEntryFromTar, mergeLayers, the heap the merged filesystem retains (after a GC: needs
 * --expose-gc), sortedPaths on a fresh merge, computeEfficiency, and 100,000 resolvePath calls
 * on final paths. Then layerEntryFromTar on a name as long as node-tar's excessively-deep.tar
 * fixture (444,749 characters), which it must reject.
 * Default input: D = 1,000 in 5 layers (121,100 entries, about 10 s). `--full` adds D = 3,000 in
 * 8 layers (408,385 entries; about 35 s in all). Writes nothing. Needs `npm run build` first.
 */
import { performance } from 'node:perf_hooks';
import { computeEfficiency, layerEntryFromTar, mergeLayers, resolvePath } from '../dist/fs/index.js';

const args = process.argv.slice(2);
const full = args.includes('--full');
const roundsAt = args.indexOf('--rounds');
const rounds = roundsAt >= 0 ? Number(args[roundsAt + 1]) : 3;
if (!Number.isInteger(rounds) || rounds < 1) throw new Error('usage: node --expose-gc bench/fs-cost.mjs [--full] [--rounds N]');
const inputs = full ? [{ dirs: 1000, layers: 5 }, { dirs: 3000, layers: 8 }] : [{ dirs: 1000, layers: 5 }];
const FILES = 100;
const RESOLVES = 100_000;

/** A TarHeader as TarParser gives it for a plain PAX-format entry. */
function header(name, type, size) {
  return {
    name,
    typeflag: type === 'directory' ? 0x35 : 0x30,
    type,
    size,
    dataSize: size,
    mode: type === 'directory' ? 0o755 : 0o644,
    uid: 0,
    gid: 0,
    uname: '',
    gname: '',
    mtime: 1_700_000_000,
    linkname: '',
    devmajor: 0,
    devminor: 0,
    pax: {},
    xattrs: {},
    format: 'pax',
  };
}

const dirName = (i) => `usr/share/d${String(i).padStart(5, '0')}`;

/** The tar headers of each layer, lowest first. */
function syntheticLayers(dirs, layers) {
  const all = [];
  const base = [];
  for (let i = 0; i < dirs; i++) {
    base.push(header(`${dirName(i)}/`, 'directory', 0));
    for (let j = 0; j < FILES; j++) base.push(header(`${dirName(i)}/f${String(j).padStart(3, '0')}`, 'file', 1000 + j));
  }
  all.push(base);
  for (let k = 1; k < layers; k++) {
    const layer = [];
    for (let i = k; i < dirs; i += 7) {
      layer.push(header(`${dirName(i)}/`, 'directory', 0));
      for (let j = 0; j < FILES; j += 3) layer.push(header(`${dirName(i)}/f${String(j).padStart(3, '0')}`, 'file', 2000 + k * 10 + j));
    }
    for (let i = 2 * k; i < dirs; i += 50) layer.push(header(`usr/share/.wh.d${String(i).padStart(5, '0')}`, 'file', 0));
    all.push(layer);
  }
  return all;
}

const toEntries = (headerLayers) =>
  headerLayers.map((headers, index) => ({ index, entries: headers.map((h) => layerEntryFromTar(h, index)).filter((entry) => entry !== null) }));

function timed(task) {
  const start = performance.now();
  const value = task();
  return { ms: performance.now() - start, value };
}

const fmt = (ms) => `${ms.toFixed(0)} ms`;
const gc = globalThis.gc;
const heapUsed = () => {
  gc();
  gc();
  return process.memoryUsage().heapUsed;
};

process.stdout.write(`Node ${process.version}, best of ${rounds}${gc ? '' : ' (no --expose-gc: retained heap not measured)'}\n`);
process.stdout.write('| input | layerEntryFromTar (all) | mergeLayers | retained heap | sortedPaths | computeEfficiency | 100k resolvePath |\n');
process.stdout.write('| --- | --- | --- | --- | --- | --- | --- |\n');
for (const { dirs, layers } of inputs) {
  const headerLayers = syntheticLayers(dirs, layers);
  const entryCount = headerLayers.reduce((sum, headers) => sum + headers.length, 0);
  const best = { convert: Infinity, merge: Infinity, sorted: Infinity, efficiency: Infinity, resolve: Infinity };
  let layerEntries;
  let finalPaths = 0;
  let retained = null;
  for (let round = 0; round < rounds; round++) {
    const converted = timed(() => toEntries(headerLayers));
    best.convert = Math.min(best.convert, converted.ms);
    layerEntries = converted.value;

    // The merge alone, then what its result keeps alive, then sortedPaths on that fresh result.
    const before = gc ? heapUsed() : 0;
    const merged = timed(() => mergeLayers(layerEntries));
    best.merge = Math.min(best.merge, merged.ms);
    if (gc && round === 0) retained = heapUsed() - before;
    const fs = merged.value;
    finalPaths = fs.entries.size;
    const sorted = timed(() => fs.sortedPaths());
    best.sorted = Math.min(best.sorted, sorted.ms);

    const queries = [];
    for (let i = 0; i < RESOLVES; i++) queries.push(sorted.value[(i * 7919) % sorted.value.length]);
    const resolved = timed(() => {
      let found = 0;
      for (const path of queries) if (resolvePath(fs, path)) found++;
      return found;
    });
    if (resolved.value !== RESOLVES) throw new Error(`resolvePath found ${resolved.value} of ${RESOLVES} final paths`);
    best.resolve = Math.min(best.resolve, resolved.ms);

    best.efficiency = Math.min(best.efficiency, timed(() => computeEfficiency(layerEntries)).ms);
  }
  const heap = retained === null ? 'n/a' : `${(retained / 1e6).toFixed(0)} MB`;
  const input = `${entryCount.toLocaleString('en-US')} entries, ${layers} layers → ${finalPaths.toLocaleString('en-US')} final paths`;
  process.stdout.write(`| ${input} | ${fmt(best.convert)} | ${fmt(best.merge)} | ${heap} | ${fmt(best.sorted)} | ${fmt(best.efficiency)} | ${fmt(best.resolve)} |\n`);
}

// node-tar's excessively-deep.tar names one file with 222,370 `a/` components.
const deep = header(`./${'a/'.repeat(222_370)}foo.txt`, 'file', 3);
let rejected = Infinity;
let code = '';
for (let round = 0; round < rounds; round++) {
  const start = performance.now();
  try {
    layerEntryFromTar(deep, 0);
    throw new Error(`layerEntryFromTar accepted a ${deep.name.length}-character name`);
  } catch (error) {
    if (!error.code) throw error;
    code = error.code;
  }
  rejected = Math.min(rejected, performance.now() - start);
}
process.stdout.write(`| a ${deep.name.length.toLocaleString('en-US')}-character name (node-tar's excessively-deep.tar) | rejected (${code}) in ${fmt(rejected)} | | | | | |\n`);

#!/usr/bin/env node
/**
 * `node bench/needle-keys.mjs [ROUNDS] [KEY...]`: what one search key of the ELF needle scan
 * (src/elf/patterns.ts) costs. Reads every ELF file of this machine's /usr/bin and
 * /usr/lib/x86_64-linux-gnu (the bench image's content), cuts out the bytes where each key is
 * searched (non-executable loaded data for the vDSO and Go names, the bytes no PT_LOAD maps for
 * .shstrtab, .comment and the stack protector, writable data for the Go build-info magic) and
 * times Node's indexOf over them, key by key, as PatternScanner does: milliseconds (best of
 * ROUNDS, default 3) and hits. Extra KEYs (latin1) are timed over the loaded data, to compare a
 * candidate key with the one in use. docs/benchmarks.md (seventh session) cites it. Needs dist/.
 */
import { lstatSync, readdirSync, readFileSync } from 'node:fs';
import { bufferByteSource } from '../dist/elf/byte-source.js';
import { readElfHeader, readerFor } from '../dist/elf/header.js';
import { CANARY_NEEDLES, COMMENT_NEEDLES, GO_NEEDLES, GO_PACKAGE_NEEDLES, SHSTRTAB_NEEDLES, VDSO_NEEDLES } from '../dist/elf/patterns.js';
import { unloadedRanges } from '../dist/elf/retention.js';
import { PF_W, PF_X, PT_LOAD, fileRange, readProgramHeaders } from '../dist/elf/segments.js';
import { vdsoSearchRanges } from '../dist/elf/vdso.js';

// A reader that stops early (`| head`) is not an error.
process.stdout.on('error', (error) => {
  if (error.code === 'EPIPE') process.exit(0);
  throw error;
});

const [roundsArg, ...extra] = process.argv.slice(2);
const rounds = Number(roundsArg) || 3;
const regions = { loaded: [], unloaded: [], writable: [] };
for (const dir of ['/usr/bin', '/usr/lib/x86_64-linux-gnu']) {
  for (const name of readdirSync(dir)) {
    const path = `${dir}/${name}`;
    if (!lstatSync(path).isFile()) continue;
    const bytes = readFileSync(path);
    const header = bytes.length > 64 && bytes[0] === 0x7f ? readElfHeader(bytes) : null;
    if (!header) continue;
    const { segments } = readProgramHeaders(bufferByteSource(bytes), header, readerFor(header), [], null);
    const cut = (ranges, into) => ranges.forEach((r) => r && r.length > 0 && into.push(bytes.subarray(r.offset, r.offset + r.length)));
    cut(vdsoSearchRanges(segments, bytes.length), regions.loaded);
    cut(unloadedRanges(segments, bytes.length), regions.unloaded);
    cut(segments.filter((s) => s.type === PT_LOAD && (s.flags & (PF_X | PF_W)) === PF_W).map((s) => fileRange(s, bytes.length)), regions.writable);
  }
}
const keysOf = (needles) => [...new Set(needles.map((n) => n.key.toString('latin1')))];
const plan = [
  ['loaded', keysOf([...VDSO_NEEDLES, ...GO_PACKAGE_NEEDLES]).concat(extra)],
  ['writable', keysOf(GO_NEEDLES)],
  ['unloaded', keysOf([...SHSTRTAB_NEEDLES, ...COMMENT_NEEDLES, ...CANARY_NEEDLES])],
];
const mb = (buffers) => (buffers.reduce((sum, b) => sum + b.length, 0) / 1e6).toFixed(0);
process.stdout.write(`loaded ${mb(regions.loaded)} MB, writable ${mb(regions.writable)} MB, unloaded ${mb(regions.unloaded)} MB\n`);
process.stdout.write('| region | key | ms (best) | hits |\n|---|---|---:|---:|\n');
for (const buffer of regions.loaded) buffer.indexOf(0x7f); // touch every page before timing
for (const [region, keys] of plan) {
  for (const text of keys) {
    const key = Buffer.from(text, 'latin1');
    let best = Infinity;
    let hits = 0;
    for (let round = 0; round < rounds; round++) {
      const start = process.hrtime.bigint();
      hits = 0;
      for (const buffer of regions[region]) for (let at = buffer.indexOf(key); at >= 0; at = buffer.indexOf(key, at + 1)) hits++;
      best = Math.min(best, Number(process.hrtime.bigint() - start) / 1e6);
    }
    process.stdout.write(`| ${region} | ${JSON.stringify(text)} | ${best.toFixed(0)} | ${hits} |\n`);
  }
}

#!/usr/bin/env node
/**
 * `node bench/compare/elfy-speed.mjs [DIR]`: every ELF file of DIR (default
 * /usr/lib/x86_64-linux-gnu, top level) read into memory, then its ELF header, program headers
 * and section headers parsed by elfy 1.0.0 and by imgslim's header/segments/sections code
 * (dist/), best of 5 each (docs/decisions/elf.md). elfy's failures on corrupt files are asserted
 * in test/elf/elfy-evaluation.test.ts. Needs `npm run build` first.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { bufferByteSource } from '../../dist/elf/byte-source.js';
import { readElfHeader, readerFor } from '../../dist/elf/header.js';
import { readProgramHeaders } from '../../dist/elf/segments.js';
import { readSections } from '../../dist/elf/sections.js';

const elfy = createRequire(import.meta.url)('elfy');
const dir = process.argv[2] ?? '/usr/lib/x86_64-linux-gnu';
const files = [];
let total = 0;
for (const name of readdirSync(dir).sort()) {
  const full = path.join(dir, name);
  const stat = statSync(full, { throwIfNoEntry: false });
  if (!stat?.isFile()) continue;
  const bytes = readFileSync(full);
  if (bytes.length < 64 || bytes.readUInt32BE(0) !== 0x7f454c46) continue;
  files.push(bytes);
  total += bytes.length;
}
process.stdout.write(`${files.length} ELF files of ${dir} (${(total / 1e6).toFixed(0)} MB in memory)\n`);

function best(name, parse) {
  let fastest = Infinity;
  let failures = 0;
  for (let run = 0; run < 5; run++) {
    failures = 0;
    const start = performance.now();
    for (const bytes of files) {
      try {
        parse(bytes);
      } catch {
        failures++;
      }
    }
    fastest = Math.min(fastest, performance.now() - start);
  }
  process.stdout.write(`${name.padEnd(10)} ${fastest.toFixed(0).padStart(5)} ms (${failures} threw)\n`);
}

best('elfy', (bytes) => elfy.parse(bytes));
best('imgslim', (bytes) => {
  const header = readElfHeader(bytes);
  if (!header) throw new Error('not ELF');
  const source = bufferByteSource(bytes);
  const r = readerFor(header);
  readProgramHeaders(source, header, r, [], null);
  readSections(source, header, r, [], null);
});

/**
 * Every ELF file under /usr/bin, /usr/sbin and /usr/lib/x86_64-linux-gnu of this machine:
 * interpreter, NEEDED, SONAME, RPATH, RUNPATH, version needs and definitions equal GNU readelf's.
 */
import { execFileSync } from 'node:child_process';
import { closeSync, existsSync, lstatSync, openSync, readSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, test } from 'vitest';
import { fileByteSource, parseElf } from '../../src/elf/index.js';
import { hasTool } from './_support.js';

const ROOTS = ['/usr/bin', '/usr/sbin', '/usr/lib/x86_64-linux-gnu'];
const BATCH = 200;

interface Facts {
  interpreter: string | null;
  needed: string[];
  soname: string | null;
  rpath: string | null;
  runpath: string | null;
  verneed: string[];
  verdef: string[];
}

function elfFiles(): string[] {
  const files: string[] = [];
  const inodes = new Set<number>();
  const head = Buffer.alloc(4);
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      if (!entry.isFile()) continue;
      const st = lstatSync(full);
      if (inodes.has(st.ino) || st.size < 52) continue;
      const fd = openSync(full, 'r');
      const n = readSync(fd, head, 0, 4, 0);
      closeSync(fd);
      if (n === 4 && head.toString('latin1') === '\x7fELF') {
        inodes.add(st.ino);
        files.push(full);
      }
    }
  };
  for (const root of ROOTS) if (existsSync(root)) walk(root);
  return files.sort();
}

/** Facts per file from `readelf -lWd -V` over a batch (two files at least, so each is headed `File:`). */
function readelfFacts(files: string[]): Map<string, Facts> {
  const out = execFileSync('readelf', ['-lWd', '-V', ...files], { maxBuffer: 1 << 30, encoding: 'latin1', stdio: ['ignore', 'pipe', 'ignore'] });
  const facts = new Map<string, Facts>();
  let current: Facts | null = null;
  let section = '';
  for (const line of out.split('\n')) {
    const file = /^File: (.*)$/.exec(line);
    if (file) {
      current = { interpreter: null, needed: [], soname: null, rpath: null, runpath: null, verneed: [], verdef: [] };
      facts.set(file[1] as string, current);
      continue;
    }
    if (!current) continue;
    if (line.startsWith('Version needs section')) section = 'need';
    else if (line.startsWith('Version definition section')) section = 'def';
    else if (line.startsWith('Version symbols section')) section = '';
    const interp = /\[Requesting program interpreter: (.*)\]$/.exec(line);
    if (interp) current.interpreter = interp[1] as string;
    const dyn = /\((NEEDED|SONAME|RPATH|RUNPATH)\)\s+\S+ \S+: \[(.*)\]$/.exec(line);
    if (dyn) {
      const [, tag, value = ''] = dyn;
      if (tag === 'NEEDED') current.needed.push(value);
      else if (tag === 'SONAME') current.soname = value;
      else if (tag === 'RPATH') current.rpath = value;
      else current.runpath = value;
    }
    if (section === 'need') {
      const need = /^ {2}\S+: Version: \d+ {2}File: (\S+) {2}Cnt: \d+$/.exec(line);
      if (need) current.verneed.push(`file ${need[1]}`);
      const aux = /^ {2}\S+: {3}Name: (\S+) {2}Flags: (\S+) {2}Version: (\d+)$/.exec(line);
      if (aux) current.verneed.push(`${aux[1]} ${aux[2]} ${aux[3]}`);
    }
    if (section === 'def') {
      const def = /^ {2}\S+: Rev: \d+ {2}Flags: \S+ {2}Index: \d+ {2}Cnt: \d+ {2}Name: (\S+)$/.exec(line);
      if (def) current.verdef.push(def[1] as string);
    }
  }
  return facts;
}

const FLAG_NAMES: Record<number, string> = { 0: 'none', 1: 'BASE', 2: 'WEAK' };

function ourFacts(file: string): Facts {
  const source = fileByteSource(file);
  try {
    const info = parseElf(source, { go: false, vdso: false });
    const d = info.dynamic;
    return {
      interpreter: info.interpreter,
      needed: d?.needed ?? [],
      soname: d?.soname ?? null,
      rpath: d && d.rpath.length > 0 ? d.rpath.join(':') : null,
      runpath: d && d.runpath.length > 0 ? d.runpath.join(':') : null,
      verneed: (d?.verneed ?? []).flatMap((n) => [`file ${n.file}`, ...n.versions.map((v) => `${v.name} ${FLAG_NAMES[v.flags] ?? v.flags} ${v.other}`)]),
      verdef: d?.verdef ?? [],
    };
  } finally {
    source.close();
  }
}

describe.skipIf(!hasTool('readelf'))('readelf cross-check on this machine', () => {
  test('interpreter, NEEDED, SONAME, RPATH, RUNPATH, version needs and definitions', () => {
    const files = elfFiles();
    expect(files.length).toBeGreaterThan(100);
    const mismatches: string[] = [];
    const seen = { interpreter: 0, needed: 0, soname: 0, searchPath: 0, verneed: 0, verdef: 0 };
    for (let i = 0; i < files.length; i += BATCH) {
      const batch = files.slice(i, i + BATCH);
      const expected = readelfFacts(batch.length === 1 ? [...batch, ...batch] : batch);
      for (const file of batch) {
        const theirs = expected.get(file);
        const ours = ourFacts(file);
        if (theirs) {
          seen.interpreter += theirs.interpreter ? 1 : 0;
          seen.needed += theirs.needed.length > 0 ? 1 : 0;
          seen.soname += theirs.soname ? 1 : 0;
          seen.searchPath += theirs.rpath || theirs.runpath ? 1 : 0;
          seen.verneed += theirs.verneed.length > 0 ? 1 : 0;
          seen.verdef += theirs.verdef.length > 0 ? 1 : 0;
        }
        if (!theirs) mismatches.push(`${file}: readelf printed nothing`);
        else if (JSON.stringify(ours) !== JSON.stringify(theirs)) mismatches.push(`${file}: ours ${JSON.stringify(ours)} readelf ${JSON.stringify(theirs)}`);
      }
    }
    console.info(`[readelf cross-check] ${files.length} ELF files compared: ${JSON.stringify(seen)}`);
    expect(mismatches).toEqual([]);
    // The comparison is not vacuous: every kind of fact occurs.
    for (const count of Object.values(seen)) expect(count).toBeGreaterThan(0);
  }, 300_000);
});

#!/usr/bin/env node
/**
 * `node bench/profile-top.mjs FILE.cpuprofile [N]`: the top N functions of a V8 CPU profile
 * (`node --cpu-prof`) by self time, with their share of all samples, and the share of the
 * profile's special nodes ((garbage collector), (program), (idle)). `--by-file` sums self time
 * per script file instead of per function. No project imports.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';

const args = process.argv.slice(2);
const byFile = args.includes('--by-file');
const [file, count = '25'] = args.filter((arg) => arg !== '--by-file');
if (!file) {
  process.stderr.write('usage: node bench/profile-top.mjs FILE.cpuprofile [N] [--by-file]\n');
  process.exit(2);
}
const profile = JSON.parse(readFileSync(file, 'utf8'));
const byId = new Map(profile.nodes.map((node) => [node.id, node]));
const selfMicros = new Map();
// samples[i] was taken timeDeltas[i + 1] before the next one: charge each sample its delta.
for (let i = 0; i < profile.samples.length; i++) {
  const delta = profile.timeDeltas[i + 1] ?? 0;
  selfMicros.set(profile.samples[i], (selfMicros.get(profile.samples[i]) ?? 0) + delta);
}
const totals = new Map();
let all = 0;
for (const [id, micros] of selfMicros) {
  const { callFrame } = byId.get(id);
  const where = callFrame.url ? `${path.basename(callFrame.url)}:${callFrame.lineNumber + 1}` : '';
  const special = !callFrame.url && callFrame.functionName.startsWith('(');
  const key = byFile && !special ? path.basename(callFrame.url) || '(native)' : `${callFrame.functionName || '(anonymous)'} ${where}`.trim();
  totals.set(key, (totals.get(key) ?? 0) + micros);
  all += micros;
}
const busy = all - (totals.get('(idle)') ?? 0);
const rows = [...totals].sort((a, b) => b[1] - a[1]).slice(0, Number(count));
process.stdout.write(`${(all / 1e6).toFixed(2)} s sampled, ${(busy / 1e6).toFixed(2)} s not idle\n`);
process.stdout.write('| self ms | % of not idle | function |\n|---:|---:|---|\n');
for (const [key, micros] of rows) {
  const share = key === '(idle)' ? '—' : `${((micros / busy) * 100).toFixed(1)}`;
  process.stdout.write(`| ${(micros / 1000).toFixed(0)} | ${share} | \`${key}\` |\n`);
}

#!/usr/bin/env node
/**
 * `node bench/peak-mappings.mjs COMMAND [ARGS...]`: runs COMMAND (without NODE_EXTRA_CA_CERTS),
 * reads its /proc/PID/smaps every 50 ms and, at exit, prints the sample with the most resident
 * memory: every anonymous mapping above 1 MiB resident (address, size, resident MiB, and the
 * mappings around it: a WebAssembly memory is followed by a guard region of about 10 GiB
 * `---p`, a glibc thread arena by the rest of its 64 MiB), then resident MiB by mapping size.
 * Used for docs/benchmarks.md (2026-12-07, fifth session), e.g.:
 *
 *   node bench/peak-mappings.mjs node bin/imgslim.js analyze IMAGE --format json --quiet
 */
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';

const [command, ...args] = process.argv.slice(2);
if (!command) {
  process.stderr.write('usage: node bench/peak-mappings.mjs COMMAND [ARGS...]\n');
  process.exit(2);
}
const MiB = 1 << 20;
const env = { ...process.env };
delete env.NODE_EXTRA_CA_CERTS;
const child = spawn(command, args, { stdio: ['ignore', 'ignore', 'inherit'], env });

/** The child's mappings: { address, size, perm, name, resident } (sizes in MiB). */
function mappings() {
  const maps = [];
  for (const line of readFileSync(`/proc/${child.pid}/smaps`, 'utf8').split('\n')) {
    const head = /^([0-9a-f]+)-([0-9a-f]+) (\S+) \S+ \S+ \S+\s*(.*)$/.exec(line);
    if (head) maps.push({ address: head[1], size: (parseInt(head[2], 16) - parseInt(head[1], 16)) / MiB, perm: head[3], name: head[4], resident: 0 });
    else if (line.startsWith('Rss:') && maps.length > 0) maps[maps.length - 1].resident = Number(line.split(/\s+/)[1]) / 1024;
  }
  return maps;
}

let peak = { resident: 0, maps: [] };
const timer = setInterval(() => {
  try {
    const maps = mappings();
    const resident = maps.reduce((sum, map) => sum + map.resident, 0);
    if (resident > peak.resident) peak = { resident, maps };
  } catch {
    // The child has exited between two samples.
  }
}, 50);

child.on('exit', (code) => {
  clearInterval(timer);
  const { maps } = peak;
  const around = (map) => (map ? `${map.perm} ${map.size.toFixed(2)}` : '-');
  process.stdout.write(`peak resident ${peak.resident.toFixed(0)} MiB (exit ${code})\n`);
  maps.forEach((map, i) => {
    if (map.name || map.resident <= 1) return;
    process.stdout.write(`${map.address} ${map.perm} ${map.size.toFixed(2)} MiB, ${map.resident.toFixed(1)} resident | before: ${around(maps[i - 1])} | after: ${around(maps[i + 1])}\n`);
  });
  const bySize = new Map();
  for (const map of maps) {
    if (map.name || map.resident <= 0.5) continue;
    const key = `${map.size.toFixed(2)} MiB ${map.perm}`;
    const entry = bySize.get(key) ?? { count: 0, resident: 0 };
    entry.count++;
    entry.resident += map.resident;
    bySize.set(key, entry);
  }
  for (const [key, { count, resident }] of [...bySize].sort((a, b) => b[1].resident - a[1].resident).slice(0, 15)) {
    process.stdout.write(`${key.padEnd(20)} ${count} mapping(s), ${resident.toFixed(1)} MiB resident\n`);
  }
});

#!/usr/bin/env node
/**
 * `node bench/worker-load.mjs [ROUNDS]`: what starting two layer workers costs, by what they load.
 * Each round starts two worker threads (as a scan does) that import nothing, dist/'s scan task
 * module by module, or the bundle's (dist/bundle/, scripts/bundle.mjs), and exit; it prints the
 * median CPU time (user+sys of this process, all threads) and wall time of each. Needs
 * `npm run build`. docs/decisions.md ("One bundle") cites it.
 */
import { Worker } from 'node:worker_threads';

const rounds = Number(process.argv[2] ?? 7);
const variants = {
  'empty worker': null,
  "dist/'s modules": new URL('../dist/analysis/scan-task.js', import.meta.url).href,
  'dist/bundle/': new URL('../dist/bundle/scan-task.js', import.meta.url).href,
};

function startTwo(moduleUrl) {
  const code = moduleUrl ? `import(${JSON.stringify(moduleUrl)}).then(() => process.exit(0))` : 'process.exit(0)';
  const cpu = process.cpuUsage();
  const wall = performance.now();
  const one = () =>
    new Promise((resolve, reject) => {
      const worker = new Worker(code, { eval: true });
      worker.on('error', reject);
      worker.on('exit', resolve);
    });
  return Promise.all([one(), one()]).then(() => {
    const used = process.cpuUsage(cpu);
    return { cpu: (used.user + used.system) / 1000, wall: performance.now() - wall };
  });
}

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
const runs = Object.fromEntries(Object.keys(variants).map((name) => [name, []]));
for (let round = 0; round < rounds; round++) {
  for (const [name, url] of Object.entries(variants)) runs[name].push(await startTwo(url));
}
process.stdout.write(`two workers, median of ${rounds} rounds\n`);
for (const [name, list] of Object.entries(runs)) {
  const cpu = median(list.map((run) => run.cpu));
  const wall = median(list.map((run) => run.wall));
  process.stdout.write(`${name.padEnd(16)} CPU ${cpu.toFixed(0).padStart(4)} ms  wall ${wall.toFixed(0).padStart(4)} ms\n`);
}

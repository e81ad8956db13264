/**
 * The benchmark's statistics and markdown tables, and writing them into docs/benchmarks.md
 * between the `<!-- bench-results:begin -->` and `<!-- bench-results:end -->` markers.
 * No project imports.
 */
import { readFileSync, writeFileSync } from 'node:fs';

const BEGIN = '<!-- bench-results:begin -->';
const END = '<!-- bench-results:end -->';

export function median(values) {
  const sorted = values.filter((v) => Number.isFinite(v)).sort((a, b) => a - b);
  if (sorted.length === 0) return null;
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

const fixed = (value, digits = 2) => (value === null || value === undefined ? 'n/a' : value.toFixed(digits));

/** rounds[r][id] = { ok, wallSeconds, cpuSeconds, rssMB } (repeated steps: their fastest run). */
export function renderSteps(steps, rounds) {
  const lines = ['| step | what | wall s (median) | CPU s (median) | peak RSS MB |', '|---|---|---:|---:|---:|'];
  for (const step of steps) {
    const runs = rounds.map((round) => round[step.id]).filter((run) => run?.ok);
    const wall = median(runs.map((run) => run.wallSeconds));
    const cpu = median(runs.map((run) => run.cpuSeconds));
    const rss = runs.length ? Math.max(...runs.map((run) => run.rssMB)) : null;
    lines.push(`| ${step.id} | ${step.title} | ${fixed(wall)} | ${fixed(cpu)} | ${fixed(rss, 0)} |`);
  }
  return lines.join('\n');
}

/** Value of a metric for one run. */
function metricOf(run, metric) {
  if (!run?.ok) return null;
  return metric === 'cpu' ? run.cpuSeconds : metric === 'rss' ? run.rssMB : run.wallSeconds;
}

/** Each check: its measured value, target and verdict. `floor(round, id)` resolves A/H. */
export function evaluateChecks(checks, rounds, floor) {
  return checks.map((check) => {
    if (check.metric === 'peak') {
      const peaks = check.steps.map((id) => ({ id, rss: Math.max(0, ...rounds.map((round) => (round[id]?.ok ? round[id].rssMB : 0))) }));
      const worst = peaks.reduce((a, b) => (b.rss > a.rss ? b : a));
      const measured = peaks.some((p) => p.rss > 0);
      return { check, value: measured ? `${worst.rss.toFixed(0)} MB (${worst.id})` : 'n/a', target: `≤ ${check.maxMB} MB`, pass: measured ? worst.rss <= check.maxMB : null };
    }
    if (check.metric === 'best') {
      const best = fastest(rounds, check.step);
      const floor = check.beside ? fastest(rounds, check.beside) : null;
      const beside = best !== null && floor !== null ? ` (\`${check.beside}\` step: ${(floor * 1000).toFixed(0)} ms; ${(best / floor).toFixed(2)}×)` : '';
      return { check, value: best === null ? 'n/a' : `${(best * 1000).toFixed(0)} ms${beside}`, target: `≤ ${check.maxSeconds * 1000} ms`, pass: best === null ? null : best <= check.maxSeconds };
    }
    const ratios = rounds.map((round) => {
      const value = metricOf(round[check.step], check.metric);
      const parts = check.of.map((id) => metricOf(floor(round, id), check.metric));
      return value === null || parts.some((p) => p === null) ? null : value / parts.reduce((a, b) => a + b, 0);
    });
    const ratio = median(ratios.filter((r) => r !== null));
    const unit = check.metric === 'rss' ? 'peak RSS' : check.metric === 'cpu' ? 'CPU' : 'wall';
    return { check, value: ratio === null ? 'n/a' : `${ratio.toFixed(2)}× ${check.of.join(' + ')} (${unit})`, target: `≤ ${check.max}×`, pass: ratio === null ? null : ratio <= check.max };
  });
}

/** The fastest successful run of a step across rounds (seconds), or null. */
function fastest(rounds, id) {
  const runs = rounds.map((round) => round[id]).filter((run) => run?.ok);
  return runs.length ? Math.min(...runs.map((run) => run.wallSeconds)) : null;
}

export function renderChecks(results) {
  const lines = ['| target | measured (median of per-round ratios) | target | result |', '|---|---|---|---|'];
  for (const { check, value, target, pass } of results) lines.push(`| ${check.title} | ${value} | ${target} | ${pass === null ? 'n/a' : pass ? 'pass' : 'fail'} |`);
  return lines.join('\n');
}

/** Replaces the section between the markers in `file` with `content`. */
export function writeResults(file, content) {
  const text = readFileSync(file, 'utf8');
  const begin = text.indexOf(BEGIN);
  const end = text.indexOf(END);
  if (begin < 0 || end < begin) throw new Error(`${file}: missing the ${BEGIN} … ${END} markers`);
  writeFileSync(file, `${text.slice(0, begin + BEGIN.length)}\n${content}\n${text.slice(end)}`);
}

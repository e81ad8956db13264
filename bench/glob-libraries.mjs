// Times glob matchers on patterns whose stars make a backtracking RegExp explode, to choose the
// one glob matcher of imgslim (docs/decisions.md, "Globs"). The libraries are not dependencies:
//   npm install --no-save picomatch minimatch micromatch && node bench/glob-libraries.mjs
// Each case runs in a child process killed after 20 s.
import { spawnSync } from 'node:child_process';

const cases = {
  'stars, 30 chars': ["/app/" + "*d".repeat(11) + "*Q", "/app/" + "d".repeat(30)],
  'stars, 40 chars': ["/app/" + "*d".repeat(11) + "*Q", "/app/" + "d".repeat(40)],
  'braces ×14': ["/x/" + "{a,b}".repeat(14), "/x/" + "ab".repeat(7)],
};
const matchers = {
  regexp: `(p, s) => new RegExp('^' + p.replace(/\\*/g, '[^/]*') + '$').test(s)`,
  picomatch: `((m) => (p, s) => m(s, p))((await import('picomatch')).default.isMatch)`,
  micromatch: `((m) => (p, s) => m(s, p))((await import('micromatch')).default.isMatch)`,
  minimatch: `((m) => (p, s) => m(s, p, { dot: true, noext: true, nonegate: true, nocomment: true }))((await import('minimatch')).minimatch)`,
  imgslim: `((c) => (p, s) => c(p)(s))((await import('../dist/shared/glob/index.js')).compileGlob)`,
};
for (const [name, [pattern, path]] of Object.entries(cases)) {
  for (const [library, source] of Object.entries(matchers)) {
    const script = `const match = ${source}; const t = performance.now(); const r = match(${JSON.stringify(pattern)}, ${JSON.stringify(path)}); console.log(r, (performance.now() - t).toFixed(1));`;
    const run = spawnSync(process.execPath, ['--input-type=module', '-e', script], { cwd: new URL('.', import.meta.url), timeout: 20_000, encoding: 'utf8' });
    const error = run.stderr.split('\n').find((line) => /^[A-Za-z]*Error\b/.test(line));
    const out = run.status === 0 ? `${run.stdout.trim().split(' ')[1]} ms` : run.signal ? '> 20 s' : error;
    console.log(`${name.padEnd(16)} ${library.padEnd(11)} ${out}`);
  }
}

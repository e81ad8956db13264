#!/usr/bin/env node
/**
 * `node bench/policy-cost.mjs [--full] [--runs N]`: what `imgslim check` spends on the policy
 * itself (dist/policy), the table of docs/decisions/policy.md "Measurements": all 22 rules, with
 * ignore entries (one current, one expired) on every file rule, evaluated over a synthetic Report,
 * then the result rendered in all 5 formats (text, json, sarif, junit, github). Every binary
 * breaks several rules: a fifth each are dynamic glibc programs, non-PIE static programs without
 * canary or NX, libraries with text relocations, W+X segments and RPATHs under /tmp, programs
 * with a missing library, and Go programs built with cgo; some files are setuid, world-writable
 * or carry capabilities; the image is too large and wastes bytes; it runs as root (so every rule
 * fails, which the script checks). The Report is checked against the Report schema first.
 * Prints the first (cold) run and the range of N further warm runs (default 5).
 * Default report: 2,000 binaries in 30,000 entries; `--full` adds 20,000 binaries in 200,000
 * entries (a few seconds per run there). Writes nothing. Needs `npm run build` first.
 */
import { performance } from 'node:perf_hooks';
import { CHECK_FORMATS, configurePolicy, evaluatePolicy, mergeSettings, parsePolicyDocument, RULE_NAMES, renderCheckResult } from '../dist/policy/index.js';
import { SCHEMA_VERSION, summarizeReport } from '../dist/report/index.js';
import { reportErrors } from '../dist/report/validate.js';

const args = process.argv.slice(2);
const full = args.includes('--full');
const runsAt = args.indexOf('--runs');
const runs = runsAt >= 0 ? Number(args[runsAt + 1]) : 5;
if (!Number.isInteger(runs) || runs < 1) throw new Error('usage: node bench/policy-cost.mjs [--full] [--runs N]');
const sizes = full ? [[2_000, 30_000], [20_000, 200_000]] : [[2_000, 30_000]];

const TODAY = '2026-06-01';
const ignores = [
  { path: '/opt/vendor/**', reason: 'vendored, tracked upstream' },
  { path: '/usr/lib/legacy/**', reason: 'old exemption', expires: '2025-01-01' },
];
const withIgnores = (value) => ({ ...(value === true ? { enabled: true } : { value }), ignore: ignores });
const policyDocument = {
  rules: {
    'entrypoint-static': withIgnores(true),
    'no-dynamic': withIgnores(true),
    libc: withIgnores(['musl', 'none']),
    'max-glibc': withIgnores('2.31'),
    'no-missing-deps': withIgnores(true),
    'go-cgo-disabled': withIgnores(true),
    'max-size': { value: '50MB', measure: 'uncompressed' },
    'lowest-efficiency': '0.95',
    'highest-wasted-bytes': '20MB',
    'highest-user-wasted-percent': '0.1',
    'require-pie': withIgnores(true),
    'require-relro': withIgnores('full'),
    'require-nx': withIgnores(true),
    'require-canary': withIgnores(true),
    'no-textrel': withIgnores(true),
    'no-wx': withIgnores(true),
    'no-rpath': withIgnores(true),
    'no-insecure-rpath': withIgnores(true),
    'no-setuid': withIgnores(true),
    'no-world-writable': withIgnores(true),
    'no-capabilities': withIgnores(true),
    'non-root-user': true,
  },
};
const policy = configurePolicy(mergeSettings([parsePolicyDocument(policyDocument, 'bench-policy.yaml')], []), ['bench-policy.yaml']);
if (policy.rules.length !== RULE_NAMES.length || policy.rules.some((rule) => !rule.configured)) throw new Error('the bench policy does not enable every rule');

const HARDENED = { relro: 'full', canary: true, nx: true, pie: true, fortify: 'yes', textrel: false, wx: false, stripped: true, rpath: false, runpath: false };
const dep = (name, path, via, neededBy, depth, problem = null) => ({ name, path, via, viaDetail: null, neededBy, chain: path ? [path] : [], depth, problem });

function binary(path, kind, index) {
  const dynamic = kind !== 1;
  const base = {
    path,
    hardLinks: [],
    size: 100_000 + index,
    layer: index % 5,
    digest: null,
    sha1: null,
    class: 'ELF64',
    endian: 'little',
    machine: 'x86-64',
    osabi: 'SYSV',
    type: kind === 1 ? 'EXEC' : 'DYN',
    role: kind === 2 ? 'library' : 'executable',
    linkage: dynamic ? 'dynamic' : 'static',
    libc: dynamic ? 'glibc' : 'none',
    interpreter: dynamic ? '/lib64/ld-linux-x86-64.so.2' : null,
    needed: dynamic ? ['libc.so.6'] : [],
    soname: kind === 2 ? path.slice(path.lastIndexOf('/') + 1) : null,
    rpath: kind === 2 ? ['/tmp/build/lib', '$ORIGIN/../lib'] : [],
    runpath: kind === 2 ? [''] : [],
    versionNeeds: dynamic ? { 'libc.so.6': ['GLIBC_2.2.5', 'GLIBC_2.34'] } : {},
    versionDefs: [],
    glibcFloor: dynamic ? 'GLIBC_2.34' : null,
    glibcProvided: null,
    muslVersion: null,
    resolved: dynamic
      ? [dep('/lib64/ld-linux-x86-64.so.2', '/lib/x86_64-linux-gnu/ld-linux-x86-64.so.2', 'interpreter', path, 0), dep('libc.so.6', '/lib/x86_64-linux-gnu/libc.so.6', 'default-path', path, 1)]
      : [],
    vdso: { uses: dynamic, evidence: null },
    go: null,
    toolchain: [],
    buildId: null,
    package: null,
    hardening: kind === 1 ? { ...HARDENED, relro: 'none', canary: false, nx: false, pie: false, fortify: 'n/a' } : { ...HARDENED },
    neverLoaded: null,
    status: 'ok',
    problems: [],
    diagnostics: [],
  };
  if (kind === 2) Object.assign(base.hardening, { relro: 'partial', canary: false, textrel: true, wx: true, rpath: true, runpath: true });
  if (kind === 3) {
    const problem = `libmissing${index}.so.1 not found (needed by ${path})`;
    base.needed = ['libc.so.6', `libmissing${index}.so.1`];
    base.resolved.push(dep(`libmissing${index}.so.1`, null, 'not-found', path, 1, problem));
    base.status = 'will-fail';
    base.problems = [problem];
  }
  if (kind === 4) {
    base.go = { version: 'go1.22.0', path: 'example.com/cmd', mainModule: 'example.com/cmd@(devel)', settings: { CGO_ENABLED: '1' }, deps: [], cgoEnabled: true };
  }
  return base;
}

function syntheticReport(binaryCount, entryCount) {
  const binaries = [];
  const entries = [];
  const entry = (path, type, mode, extra = {}) => ({ path, type, size: type === 'file' ? 4096 : 0, mode, uid: 0, gid: 0, linkTarget: null, layer: 1, xattrs: [], capabilities: null, ...extra });
  for (const dir of ['/usr', '/usr/bin', '/usr/lib', '/opt', '/opt/vendor', '/data']) entries.push(entry(dir, 'directory', 0o755));
  for (let i = 0; i < binaryCount; i++) {
    const kind = i % 5;
    const where = i % 50 === 49 ? '/opt/vendor' : kind === 2 ? '/usr/lib' : '/usr/bin';
    const path = kind === 2 ? `${where}/libbench${i}.so.1` : `${where}/prog${i}`;
    binaries.push(binary(path, kind, i));
    const setuid = i % 97 === 0 ? 0o4000 : 0;
    entries.push(entry(path, 'file', 0o755 | setuid, { size: 100_000 + i }));
  }
  for (let i = 0; entries.length < entryCount; i++) {
    const dir = i % 100 === 0;
    const worldWritable = i % 89 === 0 ? 0o002 : 0;
    const caps = i % 151 === 0 ? { xattrs: ['security.capability'], capabilities: ['cap_net_raw=ep'] } : {};
    entries.push(entry(`/data/${dir ? 'dir' : 'file'}${i}`, dir ? 'directory' : 'file', (dir ? 0o755 : 0o644) | worldWritable, caps));
  }
  const layers = Array.from({ length: 5 }, (_, index) => ({
    index,
    digest: `sha256:${String(index).padStart(64, 'a')}`,
    diffId: `sha256:${String(index).padStart(64, 'b')}`,
    mediaType: 'application/vnd.oci.image.layer.v1.tar+gzip',
    compression: 'gzip',
    compressedSize: 40_000_000,
    size: 100_000_000,
    tarSize: 101_000_000,
    createdBy: `RUN step ${index}`,
    created: '2026-01-01T00:00:00Z',
    comment: null,
    files: { entries: entryCount / 5, added: entryCount / 5, modified: 0, removed: 0, addedBytes: 100_000_000, modifiedBytes: 0 },
    reclaimableBytes: 0,
    changes: [],
  }));
  const files = entries.filter((e) => e.type === 'file');
  const report = {
    schemaVersion: SCHEMA_VERSION,
    tool: { name: 'imgslim', version: '0.0.0-bench' },
    source: {
      path: 'bench-image.tar',
      format: 'docker-archive',
      manifestDigest: `sha256:${'c'.repeat(64)}`,
      manifestMediaType: 'application/vnd.docker.distribution.manifest.v2+json',
      configDigest: `sha256:${'d'.repeat(64)}`,
      platform: 'linux/amd64',
      reference: 'bench/policy:1',
      tags: ['bench/policy:1'],
    },
    config: {
      entrypoint: ['/usr/bin/prog0'],
      cmd: null,
      env: ['PATH=/usr/bin'],
      user: null,
      workingDir: null,
      exposedPorts: null,
      labels: null,
      volumes: null,
      stopSignal: null,
      os: 'linux',
      architecture: 'amd64',
      variant: null,
      created: '2026-01-01T00:00:00Z',
    },
    layers,
    filesystem: {
      files: files.length,
      directories: entries.length - files.length,
      symlinks: 0,
      hardlinks: 0,
      other: 0,
      totalSize: files.reduce((sum, e) => sum + e.size, 0),
      entries,
    },
    efficiency: {
      score: 0.8,
      wastedBytes: 30_000_000,
      userWastedPercent: 0.3,
      reclaimableBytes: 30_000_000,
      topWasted: [{ path: '/data/file1', count: 3, cumulativeSize: 12_000_000 }],
    },
    binaries,
    entrypoint: {
      argv: ['/usr/bin/prog0'],
      path: '/usr/bin/prog0',
      binary: '/usr/bin/prog0',
      command: null,
      interpreters: [],
      applet: null,
      startable: true,
      reasons: ['/usr/bin/prog0 is a dynamic ELF executable'],
    },
    findings: binaries
      .filter((b) => b.problems.length > 0)
      .map((b) => ({ id: 'missing-library', severity: 'error', path: b.path, message: b.problems[0] })),
    distro: null,
    packages: [],
    packageDatabases: [],
  };
  report.summary = summarizeReport(report);
  const errors = reportErrors(report);
  if (errors.length > 0) throw new Error(`the synthetic report is not a valid Report: ${errors.slice(0, 3).join('; ')}`);
  return report;
}

function timed(task) {
  const start = performance.now();
  const value = task();
  return { ms: performance.now() - start, value };
}
const range = (list) => {
  const [low, high] = [Math.min(...list), Math.max(...list)];
  return low === high ? `${low.toFixed(0)} ms` : `${low.toFixed(0)}–${high.toFixed(0)} ms`;
};

process.stdout.write(`Node ${process.version}, ${policy.rules.length} rules, first run then ${runs} warm runs\n`);
process.stdout.write('| report | evaluate | render all 5 formats | violations |\n|---|---|---|---|\n');
for (const [binaryCount, entryCount] of sizes) {
  const report = syntheticReport(binaryCount, entryCount);
  const evaluate = [];
  const render = [];
  let result;
  const bytes = {};
  for (let run = 0; run <= runs; run++) {
    const evaluated = timed(() => evaluatePolicy(report, policy, { today: TODAY }));
    result = evaluated.value;
    evaluate.push(evaluated.ms);
    render.push(
      timed(() => {
        for (const format of CHECK_FORMATS) bytes[format] = Buffer.byteLength(renderCheckResult(result, format));
      }).ms,
    );
  }
  if (result.counts.fail !== RULE_NAMES.length) {
    const passing = result.results.filter((rule) => rule.status !== 'fail').map((rule) => rule.rule);
    throw new Error(`every rule should fail on the synthetic report; these do not: ${passing.join(', ')}`);
  }
  const violations = result.results.reduce((sum, rule) => sum + rule.violations.length, 0);
  const ignored = result.results.reduce((sum, rule) => sum + rule.ignored.length, 0);
  const label = `${binaryCount.toLocaleString('en-US')} binaries, ${entryCount.toLocaleString('en-US')} entries`;
  process.stdout.write(
    `| ${label} | ${range(evaluate.slice(1))} (${evaluate[0].toFixed(0)} ms first) | ${range(render.slice(1))} (${render[0].toFixed(0)} ms first; SARIF ${(bytes.sarif / 1e6).toFixed(1)} MB) | ${violations.toLocaleString('en-US')} (${ignored} ignored) |\n`,
  );
}

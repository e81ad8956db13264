/**
 * What `npm run bench` runs (steps, each a process timed in every round) and what it checks
 * (targets, ratios of steps measured in the same round). To add a row: add a step (and, for a
 * target, a check); `setup`/`teardown` run once per bench run, around all rounds, for steps
 * that need a service (e.g. a registry on 127.0.0.1). A step whose `command` returns null is
 * skipped (a tool is missing), its checks show n/a. No project imports.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { startBenchRegistry } from './registry.mjs';

const hasTool = (name) => ['/usr/bin', '/bin', '/usr/local/bin'].some((dir) => existsSync(path.join(dir, name)));

/**
 * ctx: { node, cli, repo, work, images: { gzip, zstd, x2, oci }, kept: string[] | null }
 * images.* are make-image/make-variants metadata ({ image, layers: [{ blob }] }).
 */
export function benchSteps() {
  const baseline = (mode, via) => (ctx) => [ctx.node, path.join(ctx.repo, 'bench', 'baseline.mjs'), mode, '--via', via, ...blobs(ctx.images.gzip)];
  const imgslim = (args) => (ctx) => [ctx.node, ctx.cli, ...args(ctx)];
  return [
    { id: 'A-sync', title: 'A: Node zlib inflate, layer after layer (sync handle, one thread)', command: baseline('inflate', 'sync') },
    { id: 'A-stream', title: 'A: Node zlib inflate, layer after layer (zlib streams)', command: baseline('inflate', 'stream') },
    { id: 'H-sync', title: 'H: A + sha256 of compressed and uncompressed bytes (sync handle)', command: baseline('hash', 'sync') },
    { id: 'H-stream', title: 'H: A + sha256 of compressed and uncompressed bytes (zlib streams)', command: baseline('hash', 'stream') },
    {
      id: 'Z',
      title: 'Z: `zstd -dc` + sha256 of both sides (`openssl dgst`), layer after layer (zstd image)',
      command: (ctx) => (hasTool('zstd') && hasTool('openssl') ? hashedPipe('zstd -qdc', blobs(ctx.images.zstd)) : null),
    },
    {
      id: 'I',
      title: 'I: `igzip -dc` (ISA-L) + sha256 of both sides (`openssl dgst`), layer after layer (the stretch floor)',
      command: (ctx) => (hasTool('igzip') && hasTool('openssl') ? hashedPipe('igzip -dc', blobs(ctx.images.gzip)) : null),
    },
    { id: 'igzip', title: '`igzip -dc` (ISA-L) of the gzip layers', command: (ctx) => (hasTool('igzip') ? ['igzip', '-dc', ...blobs(ctx.images.gzip)] : null) },
    {
      id: 'libdeflate',
      title: '`libdeflate-gunzip -c` of the gzip layers',
      command: (ctx) => (hasTool('libdeflate-gunzip') ? ['bash', '-c', 'for f; do libdeflate-gunzip -c "$f"; done', 'bash', ...blobs(ctx.images.gzip)] : null),
    },
    { id: 'gzip', title: '`gzip -dc` (GNU gzip) of the gzip layers', command: (ctx) => ['gzip', '-dc', ...blobs(ctx.images.gzip)] },
    { id: 'analyze', title: '`imgslim analyze IMAGE --format json --quiet` (gzip docker-archive)', command: imgslim((ctx) => ['analyze', ctx.images.gzip.image, '--format', 'json', '--quiet']) },
    {
      id: 'analyze-zlib',
      title: '`imgslim analyze` of the gzip docker-archive with `IMGSLIM_GZIP=zlib` (Node\'s zlib instead of ISA-L)',
      command: imgslim((ctx) => ['analyze', ctx.images.gzip.image, '--format', 'json', '--quiet']),
      env: { IMGSLIM_GZIP: 'zlib' },
    },
    { id: 'analyze-oci', title: '`imgslim analyze` of the same gzip image as an OCI layout', command: imgslim((ctx) => ['analyze', ctx.images.oci.image, '--format', 'json', '--quiet']) },
    {
      id: 'analyze-registry',
      title: '`imgslim analyze docker://127.0.0.1:PORT/…` of the same OCI image (loopback docker-registry)',
      setup: async (ctx) => {
        if (!hasTool('docker-registry') || !hasTool('skopeo')) return;
        ctx.registry = await startBenchRegistry(path.join(ctx.work, 'registry'), ctx.images.oci.image);
      },
      teardown: async (ctx) => ctx.registry?.stop(),
      command: (ctx) => (ctx.registry ? [ctx.node, ctx.cli, 'analyze', ctx.registry.reference, '--format', 'json', '--quiet'] : null),
    },
    { id: 'analyze-zstd', title: '`imgslim analyze` of the zstd OCI layout', command: imgslim((ctx) => ['analyze', ctx.images.zstd.image, '--format', 'json', '--quiet']) },
    { id: 'analyze-x2', title: '`imgslim analyze` of the 2× image', command: imgslim((ctx) => ['analyze', ctx.images.x2.image, '--format', 'json', '--quiet']) },
    { id: 'check', title: '`imgslim check IMAGE --quiet` (default rules)', command: imgslim((ctx) => ['check', ctx.images.gzip.image, '--quiet']), mayFail: [1] },
    {
      id: 'slim',
      title: '`imgslim slim IMAGE -o OUT --quiet`',
      command: imgslim((ctx) => ['slim', ctx.images.gzip.image, '-o', path.join(ctx.work, 'slim-out.tar'), '--quiet']),
      before: (ctx) => ctx.removeSlimOutput(),
      after: (ctx) => ctx.keepSlimLayers(),
    },
    {
      id: 'C',
      title: 'C: Node zlib gzip -6 of the kept layer tar (slim output, uncompressed)',
      command: (ctx) => (ctx.kept ? [ctx.node, path.join(ctx.repo, 'bench', 'baseline.mjs'), 'deflate', '--level', '6', ...ctx.kept] : null),
    },
    { id: 'node', title: '`node -e 0` (Node start-up alone)', command: (ctx) => [ctx.node, '-e', '0'], repeat: 5 },
    { id: 'version', title: '`imgslim --version`', command: imgslim(() => ['--version']), repeat: 5 },
  ];
}

/**
 * Targets (issue 13). `of` sums baselines; H and A are the faster of their two variants in each
 * round (the floor is the fastest way Node's zlib does the work). Ratios are taken per round,
 * then the median across rounds.
 */
export function benchChecks() {
  return [
    { title: 'analyze, gzip image (11 layers), wall', step: 'analyze', metric: 'wall', of: ['H'], max: 0.75 },
    { title: 'analyze, CPU time (user + sys, all threads)', step: 'analyze', metric: 'cpu', of: ['H'], max: 1.25 },
    { title: 'analyze, zstd image, wall', step: 'analyze-zstd', metric: 'wall', of: ['Z'], max: 1.0 },
    { title: 'slim, wall', step: 'slim', metric: 'wall', of: ['H', 'C'], max: 1.25 },
    { title: 'analyze of the OCI layout vs the docker-archive, wall', step: 'analyze-oci', metric: 'wall', of: ['analyze'], max: 1.1 },
    { title: 'analyze from a loopback registry vs the OCI layout, wall', step: 'analyze-registry', metric: 'wall', of: ['analyze-oci'], max: 1.15 },
    { title: 'scaling: analyze 2× / 1×, wall', step: 'analyze-x2', metric: 'wall', of: ['analyze'], max: 2.1 },
    { title: 'scaling: analyze 2× / 1×, peak RSS', step: 'analyze-x2', metric: 'rss', of: ['analyze'], max: 1.1 },
    { title: 'stretch: analyze, gzip image, wall vs I (igzip + sha256 serial)', step: 'analyze', metric: 'wall', of: ['I'], max: 1.0 },
    { title: '`imgslim --version`, one Node process (fastest run; beside it `node -e 0`, the floor)', step: 'version', metric: 'best', maxSeconds: 0.08, beside: 'node' },
    { title: 'peak RSS, every imgslim command', steps: ['analyze', 'analyze-oci', 'analyze-registry', 'analyze-zstd', 'analyze-x2', 'check', 'slim', 'version'], metric: 'peak', maxMB: 200 },
  ];
}

/** Steps that stand for the faster of two variants, per round. */
export const FLOORS = { A: ['A-sync', 'A-stream'], H: ['H-sync', 'H-stream'] };

const blobs = (meta) => meta.layers.map((layer) => layer.blob);

/**
 * `decompress` of each file piped into sha256, after sha256 of the file itself. OpenSSL's sha256
 * (SHA-NI here), not coreutils' `sha256sum`, which hashes about 2× slower here: a baseline is the fastest
 * tool that does the work.
 */
const hashedPipe = (decompress, files) => [
  'bash',
  '-c',
  `for f; do openssl dgst -sha256 "$f" >/dev/null; ${decompress} "$f" | openssl dgst -sha256 >/dev/null; done`,
  'bash',
  ...files,
];

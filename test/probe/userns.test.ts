/**
 * Probes without root: the built CLI run as uid/gid 65534 (setpriv, no supplementary groups)
 * goes through an unprivileged user namespace, and must trace the same paths, keep the same
 * files and verify the same outcomes as root does: busybox (command probes, the image's User,
 * httpd) and a Debian-package server (python3.11's http.server as User nobody). Where user namespaces cannot be created (an
 * unmapped user namespace, in which the kernel refuses a nested one), exit 2 with one line.
 * CI runs the tests as root: they drop privileges themselves.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { chownSync, cpSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, test } from 'vitest';
import { ensureBuilt } from '../helpers/build.js';
import { runCliInProcess, runCollecting, type CliResult } from '../helpers/cli.js';
import { repoRoot } from '../helpers/peer-corpus.js';
import { hasTool, isRoot, missingPrerequisite, testTmp } from '../helpers/tools.js';
import { buildDebianImage, canBuildDebian } from '../slim/_debian.js';
import { listRootfs, unpack } from '../slim/_support.js';
import { freePort } from '../slim/_serve.js';
import { busyboxImage, hasBusybox } from './_busybox.js';

const NOBODY = 65534;
const work = testTmp('probe-userns');
const canDrop = isRoot('the unprivileged probe tests (they drop to uid 65534)') && ['setpriv', 'strace', 'unshare', 'nsenter', 'ip', 'skopeo', 'umoci'].every((tool) => hasTool(tool)) && hasBusybox;

/** A directory uid 65534 owns (its outputs and TMPDIR), emptied first. */
function nobodyDir(name: string): string {
  const dir = path.join(work, 'nobody', name);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(path.join(dir, 'tmp'), { recursive: true });
  for (const owned of [path.join(work, 'nobody'), dir, path.join(dir, 'tmp')]) chownSync(owned, NOBODY, NOBODY);
  return dir;
}

const DROP = ['setpriv', `--reuid=${NOBODY}`, `--regid=${NOBODY}`, '--clear-groups', '--'];

/** Whether uid 65534 can read every path given (`test -r` as that user). */
function nobodyReads(...paths: string[]): boolean {
  const tests = paths.map((_, index) => `test -r "$${index + 1}"`).join(' && ');
  return spawnSync(DROP[0]!, [...DROP.slice(1), 'sh', '-c', tests, 'sh', ...paths]).status === 0;
}

let cliRoot: string | undefined;
/**
 * A directory uid 65534 can run the built CLI from: the checkout when others can read it, else a
 * copy of bin/, dist/, package.json and the runtime dependencies (a clone in a 0700 directory,
 * as `mktemp -d` makes, is readable by root only).
 */
function nobodyCli(): string {
  ensureBuilt();
  if (cliRoot) return cliRoot;
  const runtimeFiles = ['bin/imgslim.js', 'dist/cli/main.js', 'node_modules/zstd-napi/package.json'];
  if (nobodyReads(...runtimeFiles.map((file) => path.join(repoRoot, file)))) return (cliRoot = repoRoot);
  const copy = path.join(work, 'cli');
  rmSync(copy, { recursive: true, force: true });
  mkdirSync(copy, { recursive: true, mode: 0o755 });
  for (const part of ['bin', 'dist', 'package.json']) cpSync(path.join(repoRoot, part), path.join(copy, part), { recursive: true });
  const runtime = execFileSync('npm', ['ls', '--omit=dev', '--all', '--parseable'], { cwd: repoRoot, encoding: 'utf8' })
    .split('\n')
    .map((line) => path.relative(repoRoot, line.trim()))
    .filter((relative) => relative.startsWith('node_modules'));
  const outermost = runtime.filter((relative) => !runtime.some((other) => other !== relative && relative.startsWith(`${other}${path.sep}`)));
  for (const relative of outermost) cpSync(path.join(repoRoot, relative), path.join(copy, relative), { recursive: true });
  execFileSync('chmod', ['-R', 'a+rX', copy]);
  return (cliRoot = copy);
}

/** Runs `node bin/imgslim.js ARGS` as uid 65534, after `prefix` (e.g. an unshare), TMPDIR in `dir`. */
function runAsNobody(dir: string, args: string[], prefix: string[] = []): Promise<CliResult> {
  const cli = path.join(nobodyCli(), 'bin', 'imgslim.js');
  return runCollecting([...DROP, ...prefix, process.execPath, cli, ...args], { cwd: dir, env: { PATH: process.env.PATH, HOME: dir, TMPDIR: path.join(dir, 'tmp') } });
}

/** Whether uid 65534 can run the CLI (from the checkout or a readable copy) and read `input` (a private TMPDIR cannot). */
function nobodyCanRead(input: string): boolean {
  const cli = nobodyCli();
  if (nobodyReads(path.join(cli, 'bin', 'imgslim.js'), path.join(cli, 'dist', 'cli', 'main.js'), input)) return true;
  missingPrerequisite(`uid ${NOBODY} cannot read the CLI (${cli}) or the test images (${input}): make them readable by others`, 'the unprivileged probe tests');
  return false;
}

interface Audit {
  probes: Array<{ probe: string; outcome: string; pathsUsed: number; verified: boolean | null }>;
  files: Array<{ path: string; reasons?: unknown }>;
}

/** What a slim run says about its probes: the outcomes, and the files kept because a probe used them. */
function probeFacts(auditFile: string): { probes: Array<[string, string, number, boolean | null]>; usedByProbe: string[] } {
  const audit = JSON.parse(readFileSync(auditFile, 'utf8')) as Audit;
  return {
    probes: audit.probes.map((probe) => [probe.probe, probe.outcome, probe.pathsUsed, probe.verified]),
    usedByProbe: audit.files.filter((file) => JSON.stringify(file).includes('used by probe')).map((file) => file.path).sort(),
  };
}

/** Slims `input` as root (in process) and as uid 65534 (the built CLI); both must succeed. */
async function slimBoth(name: string, input: string, options: string[]): Promise<{ root: string; nobody: string; nobodyResult: CliResult }> {
  const rootDir = path.join(work, 'root', name);
  rmSync(rootDir, { recursive: true, force: true });
  mkdirSync(rootDir, { recursive: true });
  const asRoot = await runCliInProcess(['slim', input, '-o', path.join(rootDir, 'slim.tar'), '-f', 'oci-archive', '-f', 'json', '--audit', path.join(rootDir, 'audit.json'), ...options]);
  expect(asRoot.code, asRoot.stderr).toBe(0);
  const nobodyDirectory = nobodyDir(name);
  const asNobody = await runAsNobody(nobodyDirectory, ['slim', input, '-o', path.join(nobodyDirectory, 'slim.tar'), '-f', 'oci-archive', '-f', 'json', '--audit', path.join(nobodyDirectory, 'audit.json'), ...options]);
  expect(asNobody.code, asNobody.stderr).toBe(0);
  return { root: rootDir, nobody: nobodyDirectory, nobodyResult: asNobody };
}

/**
 * Same outcomes, verification and kept files as root; the same number of paths used (failed
 * lookups included) unless `tracesDiffer`: a program that sees the tree as its own (as every
 * file is in the user namespace) may try paths it would not as root's tree.
 */
function expectSameAsRoot(dirs: { root: string; nobody: string }, tracesDiffer = false): void {
  const asRoot = probeFacts(path.join(dirs.root, 'audit.json'));
  expect(asRoot.probes.every(([, , , verified]) => verified === true)).toBe(true);
  const asNobody = probeFacts(path.join(dirs.nobody, 'audit.json'));
  const withoutCount = (facts: typeof asRoot) => ({ ...facts, probes: facts.probes.map(([label, outcome, , verified]) => [label, outcome, verified]) });
  if (tracesDiffer) expect(withoutCount(asNobody)).toEqual(withoutCount(asRoot));
  else expect(asNobody).toEqual(asRoot);
  const files = (dir: string) => [...listRootfs(unpack(path.join(dir, 'slim.tar'), 'oci-archive', path.join(dir, 'rootfs')))].map(([name, { ino: _ino, ...item }]) => [name, item]);
  expect(files(dirs.nobody)).toEqual(files(dirs.root));
}

describe.skipIf(!canDrop)('slim --probe as uid 65534, through a user namespace', () => {
  test('command probes: the image User, a file read by a name built at run time; same paths, files and verification as root', async () => {
    const input = await busyboxImage(path.join(work, 'in'), 'script', { Entrypoint: ['/app/run.sh'] });
    if (!nobodyCanRead(input)) return;
    const dirs = await slimBoth('script', input, ['--probe', '/app/run.sh', '--probe', 'sh -c "id -u; id -g"']);
    expect(dirs.nobodyResult.stderr).toMatch(/verified: the slimmed image gives the same outcomes for all 2 probes/);
    expectSameAsRoot(dirs);
    const facts = probeFacts(path.join(dirs.nobody, 'audit.json'));
    expect(facts.usedByProbe).toContain('/data/secret.txt');
    expect(facts.usedByProbe).not.toContain('/data/unused.bin');
    // The image's User, as root sets it: 1000:1000 (a nested user namespace maps it to the caller).
    expect(facts.probes[1]).toEqual(['sh -c "id -u; id -g"', 'exit 0, 10 bytes of stdout', expect.any(Number), true]);
  }, 180_000);

  test('--probe-http: busybox httpd answers from the namespace loopback; same as root', async () => {
    const port = await freePort();
    const input = await busyboxImage(path.join(work, 'in'), 'httpd', { Entrypoint: ['/bin/httpd', '-f', '-p', String(port), '-h', '/www'], User: '' });
    if (!nobodyCanRead(input)) return;
    const dirs = await slimBoth('httpd', input, ['--probe-http', `${port}/index.html`, '--probe-timeout', '20']);
    expect(probeFacts(path.join(dirs.nobody, 'audit.json')).probes).toEqual([[`GET :${port}/index.html`, 'HTTP 200, 33 bytes', expect.any(Number), true]]);
    expectSameAsRoot(dirs);
  }, 180_000);
});

describe.skipIf(!canDrop || !canBuildDebian)('slim --probe-http as uid 65534 on a Debian-package server', () => {
  test("python3.11's http.server running as the image's User nobody: same answer, paths and verification as root", async () => {
    const port = await freePort();
    const dir = path.join(work, 'debian-python');
    rmSync(dir, { recursive: true, force: true });
    const layout = buildDebianImage(
      {
        packages: ['python3.11'],
        files: { 'www/index.html': '<h1>served by python3.11 http.server</h1>\n' },
        entrypoint: ['python3.11', '-m', 'http.server', '--bind', '127.0.0.1', '--directory', '/www', String(port)],
        env: ['PATH=/usr/bin:/bin'],
        user: 'nobody',
      },
      dir,
    );
    // umoci writes the layout's files 0600: let the other uid read it, as a user's own copy would be.
    execFileSync('chmod', ['-R', 'a+rX', layout]);
    if (!nobodyCanRead(path.join(layout, 'index.json'))) return;
    const dirs = await slimBoth('debian-python', layout, ['--probe-http', `${port}/index.html`, '--probe-timeout', '30']);
    expect(probeFacts(path.join(dirs.nobody, 'audit.json')).probes).toEqual([[`GET :${port}/index.html`, 'HTTP 200, 42 bytes', expect.any(Number), true]]);
    expect(probeFacts(path.join(dirs.nobody, 'audit.json')).usedByProbe).toContain('/www/index.html');
    // python3.11 traced 254 paths as uid 65534 and 264 as root (measured): it sees the tree as its own, so its lookups differ; the kept files do not.
    expectSameAsRoot(dirs, true);
  }, 600_000);
});

describe.skipIf(!canDrop)('slim --probe where user namespaces cannot be created', () => {
  test('as uid 65534 inside an unmapped user namespace: exit 2, one line naming what is missing, nothing read or written', async () => {
    const dir = nobodyDir('refused');
    const input = await busyboxImage(path.join(work, 'in'), 'refused', { Entrypoint: ['/app/run.sh'] });
    if (!nobodyCanRead(input)) return;
    const result = await runAsNobody(dir, ['slim', input, '-o', path.join(dir, 'never.tar'), '--probe', '/app/run.sh'], ['unshare', '--user', '--']);
    expect(result.code).toBe(2);
    expect(result.stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(result.stderr).toMatch(/^imgslim: slim: --probe needs root or unprivileged user namespaces, and neither is available: running as uid 65534, and creating one failed \(`unshare --user --map-root-user --mount --pid --net`: .*Operation not permitted.*\)$/m);
    expect(spawnSync('ls', ['-A', dir]).stdout.toString().trim()).toBe('tmp');
  }, 60_000);
});

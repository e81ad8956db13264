/**
 * `imgslim slim` as users run it: arguments, the report it prints (text or JSON), the audit file,
 * dry runs, usage errors, and the built binary end to end.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { Value } from '@sinclair/typebox/value';
import { Ajv } from 'ajv';
import { describe, expect, test } from 'vitest';
import { Report } from '../../src/report/schema.js';
import { AuditSchema } from '../../src/slim/audit-schema.js';
import { runCliBinary, runCliInProcess } from '../helpers/cli.js';
import { repoRoot } from '../helpers/peer-corpus.js';
import { scratch } from '../slim/_support.js';

const sample = (name: string) => path.join(repoRoot, 'samples', name);

describe('imgslim slim', () => {
  test('writes the image and the audit; --format json prints the Report with its slim section', async () => {
    const dir = scratch('cli/json');
    const result = await runCliInProcess(
      ['slim', sample('glibc-apps.tar'), '-o', 'out.tar', '--format', 'json', '--format', 'docker-archive', '--audit', 'audit.json', '--quiet', '--tag', 'slim/apps:1'],
      { cwd: dir },
    );
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const report = JSON.parse(result.stdout);
    expect([...Value.Errors(Report, report)]).toEqual([]);
    expect(report.slim.output).toMatchObject({ path: 'out.tar', format: 'docker-archive' });
    // Files are entries that are not directories: 11 regular files and 3 symlinks before, 6 and 3 after.
    expect(report.slim.before).toMatchObject({ files: 14, layers: 2, binaries: 7 });
    expect(report.slim.after).toMatchObject({ files: 9, layers: 1, binaries: 4 });
    expect(report.slim.before.files).toBe(report.slim.kept.length - report.slim.created + report.slim.dropped.count);
    expect(report.slim.dropped.largest.map((file: { path: string }) => file.path)).toEqual(['/app/bin/nss', '/app/bin/plugin', '/app/bin/greet-runpath', '/etc/nsswitch.conf', '/etc/hosts']);
    const audit = JSON.parse(readFileSync(path.join(dir, 'audit.json'), 'utf8'));
    expect([...Value.Errors(AuditSchema, audit)]).toEqual([]);
    expect(readdirSync(dir).sort()).toEqual(['audit.json', 'out.tar']);
    const manifest = JSON.parse(
      (await import('node:child_process')).execFileSync('tar', ['-xOf', path.join(dir, 'out.tar'), 'manifest.json'], { encoding: 'utf8' }),
    );
    expect(manifest[0].RepoTags).toEqual(['slim/apps:1']);
  });

  test('the text report shows before → after and the kept files with their reasons', async () => {
    const dir = scratch('cli/text');
    const result = await runCliInProcess(['slim', sample('static-oci'), '-o', 'out', '-q'], { cwd: dir, env: { COLUMNS: '120' } });
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/Slim: before → after/);
    expect(result.stdout).toMatch(/output\s+out \(oci-layout, sha256:[0-9a-f]{12}\)/);
    expect(result.stdout).toMatch(/\/app\/hello\s+entrypoint: argv\[0\] '\/app\/hello'/);
    expect(result.stdout).toMatch(/largest dropped\n\s+789\.2 KiB\s+\/app\/hello-pie/);
    expect(existsSync(path.join(dir, 'out', 'index.json'))).toBe(true);
  });

  test('--dry-run writes no image, needs no -o, and estimates the compressed size', async () => {
    const dir = scratch('cli/dry-run');
    const result = await runCliInProcess(['slim', sample('layers.tar'), '--dry-run', '-f', 'json', '-q', '--keep', '/data/**'], { cwd: dir });
    expect(result.code).toBe(0);
    const report = JSON.parse(result.stdout);
    expect(report.slim.output).toBeNull();
    expect(report.slim.kept.map((file: { path: string }) => file.path)).toEqual(expect.arrayContaining(['/bin/busybox', '/bin/sh', '/data/keep.txt', '/data/hardlinks/one']));
    expect(report.slim.after.compressedSize).toBeGreaterThan(0);
    expect(readdirSync(dir)).toEqual([]);
  });

  test('--entrypoint with a JSON array runs the program instead and clears Cmd; SOURCE_DATE_EPOCH sets created', async () => {
    const dir = scratch('cli/entrypoint');
    const result = await runCliInProcess(
      ['slim', sample('glibc-apps.tar'), '-o', 'nss.tar', '-f', 'json', '-q', '--entrypoint', '["/app/bin/nss","app"]', '--compress', 'zstd'],
      { cwd: dir, env: { SOURCE_DATE_EPOCH: '1700000000' } },
    );
    expect(result.code).toBe(0);
    const report = JSON.parse(result.stdout);
    expect(report.entrypoint.argv).toEqual(['/app/bin/nss', 'app']);
    expect(report.slim.kept.map((file: { path: string }) => file.path)).toContain('/etc/nsswitch.conf');
    const { execFileSync } = await import('node:child_process');
    const index = JSON.parse(execFileSync('tar', ['-xOf', path.join(dir, 'nss.tar'), 'index.json'], { encoding: 'utf8' }));
    const manifest = JSON.parse(execFileSync('tar', ['-xOf', path.join(dir, 'nss.tar'), `blobs/sha256/${index.manifests[0].digest.slice(7)}`], { encoding: 'utf8' }));
    expect(manifest.layers[0].mediaType).toBe('application/vnd.oci.image.layer.v1.tar+zstd');
    const config = JSON.parse(execFileSync('tar', ['-xOf', path.join(dir, 'nss.tar'), `blobs/sha256/${manifest.config.digest.slice(7)}`], { encoding: 'utf8' }));
    expect([config.created, config.config.Entrypoint, config.config.Cmd]).toEqual(['2023-11-14T22:13:20Z', ['/app/bin/nss', 'app'], undefined]);
  });

  test.each([
    [['slim'], /expected one IMAGE, got 0/],
    [['slim', 'x.tar'], /-o OUT is required/],
    [['slim', 'x.tar', '-o', '-'], /cannot be written to stdout/],
    [['slim', 'x.tar', '-o', 'y', '--format', 'zip'], /--format must be one of docker-archive, oci-layout, oci-archive, text, json/],
    [['slim', 'x.tar', '-o', 'y', '-f', 'oci-layout', '-f', 'oci-archive'], /two image formats/],
    [['slim', 'x.tar', '-o', 'y', '--compress', 'xz'], /--compress must be one of gzip, zstd, none/],
    [['slim', 'x.tar', '-o', 'y', '--entrypoint', '["a",1]'], /expected a non-empty JSON array of strings/],
    [['slim', 'x.tar', '-o', 'y', '--entrypoint', '[oops'], /not a JSON array/],
    [['slim', 'x.tar', '--dry-run', '--bogus'], /Unknown option '--bogus'/],
  ])('usage error: %j', async (args, message) => {
    const result = await runCliInProcess(args, { cwd: scratch('cli/usage') });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(message);
  });

  test('an image with nothing to run needs --entrypoint or --keep; a bad SOURCE_DATE_EPOCH is a usage error', async () => {
    const dir = scratch('cli/nothing');
    const refused = await runCliInProcess(['slim', sample('glibc-dynamic.tar'), '--dry-run', '-q', '--entrypoint', '/nope'], { cwd: dir });
    expect(refused.code).toBe(1); // fail closed: it cannot start
    expect(refused.stderr).toMatch(/refused, the slimmed entrypoint could not start: the entrypoint cannot start in the source image either.*--force/);
    const noRun = await runCliInProcess(['slim', sample('glibc-dynamic.tar'), '--dry-run', '-q', '--force', '--entrypoint', '/nope'], { cwd: dir });
    expect(noRun.code).toBe(0); // --force: it cannot start, which is reported as a risk, and the rest still runs
    expect(noRun.stdout).toMatch(/the entrypoint cannot start in the source image either/);
    const epoch = await runCliInProcess(['slim', sample('glibc-dynamic.tar'), '--dry-run', '-q'], { cwd: dir, env: { SOURCE_DATE_EPOCH: 'yesterday' } });
    expect([epoch.code, epoch.stderr]).toEqual([2, "imgslim: SOURCE_DATE_EPOCH must be a whole number of seconds since 1970 (got 'yesterday')\n"]);
  });

  test('SIGINT while writing: the run stops, removes what it wrote and exits 130', async () => {
    const dir = scratch('cli/interrupt');
    let stderr = '';
    const io = {
      stdout: { write: () => true, isTTY: false },
      stderr: {
        write: (chunk: string | Uint8Array) => {
          stderr += String(chunk);
          // The first layer read again for its kept content: interrupt like Ctrl-C would.
          if (/kept content/.test(String(chunk))) process.emit('SIGINT');
          return true;
        },
        isTTY: false,
      },
      stdin: process.stdin,
      env: {},
      cwd: dir,
    };
    const { runCli } = await import('../../src/cli/main.js');
    const listeners = process.listenerCount('SIGINT');
    const code = await runCli(['slim', sample('layers.tar'), '-o', 'out.tar'], io);
    expect(code).toBe(130);
    expect(stderr).toMatch(/imgslim: slim: interrupted; no image was written\n$/);
    expect(readdirSync(dir)).toEqual([]);
    expect(process.listenerCount('SIGINT')).toBe(listeners);
  });

  test('`imgslim schema audit` prints the audit JSON Schema, which compiles and accepts an audit', async () => {
    const dir = scratch('cli/schema');
    const printed = await runCliInProcess(['schema', 'audit']);
    expect(printed.code).toBe(0);
    const schema = JSON.parse(printed.stdout);
    expect(schema.title).toBe('imgslim slim audit');
    await runCliInProcess(['slim', sample('musl-dynamic.tar'), '-o', 'o.tar', '--audit', 'a.json', '-q'], { cwd: dir });
    const validate = new Ajv({ strict: false }).compile(schema);
    expect(validate(JSON.parse(readFileSync(path.join(dir, 'a.json'), 'utf8')))).toBe(true);
  });

  test('the built binary: --help, and a slim run end to end', () => {
    const dir = scratch('cli/binary');
    const help = runCliBinary(['slim', '--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/^Usage: imgslim slim IMAGE -o OUT \[options\]/);
    const run = runCliBinary(['slim', sample('musl-dynamic.tar'), '-o', path.join(dir, 'out.tar')]);
    expect(run.code).toBe(0);
    expect(run.stderr).toMatch(/^compress  compress layer \(gzip\)/m); // progress lines on a non-terminal stderr
    expect(run.stdout).toMatch(/\/lib\/ld-musl-x86_64\.so\.1\s+interpreter of \/app\/hello/);
  }, 180_000);
});

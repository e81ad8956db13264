/**
 * `imgslim analyze` as users run it: output formats, stdin, and bad input — a one-line error
 * on stderr and the documented exit code, never a stack trace.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { Ajv } from 'ajv';
import { describe, expect, test } from 'vitest';
import { buildImage, buildLayer, sha256, withConfig, writeFixture } from '../helpers/image-builder.js';
import { runCliInProcess } from '../helpers/cli.js';
import { repoRoot } from '../helpers/peer-corpus.js';
import { scratchDir } from '../analysis/_images.js';

const sample = (name: string) => path.join(repoRoot, 'samples', name);

function expectOneLineError(stderr: string, pattern: RegExp) {
  expect(stderr).toMatch(pattern);
  expect(stderr.trim().split('\n')).toHaveLength(1);
  expect(stderr).not.toMatch(/\n\s+at /);
}

describe('analyze output', () => {
  test('--format json validates against the schema that `imgslim schema` prints', async () => {
    const analyzed = await runCliInProcess(['analyze', sample('musl-dynamic.tar'), '--format', 'json']);
    expect(analyzed.code).toBe(0);
    const schema = await runCliInProcess(['schema']);
    const ajv = new Ajv({ strict: false, allErrors: true });
    const validate = ajv.compile(JSON.parse(schema.stdout));
    const report = JSON.parse(analyzed.stdout);
    expect(validate(report), JSON.stringify(validate.errors?.slice(0, 3))).toBe(true);
    expect(report.source.path).toBe(sample('musl-dynamic.tar'));
  });

  test('text off a terminal has no escape codes; progress goes to stderr, results to stdout', async () => {
    const result = await runCliInProcess(['analyze', sample('glibc-dynamic.tar')]);
    expect(result.code).toBe(0);
    expect(result.stdout).not.toMatch(/\x1b\[/);
    expect(result.stdout).toMatch(/\/app\/hello/);
    expect(result.stderr).toMatch(/layer 1\/2/);
    const quiet = await runCliInProcess(['analyze', sample('glibc-dynamic.tar'), '--quiet']);
    expect(quiet.stderr).toBe('');
  });

  test('`-` reads the archive from stdin', async () => {
    const result = await runCliInProcess(['analyze', '-', '--format', 'json', '-q'], { stdin: readFileSync(sample('layers.tar')) });
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout).source).toMatchObject({ path: '-', format: 'oci-archive' });
  });

  test('--output writes the report atomically; --report shows a saved one', async () => {
    const dir = scratchDir('cli');
    const saved = path.join(dir, 'report.json');
    expect((await runCliInProcess(['analyze', sample('static-oci'), '-f', 'json', '-o', saved, '-q'])).code).toBe(0);
    const shown = await runCliInProcess(['analyze', '--report', saved, '--format', 'json']);
    expect(JSON.parse(shown.stdout)).toEqual(JSON.parse(readFileSync(saved, 'utf8')));
  });
});

describe('analyze on bad input', () => {
  test('usage errors exit 2', async () => {
    expect((await runCliInProcess(['analyze'])).code).toBe(2);
    const bad = await runCliInProcess(['analyze', sample('static-oci'), '--format', 'yaml']);
    expect(bad.code).toBe(2);
    expectOneLineError(bad.stderr, /--format must be one of text, json/);
    expect((await runCliInProcess(['analyze', sample('static-oci'), '--bogus'])).code).toBe(2);
    expect((await runCliInProcess(['frobnicate'])).code).toBe(2);
  });

  test('missing, unreadable or non-image input exits 3', async () => {
    const missing = await runCliInProcess(['analyze', '/nonexistent/image.tar']);
    expect(missing.code).toBe(3);
    expectOneLineError(missing.stderr, /nonexistent/);
    const dir = scratchDir('cli');
    writeFileSync(path.join(dir, 'notes.txt'), 'just text\n'.repeat(100));
    const text = await runCliInProcess(['analyze', path.join(dir, 'notes.txt')]);
    expect(text.code).toBe(3);
    expectOneLineError(text.stderr, /.+/);
  });

  test('a layer blob that does not match its digest exits 4', async () => {
    const file = path.join(scratchDir('cli'), 'corrupt.tar');
    const image = await buildImage({ layers: [{ entries: [{ path: 'a.txt', content: 'hello' }], compression: 'gzip' }] });
    await writeFixture('oci-archive', file, [image], { breakage: { corruptLayer: 0 } });
    const result = await runCliInProcess(['analyze', file, '-q']);
    expect(result.code, result.stderr).toBe(4);
    expectOneLineError(result.stderr, /sha256/);
  });

  test('a layer whose content does not match the config diff_ids exits 4', async () => {
    const file = path.join(scratchDir('cli'), 'diffid.tar');
    const image = await buildImage({ layers: [{ entries: [{ path: 'a.txt', content: 'hello' }] }] });
    const config = structuredClone(image.config) as { rootfs: { diff_ids: string[] } };
    config.rootfs.diff_ids = [sha256('something else')];
    await writeFixture('oci-archive', file, [withConfig({ ...image, config })]);
    const result = await runCliInProcess(['analyze', file, '-q']);
    expect(result.code).toBe(4);
    expectOneLineError(result.stderr, /diff_ids/);
  });

  test('a bzip2 layer is unsupported compression, naming the layer (exit 3)', async () => {
    const file = path.join(scratchDir('cli'), 'bzip2.tar');
    const layer = await buildLayer({ entries: [{ path: 'a.txt', content: 'hello' }] });
    const blob = execFileSync('bzip2', ['-c'], { input: layer.tar });
    const image = withConfig({
      layers: [{ ...layer, blob, digest: sha256(blob) }],
      config: { architecture: 'amd64', os: 'linux', rootfs: { type: 'layers', diff_ids: [layer.diffId] } },
      platform: { os: 'linux', architecture: 'amd64' },
    });
    await writeFixture('oci-archive', file, [image]);
    const result = await runCliInProcess(['analyze', file, '-q']);
    expect(result.code).toBe(3);
    expectOneLineError(result.stderr, /layer 1\/1 sha256:[0-9a-f]{12}.*unsupported compression.*bzip2/);
  });

  test('unsafe paths and invalid whiteouts are rejected, never applied (exit 3)', async () => {
    for (const name of ['../escape.txt', 'etc/.wh..']) {
      const file = path.join(scratchDir('cli'), 'unsafe.tar');
      const image = await buildImage({ layers: [{ entries: [{ path: name, content: 'x' }] }] });
      await writeFixture('oci-archive', file, [image]);
      const result = await runCliInProcess(['analyze', file, '-q']);
      expect(result.code, name).toBe(3);
      expectOneLineError(result.stderr, /.+/);
    }
  });

  test('several images and no selector: a usage error listing them (exit 2)', async () => {
    const file = path.join(scratchDir('cli'), 'two.tar');
    const one = await buildImage({ layers: [{ entries: [{ path: 'one', content: '1' }] }] });
    const two = await buildImage({ layers: [{ entries: [{ path: 'two', content: '2' }] }] });
    await writeFixture('docker-legacy', file, [one, two], { tags: [['app:one'], ['app:two']] });
    const result = await runCliInProcess(['analyze', file, '-q']);
    expect(result.code).toBe(2);
    expectOneLineError(result.stderr, /app:one.*app:two/);
    const picked = await runCliInProcess(['analyze', file, '--image', 'app:two', '-f', 'json', '-q']);
    expect(picked.code).toBe(0);
    expect(JSON.parse(picked.stdout).filesystem.entries.map((e: { path: string }) => e.path)).toEqual(['/two']);
  });

  test('--debug shows the stack', async () => {
    const result = await runCliInProcess(['analyze', '/nonexistent/image.tar', '--debug']);
    expect(result.code).toBe(3);
    expect(result.stderr).toMatch(/\n\s+at /);
  });
});

describe('main', () => {
  test('--help lists the commands and exit codes; --version prints the version', async () => {
    const help = await runCliInProcess(['--help']);
    expect(help.code).toBe(0);
    for (const command of ['analyze', 'slim', 'check', 'elf', 'schema']) expect(help.stdout).toContain(command);
    expect(help.stdout).toMatch(/4\s+integrity failure/);
    const version = await runCliInProcess(['--version']);
    expect(version.stdout.trim()).toBe(JSON.parse(readFileSync(path.join(repoRoot, 'package.json'), 'utf8')).version);
  });
});

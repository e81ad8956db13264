/**
 * Image JSON is validated once, at the boundary, by validators compiled ahead of time: the
 * checked-in `_compiled.ts` is what the generator makes of definitions.ts now, every wrong type
 * the fuzzer found is refused with one sentence naming the field, harmless extras and Go-style
 * nulls pass, and reading an image never loads TypeBox.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, test } from 'vitest';
import { generateCompiledSchemas } from '../../src/image/schema/_codegen.js';
import { parseImageConfig, parseIndex, parseManifest, parseJson } from '../../src/image/index.js';
import { InputError } from '../../src/shared/errors.js';
import { ensureBuilt } from '../helpers/build.js';
import { repoRoot } from '../helpers/peer-corpus.js';

const digest = (n: number) => `sha256:${n.toString(16).padStart(64, '0')}`;
const config = (containerConfig: unknown, extra: Record<string, unknown> = {}) => ({
  architecture: 'amd64',
  os: 'linux',
  config: containerConfig,
  rootfs: { type: 'layers', diff_ids: [digest(1)] },
  ...extra,
});
const failure = (run: () => unknown): string => {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(InputError);
    return (error as Error).message;
  }
  throw new Error('expected an InputError');
};

describe('compiled validators', () => {
  test('src/image/schema/_compiled.ts is current (run `npm run schemas` after changing definitions.ts)', () => {
    const checkedIn = readFileSync(path.join(repoRoot, 'src/image/schema/_compiled.ts'), 'utf8');
    expect(checkedIn === generateCompiledSchemas(), 'the compiled validators are stale: run `npm run schemas`').toBe(true);
  });

  test('reading and analysing an image never loads TypeBox (a hook refuses it), while `imgslim schema` does', () => {
    ensureBuilt();
    const hook = `data:text/javascript,${encodeURIComponent(`
      import { register } from 'node:module';
      register('data:text/javascript,' + encodeURIComponent(
        'export async function resolve(s, c, next) { const r = await next(s, c); if (r.url.includes("/@sinclair/typebox/")) throw new Error("TypeBox loaded: " + r.url); return r; }'));
    `)}`;
    const run = (...args: string[]) =>
      spawnSync(process.execPath, ['--import', hook, path.join(repoRoot, 'bin/imgslim.js'), ...args], {
        env: { PATH: process.env.PATH },
        encoding: 'utf8',
      });
    const analyzed = run('analyze', path.join(repoRoot, 'samples/glibc-dynamic.tar'), '-f', 'json', '-q');
    expect(analyzed.stderr).toBe('');
    expect(analyzed.status).toBe(0);
    const broken = run('analyze', path.join(repoRoot, 'samples/glibc-dynamic.tar/nothing'), '-q');
    expect(broken.status).toBe(3);
    const schema = run('schema');
    expect(schema.stderr).toMatch(/TypeBox loaded/);
  });
});

describe('image config', () => {
  test.each([
    [{ Entrypoint: [1] }, /^c: config\.Entrypoint\[0\] is number 1, expected a string$/],
    [{ Entrypoint: {} }, /config\.Entrypoint is an object, expected an array of strings/],
    [{ Entrypoint: [['a']] }, /config\.Entrypoint\[0\] is an array, expected a string/],
    [{ Env: ['PATH=/usr/bin', 1] }, /config\.Env\[1\] is number 1, expected a string/],
    [{ Cmd: ['x', null] }, /config\.Cmd\[1\] is null, expected a string/],
    [{ WorkingDir: ['/'] }, /config\.WorkingDir is an array, expected a string/],
    [{ Labels: { 'a\nb': 1 } }, /config\.Labels\["a\\nb"\] is number 1, expected a string/],
    [{ Labels: { deep: [[['x']]] } }, /config\.Labels\["deep"\] is an array, expected a string/],
    [{ ExposedPorts: { '80/tcp': 'yes' } }, /config\.ExposedPorts\["80\/tcp"\] is string "yes", expected an object/],
  ])('%j is refused with the field named', (containerConfig, message) => {
    expect(failure(() => parseImageConfig(config(containerConfig), 'c'))).toMatch(message);
  });

  test('rootfs, platform and history fields are checked too', () => {
    expect(failure(() => parseImageConfig(config({}, { os: 3 }), 'c'))).toMatch(/os is number 3, expected a string/);
    expect(failure(() => parseImageConfig(config({}, { variant: 7 }), 'c'))).toMatch(/variant is number 7/);
    expect(failure(() => parseImageConfig(config({}, { history: [{ created_by: 5 }] }), 'c'))).toMatch(/history\[0\]\.created_by is number 5/);
    expect(failure(() => parseImageConfig(config({}, { rootfs: { diff_ids: ['sha256:xyz'] } }), 'c'))).toMatch(/rootfs\.diff_ids\[0\] is string "sha256:xyz", expected a digest/);
  });

  test('Go-style nulls, one-string commands and unknown fields pass, normalised', () => {
    const parsed = parseImageConfig(
      config(
        { Entrypoint: '/bin/sh', Cmd: null, Env: null, Labels: null, WorkingDir: null, Healthcheck: { Test: ['CMD', 'true'] }, Unknown: [1, { a: null }] },
        { history: [null, { created_by: null, empty_layer: true }], variant: null, 'io.example': { nested: [1] } },
      ),
      'c',
    );
    expect(parsed.config).toEqual({ Entrypoint: ['/bin/sh'], Healthcheck: { Test: ['CMD', 'true'] }, Unknown: [1, { a: null }] });
    expect(parsed.history).toEqual([{}, { empty_layer: true }]);
    expect('variant' in parsed).toBe(false);
    expect(parsed['io.example']).toEqual({ nested: [1] });
  });
});

describe('index and manifest', () => {
  const descriptor = { mediaType: 'application/vnd.oci.image.manifest.v1+json', digest: digest(2), size: 10 };

  test('platform fields must be strings (variant 7 once reached toLowerCase)', () => {
    const index = { schemaVersion: 2, manifests: [{ ...descriptor, platform: { os: 'linux', architecture: 'arm64', variant: 7 } }] };
    expect(failure(() => parseIndex(index, 'index.json'))).toMatch(/^index\.json: manifests\[0\]\.platform\.variant is number 7, expected a string$/);
  });

  test('sizes are safe integers; digests are validated before they name a file', () => {
    expect(failure(() => parseManifest({ schemaVersion: 2, config: { ...descriptor, size: 1.5 }, layers: [] }, 'm'))).toMatch(/config\.size is number 1\.5/);
    expect(failure(() => parseManifest({ schemaVersion: 2, config: { ...descriptor, size: 2 ** 60 }, layers: [] }, 'm'))).toMatch(/config\.size/);
    expect(failure(() => parseManifest({ schemaVersion: 2, config: { ...descriptor, digest: ['x'] }, layers: [] }, 'm'))).toMatch(/config\.digest is an array, expected a digest/);
    expect(failure(() => parseManifest({ schemaVersion: 2, layers: [] }, 'm'))).toMatch(/config is missing/);
    expect(failure(() => parseManifest([], 'm'))).toMatch(/the manifest is an array, expected an object/);
  });

  test('nested JSON is refused before anything recurses over it', () => {
    const deepDigest = `{"schemaVersion":2,"config":{"digest":${'['.repeat(3367)}${']'.repeat(3367)},"size":1},"layers":[]}`;
    expect(failure(() => parseJson(new TextEncoder().encode(deepDigest), 'm'))).toMatch(/^m: JSON nested more than 64 levels deep$/);
    const deepLabel = `{"config":{"Labels":{"a":${'{"b":'.repeat(20000)}1${'}'.repeat(20000)}}}}`;
    expect(failure(() => parseJson(new TextEncoder().encode(deepLabel), 'c'))).toMatch(/nested more than 64 levels/);
    // Brackets inside strings are not nesting.
    expect(parseJson(new TextEncoder().encode(JSON.stringify({ a: '['.repeat(1000), b: '\\"[' })), 'x')).toEqual({ a: '['.repeat(1000), b: '\\"[' });
  });
});

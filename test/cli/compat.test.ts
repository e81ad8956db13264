/**
 * Reading and writing what other tools read and write: kaniko layers (a `/` entry, names with a
 * leading `/`, whiteouts before their parent directories), and slim outputs that umoci, skopeo and
 * `docker load` find under the source's name.
 */
import { execFileSync } from 'node:child_process';
import { cpSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, test } from 'vitest';
import { buildImage, writeFixture } from '../helpers/image-builder.js';
import { runCliInProcess } from '../helpers/cli.js';
import { repoRoot } from '../helpers/peer-corpus.js';
import { hasTool } from '../helpers/tools.js';
import { scratch } from '../slim/_support.js';

const sample = (name: string) => path.join(repoRoot, 'samples', name);
const umoci = hasTool('umoci', 'the slim ref.name tests with umoci');
const REF_NAME = 'org.opencontainers.image.ref.name';

function tarMember(archive: string, member: string): any {
  return JSON.parse(execFileSync('tar', ['-xOf', archive, member], { encoding: 'utf8' }));
}

describe('kaniko layers', () => {
  test('a `/` entry, leading-`/` names and whiteouts before their parents apply relative to the root', async () => {
    const dir = scratch('compat/kaniko');
    const base = { entries: [{ path: 'var/', type: 'dir' as const }, { path: 'var/cache/old', content: 'x' }, { path: 'opt/a', content: 'a' }] };
    // As kaniko's tar_util writes a layer: the root as `/`, the whiteouts first, then the files.
    const kaniko = {
      entries: [
        { path: '/', type: 'dir' as const },
        { path: 'var/cache', type: 'whiteout' as const },
        { path: 'opt', type: 'opaque' as const },
        { path: 'var/', type: 'dir' as const },
        { path: 'opt/', type: 'dir' as const },
        { path: 'opt/b', content: 'b' },
        { path: '/app/hello', content: 'hi' },
      ],
    };
    const image = await buildImage({ layers: [base, kaniko] });
    await writeFixture('oci-layout', path.join(dir, 'image'), [image], { tags: [['kaniko']] });
    const result = await runCliInProcess(['analyze', path.join(dir, 'image'), '-f', 'json', '-q']);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const entries = JSON.parse(result.stdout).filesystem.entries as Array<{ path: string; layer: number }>;
    // /var/cache is whited out and /opt made opaque (only its new b stays), /app/hello is /app/hello.
    expect(entries.map((entry) => entry.path)).toEqual(['/app', '/app/hello', '/opt', '/opt/b', '/var']);
  });
});

describe('one layer numbering in every message', () => {
  test('a refused entry names its layer from 1, as the progress labels do (layer 1/1)', async () => {
    const dir = scratch('compat/numbering');
    const image = await buildImage({ layers: [{ entries: [{ path: '../escape', content: 'x' }] }] });
    await writeFixture('oci-layout', path.join(dir, 'image'), [image]);
    const result = await runCliInProcess(['analyze', path.join(dir, 'image'), '-f', 'json', '-q']);
    expect(result.code).toBe(3);
    expect(result.stderr).toMatch(/^imgslim: layer 1: tar entry "\.\.\/escape" escapes the image root/);
    expect(result.stderr).not.toMatch(/layer 0/);
  });
});

describe('slim output names', () => {
  test.skipIf(!umoci)('--format oci-layout tags the index with the source ref.name, so umoci unpack --image OUT:TAG works', async () => {
    const dir = scratch('compat/ref-name');
    const result = await runCliInProcess(['slim', sample('static-oci'), '-o', 'out', '-f', 'oci-layout', '-q', '-f', 'json'], { cwd: dir });
    expect(result.code).toBe(0);
    const index = JSON.parse(readFileSync(path.join(dir, 'out', 'index.json'), 'utf8'));
    expect(index.manifests[0].annotations[REF_NAME]).toBe('1.0');
    execFileSync('umoci', ['--log', 'error', 'unpack', '--rootless', '--image', `${path.join(dir, 'out')}:1.0`, path.join(dir, 'bundle')], { stdio: 'pipe' });
    expect(statSync(path.join(dir, 'bundle', 'rootfs', 'app', 'hello')).isFile()).toBe(true);
  });

  test.skipIf(!umoci)('a source without a tag gives ref.name latest; --tag overrides it', async () => {
    const dir = scratch('compat/latest');
    cpSync(sample('static-oci'), path.join(dir, 'source'), { recursive: true });
    const indexFile = path.join(dir, 'source', 'index.json');
    const sourceIndex = JSON.parse(readFileSync(indexFile, 'utf8'));
    delete sourceIndex.manifests[0].annotations;
    writeFileSync(indexFile, JSON.stringify(sourceIndex));
    expect((await runCliInProcess(['slim', 'source', '-o', 'out', '-q', '-f', 'json'], { cwd: dir })).code).toBe(0);
    expect(JSON.parse(readFileSync(path.join(dir, 'out', 'index.json'), 'utf8')).manifests[0].annotations[REF_NAME]).toBe('latest');
    execFileSync('umoci', ['--log', 'error', 'unpack', '--rootless', '--image', `${path.join(dir, 'out')}:latest`, path.join(dir, 'bundle')], { stdio: 'pipe' });
    expect((await runCliInProcess(['slim', 'source', '-o', 'tagged', '-q', '-f', 'json', '--tag', 'v2'], { cwd: dir })).code).toBe(0);
    expect(JSON.parse(readFileSync(path.join(dir, 'tagged', 'index.json'), 'utf8')).manifests[0].annotations[REF_NAME]).toBe('v2');
  });

  test('docker-archive output keeps the source RepoTag; OCI output from it takes the tag part', async () => {
    const dir = scratch('compat/repotags');
    expect((await runCliInProcess(['slim', sample('glibc-dynamic.tar'), '-o', 'out.tar', '-q', '-f', 'json'], { cwd: dir })).code).toBe(0);
    expect(tarMember(path.join(dir, 'out.tar'), 'manifest.json')[0].RepoTags).toEqual(['imgslim/glibc-dynamic:latest']);
    expect((await runCliInProcess(['slim', sample('glibc-dynamic.tar'), '-o', 'out', '-f', 'oci-layout', '-q', '-f', 'json'], { cwd: dir })).code).toBe(0);
    expect(JSON.parse(readFileSync(path.join(dir, 'out', 'index.json'), 'utf8')).manifests[0].annotations[REF_NAME]).toBe('latest');
    // An OCI source whose ref.name is only a tag names no repository: the docker archive stays untagged.
    expect((await runCliInProcess(['slim', sample('static-oci'), '-o', 'docker.tar', '-f', 'docker-archive', '-q', '-f', 'json'], { cwd: dir })).code).toBe(0);
    expect(tarMember(path.join(dir, 'docker.tar'), 'manifest.json')[0].RepoTags).toBeNull();
  });

  test('-o app.tar from an OCI layout writes an OCI archive, not a directory named app.tar', async () => {
    const dir = scratch('compat/app-tar');
    const result = await runCliInProcess(['slim', sample('static-oci'), '-o', 'app.tar', '-q', '-f', 'json'], { cwd: dir });
    expect(result.code).toBe(0);
    expect(statSync(path.join(dir, 'app.tar')).isFile()).toBe(true);
    expect(JSON.parse(result.stdout).slim.output.format).toBe('oci-archive');
    expect(tarMember(path.join(dir, 'app.tar'), 'index.json').manifests[0].annotations[REF_NAME]).toBe('1.0');
    if (hasTool('skopeo')) {
      const inspected = JSON.parse(execFileSync('skopeo', ['inspect', `oci-archive:${path.join(dir, 'app.tar')}:1.0`], { encoding: 'utf8' }));
      expect(inspected.Layers).toHaveLength(1);
    }
  });
});

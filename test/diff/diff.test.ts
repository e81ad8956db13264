/**
 * `imgslim diff` on pairs of images built in code, one pair per kind of change (files: content,
 * size, type, mode, owner, symlink target, added, removed; binaries: linkage, libc, NEEDED,
 * closure, glibc floor, hardening, Go settings; packages: versions), checked against the
 * entries written; and a slim result against its source, checked against the slim audit.
 */
import { lstatSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { Ajv } from 'ajv';
import { beforeAll, describe, expect, it } from 'vitest';
import { inspectImage } from '../../src/analysis/index.js';
import { diffReports, type ImageDiff } from '../../src/diff/index.js';
import type { Report } from '../../src/report/index.js';
import { runCliInProcess } from '../helpers/cli.js';
import type { EntrySpec } from '../helpers/image-builder.js';
import { repoRoot } from '../helpers/peer-corpus.js';
import { testTmp } from '../helpers/tools.js';
import { canUseDpkg, dpkgQuery, treeEntries, writeTestImage } from '../packages/_debian.js';
import { upgradeRoot, zlibVersions } from './_upgrade.js';
import { buildGo, canBuildGo } from '../slim/_host-images.js';

/** Every path below `root` as the image holds it (`/etc/x`), symlinks not followed. */
function walk(root: string, dir = root): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    const here = `/${path.relative(root, full)}`;
    return entry.isDirectory() ? [here, ...walk(root, full)] : [here];
  });
}

async function reportOf(image: string): Promise<Report> {
  const analysis = await inspectImage(image, { contentDigests: 'all' });
  await analysis.image.close();
  return analysis.report;
}

async function diffOf(a: EntrySpec[], b: EntrySpec[], name: string): Promise<ImageDiff> {
  const imageA = await writeTestImage({ layers: [{ entries: a }] }, `diff-${name}-a`);
  const imageB = await writeTestImage({ layers: [{ entries: b }] }, `diff-${name}-b`);
  return diffReports(await reportOf(imageA), await reportOf(imageB));
}

const dpkgStatus = (packages: Array<[string, string]>) =>
  packages.map(([name, version]) => `Package: ${name}\nStatus: install ok installed\nArchitecture: amd64\nVersion: ${version}\n`).join('\n');

describe('diff of files', () => {
  let diff: ImageDiff;
  beforeAll(async () => {
    const common: EntrySpec[] = [
      { path: 'etc', type: 'dir' },
      { path: 'etc/same', content: 'unchanged' },
    ];
    diff = await diffOf(
      [
        ...common,
        { path: 'etc/content', content: 'aaaa' },
        { path: 'etc/size', content: 'x' },
        { path: 'etc/mode', content: 'm', mode: 0o644 },
        { path: 'etc/owner', content: 'o' },
        { path: 'etc/link', type: 'symlink', target: 'same' },
        { path: 'etc/kind', content: 'a file' },
        { path: 'etc/gone', content: 'bye' },
        { path: 'etc/xattr', content: 'x' },
        { path: 'data', type: 'dir' },
      ],
      [
        ...common,
        { path: 'etc/content', content: 'bbbb' },
        { path: 'etc/size', content: 'xxxx' },
        { path: 'etc/mode', content: 'm', mode: 0o4755 },
        { path: 'etc/owner', content: 'o', uid: 1000, gid: 100 },
        { path: 'etc/link', type: 'symlink', target: 'content' },
        { path: 'etc/kind', type: 'dir' },
        { path: 'etc/new', content: 'hello' },
        { path: 'etc/xattr', content: 'x', xattrs: { 'user.note': 'hi' } },
        { path: 'data', type: 'dir', uid: 1000, gid: 1000, mode: 0o700 },
      ],
      'files',
    );
  });

  it('finds every added, removed and changed path, and what changed', () => {
    expect(diff.files.added.map((file) => file.path)).toEqual(['/etc/new']);
    expect(diff.files.added[0]).toMatchObject({ type: 'file', size: 5, digest: 'sha256:2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824' });
    expect(diff.files.removed.map((file) => file.path)).toEqual(['/etc/gone']);
    expect(Object.fromEntries(diff.files.changed.map((change) => [change.path, change.changes]))).toEqual({
      '/data': ['mode', 'owner'],
      '/etc/content': ['content'],
      '/etc/kind': ['type', 'mode'],
      '/etc/link': ['link'],
      '/etc/mode': ['mode'],
      '/etc/owner': ['owner'],
      '/etc/size': ['content'],
      '/etc/xattr': ['xattrs'],
    });
    // Same size, other bytes: seen by digest alone.
    const content = diff.files.changed.find((change) => change.path === '/etc/content')!;
    expect([content.before.size, content.after.size]).toEqual([4, 4]);
    expect(content.before.digest).not.toBe(content.after.digest);
    expect(diff.files.changed.find((change) => change.path === '/etc/mode')!.after.mode).toBe(0o4755);
    expect(diff.files.changed.find((change) => change.path === '/etc/owner')!.after).toMatchObject({ uid: 1000, gid: 100 });
    // /etc and /etc/same are unchanged (the Report lists no entry for `/`).
    expect(diff.files.unchanged).toBe(2);
  });

  it('totals follow the two reports', () => {
    expect(diff.totals.a).toMatchObject({ entries: 11, layers: 1, binaries: 0, packages: 0 });
    expect(diff.totals.b.entries).toBe(11);
    expect(diff.totals.b.size - diff.totals.a.size).toBe(3 + 5 - 3 - 6);
  });
});

describe('diff of size and efficiency', () => {
  it('a file rewritten in a second layer: layers, compressed size, dive efficiency, wasted and reclaimable bytes', async () => {
    const big = (fill: string) => fill.repeat(1000);
    const imageA = await writeTestImage({ layers: [{ entries: [{ path: 'big', content: big('a') }] }] }, 'diff-waste-a');
    const imageB = await writeTestImage(
      { layers: [{ entries: [{ path: 'big', content: big('a') }] }, { entries: [{ path: 'big', content: big('b') }] }] },
      'diff-waste-b',
    );
    const [a, b] = [await reportOf(imageA), await reportOf(imageB)];
    const diff = diffReports(a, b);
    expect(diff.totals.a).toMatchObject({ layers: 1, size: 1000, efficiencyScore: 1, wastedBytes: 0, reclaimableBytes: 0 });
    // dive: the path is in two layers, so both copies are wasted; the smallest over all is 1000 of 2000.
    expect(diff.totals.b).toMatchObject({ layers: 2, size: 1000, efficiencyScore: 0.5, wastedBytes: 2000, reclaimableBytes: 1000 });
    expect(diff.totals.b.compressedSize).toBe(b.layers[0]!.compressedSize + b.layers[1]!.compressedSize);
    expect(diff.files.changed.map((change) => [change.path, change.changes, change.after.layer])).toEqual([['/big', ['content'], 1]]);
  });
});

describe('diff of packages', () => {
  it('lists packages added, removed and whose version changed', async () => {
    const diff = await diffOf(
      [{ path: 'var/lib/dpkg/status', content: dpkgStatus([['libfoo1', '1.0-1'], ['bar', '2'], ['same', '1']]) }],
      [{ path: 'var/lib/dpkg/status', content: dpkgStatus([['libfoo1', '1:1.1-1'], ['baz', '3'], ['same', '1']]) }],
      'packages',
    );
    expect(diff.packages).toEqual({
      added: [{ manager: 'dpkg', name: 'baz', architecture: 'amd64', version: '3' }],
      removed: [{ manager: 'dpkg', name: 'bar', architecture: 'amd64', version: '2' }],
      changed: [{ manager: 'dpkg', name: 'libfoo1', architecture: 'amd64', before: '1.0-1', after: '1:1.1-1' }],
    });
    expect([diff.totals.a.packages, diff.totals.b.packages]).toEqual([3, 3]);
  });
});

const zlib = canUseDpkg ? zlibVersions() : null;

describe.runIf(zlib !== null)('diff of a base-image upgrade made of real Debian packages', () => {
  it('package versions as dpkg-query lists them in each root; the upgraded library as a content change', async () => {
    const before = upgradeRoot(`before-${zlib!.old}`, ['dash', `zlib1g=${zlib!.old}`]);
    const after = upgradeRoot(`after-${zlib!.new}`, ['dash', `zlib1g=${zlib!.new}`, 'netbase']);
    const diff = await diffOf(treeEntries(before), treeEntries(after), 'upgrade');
    const query = (root: string) => new Map(dpkgQuery(root, '${Package}\t${Version}\n').map((line) => line.split('\t') as [string, string]));
    const [a, b] = [query(before), query(after)];
    expect(diff.packages.added.map((pkg) => `${pkg.name} ${pkg.version}`)).toEqual([...b].filter(([name]) => !a.has(name)).map(([name, version]) => `${name} ${version}`));
    expect(diff.packages.removed).toEqual([]);
    expect(diff.packages.changed.map((pkg) => [pkg.name, pkg.before, pkg.after])).toEqual(
      [...b].filter(([name, version]) => a.has(name) && a.get(name) !== version).map(([name, version]) => [name, a.get(name), version]),
    );
    expect(diff.packages.changed.map((pkg) => pkg.name)).toEqual(['zlib1g']);
    // The shared object's bytes changed under the same path (the rebuilt library).
    const libz = diff.files.changed.find((change) => /\/libz\.so\.1\.[\d.]+$/.test(change.path));
    expect(libz?.changes).toContain('content');
    // Paths added and removed: the two unpacked trees, walked here, say the same.
    const [pathsA, pathsB] = [new Set(walk(before)), new Set(walk(after))];
    expect(diff.files.added.map((file) => file.path)).toEqual([...pathsB].filter((p) => !pathsA.has(p)).sort());
    expect(diff.files.removed.map((file) => file.path)).toEqual([...pathsA].filter((p) => !pathsB.has(p)).sort());
    expect(diff.files.added.map((file) => file.path)).toContain('/etc/services.dpkg-new');
    // Content changes: regular files in both trees whose bytes differ, compared here.
    const contentChanged = [...pathsA]
      .filter((p) => pathsB.has(p) && lstatSync(before + p).isFile() && lstatSync(after + p).isFile())
      .filter((p) => !readFileSync(before + p).equals(readFileSync(after + p)))
      .sort();
    expect(contentChanged.length).toBeGreaterThan(0);
    expect(diff.files.changed.filter((change) => change.changes.includes('content')).map((change) => change.path)).toEqual(contentChanged);
  });
});

describe.skipIf(!canBuildGo)('diff of binaries', () => {
  it('a Go program rebuilt with CGO_ENABLED=1: linkage, libc, interpreter, NEEDED, closure, glibc floor, hardening, Go settings', async () => {
    const go = buildGo();
    const libc = '/usr/lib/x86_64-linux-gnu/libc.so.6';
    const loader = '/usr/lib/x86_64-linux-gnu/ld-linux-x86-64.so.2';
    const glibc: EntrySpec[] = [
      { path: 'lib64', type: 'symlink', target: 'usr/lib/x86_64-linux-gnu' },
      { path: 'usr/lib/x86_64-linux-gnu/libc.so.6', content: readFileSync(libc), mode: 0o755 },
      { path: 'usr/lib/x86_64-linux-gnu/ld-linux-x86-64.so.2', content: readFileSync(loader), mode: 0o755 },
    ];
    const diff = await diffOf(
      [...glibc, { path: 'app', content: readFileSync(go.static), mode: 0o755 }],
      [...glibc, { path: 'app', content: readFileSync(go.cgo), mode: 0o755 }],
      'go',
    );
    expect(diff.binaries.added).toEqual([]);
    expect(diff.binaries.removed).toEqual([]);
    expect(diff.binaries.changed.map((change) => change.path)).toEqual(['/app']);
    const app = diff.binaries.changed[0]!;
    const fields = Object.fromEntries(app.fields.map((field) => [field.field, [field.before, field.after]]));
    expect(fields.linkage).toEqual(['static', 'dynamic']);
    expect(fields.libc).toEqual(['none', 'glibc']);
    expect(fields.interpreter).toEqual([null, '/lib64/ld-linux-x86-64.so.2']);
    expect(fields.glibcFloor?.[0]).toBeNull();
    expect(fields.glibcFloor?.[1]).toMatch(/^GLIBC_2\.\d+$/);
    expect(fields['go.setting.CGO_ENABLED']).toEqual(['0', '1']);
    expect(fields['go.cgoEnabled']).toEqual(['false', 'true']);
    expect(Object.keys(fields).some((field) => field.startsWith('hardening.'))).toBe(true);
    expect(app.neededAdded).toContain('libc.so.6');
    expect(app.neededRemoved).toEqual([]);
    expect(app.closureAdded).toEqual([loader, libc].sort());
    expect(diff.files.changed.map((change) => [change.path, change.changes])).toEqual([['/app', ['content']]]);
  });

  it('binaries added and removed', async () => {
    const go = buildGo();
    const diff = await diffOf([{ path: 'old', content: readFileSync(go.static), mode: 0o755 }], [{ path: 'new', content: readFileSync(go.static), mode: 0o755 }], 'go-moved');
    expect(diff.binaries.added).toEqual([{ path: '/new', linkage: 'static', libc: 'none', glibcFloor: null, status: 'ok' }]);
    expect(diff.binaries.removed.map((binary) => binary.path)).toEqual(['/old']);
    // Same content under another name: the digests agree.
    expect(diff.files.added[0]!.digest).toBe(diff.files.removed[0]!.digest);
  });
});

describe('a slim result against its source', () => {
  it.each(['glibc-apps.tar', 'musl-dynamic.tar'])('%s: removed, added and changed paths are the audit’s dropped, added and rewritten ones', async (sample) => {
    const dir = testTmp('diff', 'slim', sample);
    const { mkdirSync, rmSync } = await import('node:fs');
    rmSync(dir, { recursive: true, force: true });
    mkdirSync(dir, { recursive: true });
    const source = path.join(repoRoot, 'samples', sample);
    const slim = await runCliInProcess(['slim', source, '-o', 'out.tar', '--audit', 'audit.json', '-q'], { cwd: dir });
    expect(slim.code, slim.stderr).toBe(0);
    const audit = JSON.parse(readFileSync(path.join(dir, 'audit.json'), 'utf8')) as {
      files: Array<{ path: string; kept: boolean; change: 'rewritten' | 'metadata' | 'added' | null }>;
    };
    const result = await runCliInProcess(['diff', source, path.join(dir, 'out.tar'), '--format', 'json', '-q']);
    expect(result.code, result.stderr).toBe(0);
    const diff = JSON.parse(result.stdout) as ImageDiff;
    const paths = (filter: (file: (typeof audit.files)[number]) => boolean) => audit.files.filter(filter).map((file) => file.path).sort();
    expect(diff.files.removed.map((file) => file.path)).toEqual(paths((file) => !file.kept && file.change !== 'added'));
    expect(diff.files.added.map((file) => file.path)).toEqual(paths((file) => file.change === 'added'));
    expect(diff.files.changed.map((file) => file.path)).toEqual(paths((file) => file.kept && (file.change === 'rewritten' || file.change === 'metadata')));
    expect(diff.files.unchanged).toBe(paths((file) => file.kept && file.change === null).length);
    expect(diff.totals.b.layers).toBe(1);
  });
});

describe('imgslim diff and schema diff', () => {
  it('text names both images and every change; json validates against `imgslim schema diff`', async () => {
    const a = path.join(repoRoot, 'samples', 'glibc-dynamic.tar');
    const b = path.join(repoRoot, 'samples', 'static-oci');
    const text = await runCliInProcess(['diff', a, b, '-q']);
    expect(text.code).toBe(0);
    expect(text.stdout).toContain('~ /app/hello  content 15.9 KiB → 744.6 KiB');
    expect(text.stdout).toContain('      linkage: dynamic → static');
    expect(text.stdout).toContain('− /usr/lib/x86_64-linux-gnu/libc.so.6  file, 1.8 MiB');
    const json = await runCliInProcess(['diff', a, b, '-f', 'json', '-q']);
    const schema = await runCliInProcess(['schema', 'diff']);
    const validate = new Ajv({ strict: false }).compile(JSON.parse(schema.stdout));
    expect(validate(JSON.parse(json.stdout)), JSON.stringify(validate.errors)).toBe(true);
  });

  it('usage errors: one image, stdin, unknown format (exit 2)', async () => {
    for (const args of [['diff', 'samples/layers.tar'], ['diff', '-', 'samples/layers.tar'], ['diff', 'samples/layers.tar', 'samples/layers.tar', '-f', 'yaml']]) {
      const result = await runCliInProcess(args);
      expect(result.code, args.join(' ')).toBe(2);
      expect(result.stderr.trim().split('\n')).toHaveLength(1);
    }
  });
});

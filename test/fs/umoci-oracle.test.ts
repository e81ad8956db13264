// Differential test: the same layer tars, unpacked on disk by a real OCI unpacker (umoci, which
// resolves paths with filepath-securejoin and applies whiteouts and opaque markers per the
// image spec), must give the filesystem mergeLayers computes: paths, types, sizes, symlink
// targets and hard-link sharing. Skips with a notice when umoci is absent.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, mkdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { mergeLayers, type MergedFilesystem } from '../../src/fs/index.js';
import { fromTar } from './_entries.js';
import { readRootfs, writeOciLayout, writeTar, type TarSpec } from './_oci.js';
import { readTar } from './_tar.js';
import { hasTool, testTmp } from '../helpers/tools.js';

const umoci = hasTool('umoci', 'the fs differential tests');

mkdirSync(testTmp('fs'), { recursive: true });
const scratch = mkdtempSync(testTmp('fs', 'umoci-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

const d = (name: string): TarSpec => ({ name, type: 'directory' });
const f = (name: string, body: string): TarSpec => ({ name, body });
const l = (name: string, linkname: string): TarSpec => ({ name, type: 'symlink', linkname });
const h = (name: string, linkname: string): TarSpec => ({ name, type: 'link', linkname });

const scenarios: Record<string, TarSpec[][]> = {
  'go-containerregistry mutate: whiteouts, re-created dir, file → symlink, opaque dir': [
    [f('bar.txt', 'bar\n'), f('foo.txt', 'foo\n'), d('a/'), f('a/foo', 'x'), d('d/'), f('d/a.txt', 'a'), f('d/b.txt', 'b')],
    [f('.wh.bar.txt', ''), f('.wh.a', ''), f('bar.txt', 'new bar'), l('foo.txt', 'bar.txt'), d('d/'), f('d/c.txt', 'c'), f('d/.wh..wh..opq', '')],
    [d('a/'), f('a/baz', 'baz')],
  ],
  'symlinked parents resolve inside the root': [
    [d('etc/'), f('etc/passwd', 'root:x:0:0\n'), f('etc/group', 'root:x:0:\n'), d('usr/'), d('usr/lib/')],
    [l('localetc', '/etc'), f('localetc/hostname', 'box\n'), l('lib', 'usr/lib'), f('lib/libz.so.1', 'zlib'), l('up', '../../../../usr'), f('up/marker', 'm')],
    [f('localetc/.wh.group', ''), l('data', '/srv/data'), f('data/x', 'x')],
  ],
  'directories over symlinks and symlinks over directories': [
    [d('real/'), f('real/f', 'f'), l('link', 'real'), d('gone/'), f('gone/g', 'g')],
    [d('link/'), f('link/own', 'own'), l('gone', '/real')],
  ],
  'hard links keep the inode they were made with': [
    [d('bin/'), f('bin/busybox', 'BUSYBOX'), h('bin/sh', 'bin/busybox'), h('bin/ls', 'bin/sh'), f('keep', 'old content')],
    [h('keep2', 'keep'), l('bindir', 'bin'), h('sh2', 'bindir/busybox')],
    [f('keep', 'replaced'), f('bin/.wh.busybox', '')],
  ],
  // kaniko writes the root as `/`, may write names with a leading `/`, and writes a layer's
  // whiteouts before the directory entries that hold them.
  'kaniko: a / entry, leading-/ names, whiteouts and opaque markers before their parents': [
    [d('var/'), d('var/cache/'), f('var/cache/old', 'x'), d('etc/'), f('etc/conf', 'c'), d('opt/'), f('opt/a', 'a')],
    [d('/'), f('var/.wh.cache', ''), f('/opt/.wh..wh..opq', ''), d('var/'), d('opt/'), f('opt/b', 'b'), f('/etc/kaniko', 'k'), d('/app/'), f('/app/hello', 'hi')],
  ],
  'implicit parents and deep trees': [[f('usr/local/share/doc/pkg/README', 'read me'), f('opt/app/bin/tool', 'tool')], [f('usr/local/.wh.share', '')]],
};

describe.skipIf(!umoci)('mergeLayers matches umoci unpack', () => {
  for (const [name, specs] of Object.entries(scenarios)) {
    test(name, async () => {
      const tars = await Promise.all(specs.map(writeTar));
      const dir = mkdtempSync(path.join(scratch, 'case-'));
      writeOciLayout(path.join(dir, 'image'), tars);
      execFileSync('umoci', ['--log', 'error', 'unpack', '--rootless', '--image', `${path.join(dir, 'image')}:test`, path.join(dir, 'bundle')], {
        stdio: 'pipe',
      });
      const disk = readRootfs(path.join(dir, 'bundle', 'rootfs'));
      const layers = await Promise.all(tars.map(async (tar, index) => fromTar(index, (await readTar(tar)).map((m) => m.header))));
      const merged = mergeLayers(layers);
      expect(describeMerged(merged)).toEqual(describeDisk(disk));
      expect(linkGroups(merged)).toEqual(diskLinkGroups(disk));
    });
  }
});

function describeMerged(fs: MergedFilesystem): string[] {
  return [...fs.entries].map(([p, e]) => line(p, e.type === 'hardlink' ? 'file' : e.type, e.size, e.linkTarget)).sort();
}

function describeDisk(disk: Map<string, { type: string; size: number; linkTarget: string | null }>): string[] {
  return [...disk].map(([p, e]) => line(p, e.type, e.size, e.linkTarget)).sort();
}

function line(p: string, type: string, size: number, linkTarget: string | null): string {
  if (type === 'symlink') return `${p} -> ${linkTarget}`;
  return type === 'file' ? `${p} file ${size}` : `${p} ${type}`;
}

/** Paths that share an inode, as sorted groups of two or more. */
function linkGroups(fs: MergedFilesystem): string[][] {
  return groups([...fs.entries].filter(([, e]) => e.type === 'file' || e.type === 'hardlink').map(([p, e]) => [p, e.inode]));
}

function diskLinkGroups(disk: Map<string, { type: string; ino: number }>): string[][] {
  return groups([...disk].filter(([, e]) => e.type === 'file').map(([p, e]) => [p, e.ino]));
}

function groups(pairs: Array<[string, number]>): string[][] {
  const byKey = new Map<number, string[]>();
  for (const [p, key] of pairs) byKey.set(key, [...(byKey.get(key) ?? []), p]);
  return [...byKey.values()].filter((g) => g.length > 1).map((g) => g.sort()).sort((a, b) => (a[0]! < b[0]! ? -1 : 1));
}

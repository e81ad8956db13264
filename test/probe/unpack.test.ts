/**
 * unpackImage against umoci: the same image unpacked by imgslim's reader (merged by src/fs) and by
 * skopeo + umoci gives the same tree, types, modes, owners, sizes and link targets; whiteouts,
 * opaque directories and hard links included.
 */
import { mkdirSync, rmSync, statSync } from 'node:fs';
import path from 'node:path';
import { expect, test } from 'vitest';
import { unpackImage } from '../../src/probe/index.js';
import { openImage } from '../../src/sources/index.js';
import { hasTool, isRoot, testTmp } from '../helpers/tools.js';
import { writeImageFile } from '../slim/_host-images.js';
import { listRootfs, unpack } from '../slim/_support.js';

const canCompare = isRoot('unpacking with owners') && hasTool('skopeo') && hasTool('umoci');

test.skipIf(!canCompare)('unpackImage gives the tree umoci gives', async () => {
  const work = testTmp('probe', 'unpack');
  rmSync(work, { recursive: true, force: true });
  const input = await writeImageFile('oci-archive', path.join(work, 'in.tar'), {
    layers: [
      {
        entries: [
          { path: 'etc', type: 'dir' },
          { path: 'etc/app.conf', content: 'a=1\n' },
          { path: 'etc/old.conf', content: 'old\n' },
          { path: 'opt/lib', type: 'dir', mode: 0o750 },
          { path: 'opt/lib/one', content: 'one' },
          { path: 'opt/lib/two', content: 'two' },
          { path: 'usr/bin/tool', content: '#!/bin/sh\n', mode: 0o4755 },
          { path: 'usr/bin/tool-link', type: 'hardlink', target: 'usr/bin/tool' },
          { path: 'bin', type: 'symlink', target: 'usr/bin' },
        ],
        compression: 'gzip',
      },
      {
        entries: [
          { path: 'etc/old.conf', type: 'whiteout' },
          { path: 'opt/lib', type: 'opaque' },
          { path: 'opt/lib/three', content: 'three' },
          { path: 'etc/app.conf', content: 'a=2\n' },
        ],
        compression: 'zstd',
      },
    ],
  });
  const root = path.join(work, 'root');
  mkdirSync(root, { recursive: true });
  const image = await openImage(input);
  try {
    await unpackImage(image, root, { owners: true });
  } finally {
    await image.close();
  }
  const ours = listRootfs(root);
  const theirs = listRootfs(unpack(input, 'oci-archive', path.join(work, 'umoci')));
  const facts = (items: ReturnType<typeof listRootfs>) => [...items].map(([name, item]) => ({ name, ...item, ino: undefined }));
  expect(facts(ours)).toEqual(facts(theirs));
  expect(ours.has('/etc/old.conf')).toBe(false);
  expect([...ours.keys()].filter((name) => name.startsWith('/opt/lib/'))).toEqual(['/opt/lib/three']);
  expect(ours.get('/usr/bin/tool')!.ino).toBe(ours.get('/usr/bin/tool-link')!.ino);
  expect(statSync(path.join(root, 'usr/bin/tool')).mode & 0o7777).toBe(0o4755);
});

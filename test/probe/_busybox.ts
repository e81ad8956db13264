/**
 * The probe tests' image: Debian's busybox-static (a static binary, so the tracer must not rely on
 * the dynamic loader) with applet links, a script that reads a file by a name built at run time,
 * a file a later layer removes, files nothing names, and a page for busybox httpd.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { EntrySpec } from '../helpers/image-builder.js';
import { writeImageFile } from '../slim/_host-images.js';

export const BUSYBOX = '/bin/busybox';
export const hasBusybox = existsSync(BUSYBOX);

function busyboxLayer(): EntrySpec[] {
  const applets = ['sh', 'cat', 'ls', 'echo', 'httpd', 'id'];
  return [
    { path: 'bin', type: 'dir' },
    { path: 'bin/busybox', content: readFileSync(BUSYBOX), mode: 0o755 },
    ...applets.map((name): EntrySpec => ({ path: `bin/${name}`, type: 'symlink', target: 'busybox' })),
    { path: 'etc', type: 'dir' },
    { path: 'etc/passwd', content: 'root:x:0:0:root:/root:/bin/sh\napp:x:1000:1000:app:/data:/bin/sh\n' },
    { path: 'etc/group', content: 'root:x:0:\napp:x:1000:\n' },
    { path: 'app', type: 'dir' },
    // Neither the directory nor the file is named in the text: only running it shows which file it reads.
    { path: 'app/run.sh', content: '#!/bin/sh\nname=sec$(echo ret)\ndir=/da\ncat "${dir}ta/$name.txt"\n', mode: 0o755 },
    { path: 'data', type: 'dir' },
    { path: 'data/secret.txt', content: 'the secret recipe\n' },
    { path: 'data/gone.txt', content: 'removed by the next layer\n' },
    { path: 'data/unused.bin', content: 'x'.repeat(4096) },
    { path: 'www', type: 'dir' },
    { path: 'www/index.html', content: '<h1>served by busybox httpd</h1>\n' },
  ];
}

/** The image as an OCI archive `DIR/NAME.tar`, User app, WorkingDir /data, PATH=/bin, `config` on top, `extra` entries in a last layer. */
export async function busyboxImage(dir: string, name: string, config: Record<string, unknown>, extra: EntrySpec[] = []): Promise<string> {
  return writeImageFile('oci-archive', path.join(dir, `${name}.tar`), {
    layers: [
      { entries: busyboxLayer(), compression: 'gzip' },
      { entries: [{ path: 'data/gone.txt', type: 'whiteout' }], compression: 'gzip' },
      ...(extra.length > 0 ? [{ entries: extra, compression: 'gzip' as const }] : []),
    ],
    containerConfig: { User: 'app', WorkingDir: '/data', Env: ['PATH=/bin'], ...config },
  });
}

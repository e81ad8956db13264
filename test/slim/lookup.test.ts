import { describe, expect, test } from 'vitest';
import type { FinalEntry } from '../../src/fs/index.js';
import { parseNsswitch } from '../../src/slim/index.js';
import { ancestorsOf, lookupTrail } from '../../src/slim/lookup.js';

function fs(spec: Record<string, string | null>): Map<string, FinalEntry<unknown>> {
  const entries = new Map<string, FinalEntry<unknown>>();
  let inode = 1;
  for (const [path, target] of Object.entries(spec)) {
    const type = target === null ? (path.endsWith('/') ? 'directory' : 'file') : 'symlink';
    const clean = path.replace(/\/$/, '');
    entries.set(clean, { path: clean, type, size: 0, mode: 0o755, uid: 0, gid: 0, mtime: 0, linkTarget: target, layer: 0, inode: inode++ });
  }
  return entries;
}

const merged = fs({
  '/bin': 'usr/bin',
  '/lib': 'usr/lib',
  '/lib64': 'usr/lib64',
  '/usr/': null,
  '/usr/bin/': null,
  '/usr/bin/sh': 'dash',
  '/usr/bin/dash': null,
  '/usr/lib/': null,
  '/usr/lib/x86_64-linux-gnu/': null,
  '/usr/lib/x86_64-linux-gnu/ld-linux-x86-64.so.2': null,
  '/usr/lib64/': null,
  '/usr/lib64/ld-linux-x86-64.so.2': '/lib/x86_64-linux-gnu/ld-linux-x86-64.so.2',
  '/loop-a': 'loop-b',
  '/loop-b': 'loop-a',
  '/up': '../../../usr/bin/dash',
  '/file/': null,
});

describe('lookups that record what they touch', () => {
  test('the PT_INTERP of Debian 12: three symlinks, then the loader', () => {
    expect(lookupTrail(merged, '/lib64/ld-linux-x86-64.so.2')).toEqual({
      final: '/usr/lib/x86_64-linux-gnu/ld-linux-x86-64.so.2',
      symlinks: ['/lib64', '/usr/lib64/ld-linux-x86-64.so.2', '/lib'],
    });
  });

  test('followLast false stops at the link; .. climbs the real parent and never above /', () => {
    expect(lookupTrail(merged, '/bin/sh', false)).toEqual({ final: '/usr/bin/sh', symlinks: ['/bin'] });
    expect(lookupTrail(merged, '/up')).toEqual({ final: '/usr/bin/dash', symlinks: ['/up'] });
    expect(lookupTrail(merged, '/bin/../lib/./x86_64-linux-gnu')).toEqual({ final: '/usr/lib/x86_64-linux-gnu', symlinks: ['/bin'] });
  });

  test('missing names, loops and files used as directories end the lookup without a final entry', () => {
    expect(lookupTrail(merged, '/bin/nope')).toEqual({ final: null, symlinks: ['/bin'] });
    expect(lookupTrail(merged, '/loop-a').final).toBeNull();
    expect(lookupTrail(merged, '/usr/bin/dash/x')).toEqual({ final: null, symlinks: [] });
    expect(lookupTrail(merged, '/')).toEqual({ final: '/', symlinks: [] });
  });

  test('ancestors', () => {
    expect(ancestorsOf('/usr/lib/x/libc.so.6')).toEqual(['/usr', '/usr/lib', '/usr/lib/x']);
    expect(ancestorsOf('/tmp')).toEqual([]);
  });
});

describe('nsswitch.conf', () => {
  test('sources per database, action items and comments dropped', () => {
    const text = '# /etc/nsswitch.conf\npasswd:   files [SUCCESS=merge] systemd # trailing\nhosts: files mdns4_minimal [NOTFOUND=return] dns\nGroup:files\n\nbogus line\nnetgroup: nis\n';
    expect(Object.fromEntries(parseNsswitch(text))).toEqual({
      passwd: ['files', 'systemd'],
      hosts: ['files', 'mdns4_minimal', 'dns'],
      group: ['files'],
      netgroup: ['nis'],
    });
  });
});

import { describe, expect, test } from 'vitest';
import { evaluatePolicy, type Policy } from '../../src/policy/index.js';
import type { Report } from '../../src/report/index.js';
import { makeEntry, makeReport, oneRule } from './fixtures.js';

function messages(report: Report, policy: Policy): string[] {
  return evaluatePolicy(report, policy, { today: '2026-01-15' }).results[0]!.violations.map((v) => v.message);
}

const base = makeReport();
const report = makeReport({
  filesystem: {
    ...base.filesystem,
    entries: [
      makeEntry({ path: '/tmp', type: 'directory', mode: 0o1777 }),
      makeEntry({ path: '/data', type: 'directory', mode: 0o777, uid: 1000, gid: 1000 }),
      makeEntry({ path: '/etc/app.conf', mode: 0o666 }),
      makeEntry({ path: '/bin/sh', type: 'symlink', mode: 0o777, linkTarget: 'busybox' }),
      makeEntry({ path: '/bin/su', mode: 0o4755, size: 100 }),
      makeEntry({ path: '/usr/bin/wall', mode: 0o2755, gid: 5 }),
      makeEntry({ path: '/var/mail', type: 'directory', mode: 0o2775 }),
      makeEntry({ path: '/usr/bin/ping', mode: 0o755, xattrs: ['security.capability'], capabilities: ['cap_net_raw=ep'] }),
      makeEntry({ path: '/usr/bin/odd', mode: 0o755, xattrs: ['security.capability'] }),
      makeEntry({ path: '/app/server', mode: 0o755 }),
    ],
  },
});

describe('file rules', () => {
  test('no-setuid lists setuid and setgid regular files (not setgid directories)', () => {
    expect(messages(report, oneRule('no-setuid'))).toEqual(['/bin/su is setuid root (mode 4755, owner 0:0)', '/usr/bin/wall is setgid (mode 2755, owner 0:5)']);
  });

  test('no-world-writable skips symlinks and sticky directories', () => {
    expect(messages(report, oneRule('no-world-writable'))).toEqual([
      '/data is a world-writable directory (mode 0777, owner 1000:1000)',
      '/etc/app.conf is a world-writable file (mode 0666, owner 0:0)',
    ]);
  });

  test('no-capabilities reports decoded capabilities, and undecodable xattrs', () => {
    expect(messages(report, oneRule('no-capabilities'))).toEqual([
      '/usr/bin/ping has file capabilities: cap_net_raw=ep',
      '/usr/bin/odd has file capabilities: a security.capability xattr that could not be decoded',
    ]);
  });
});

describe('non-root-user', () => {
  test.each([
    [null, 'the container runs as root: User is not set: the container runs as root (uid 0)'],
    ['', 'the container runs as root: User is not set: the container runs as root (uid 0)'],
    ['root', "the container runs as root: User is 'root': uid 0"],
    ['0:0', "the container runs as root: User is '0:0': uid 0"],
    [':1000', "the container runs as root: User is ':1000': the container runs as root (uid 0)"],
  ])('User %j fails', (user, message) => {
    expect(messages(makeReport({ config: { ...base.config, user } }), oneRule('non-root-user'))).toEqual([message]);
  });

  test.each(['65532', 'app', 'nobody:nogroup', '1000:0'])('User %j passes', (user) => {
    const result = evaluatePolicy(makeReport({ config: { ...base.config, user } }), oneRule('non-root-user')).results[0]!;
    expect(result.status).toBe('pass');
    expect(result.message).toBe(`User is '${user}'`);
  });
});
